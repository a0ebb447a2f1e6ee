"""Redraw an edit form with the newer values after a stale edit was refused."""

from django.utils.datastructures import MultiValueDict


def form_with_current_values(form_class, initial: dict, message: str, **kwargs):
    data = MultiValueDict()
    for name, value in initial.items():
        if value is None:
            continue
        data.setlist(name, [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)])
    form = form_class(data, initial=initial, **kwargs)
    form.full_clean()
    form.add_error(None, message)
    return form
