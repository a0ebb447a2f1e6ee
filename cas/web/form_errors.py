"""One way to show a domain error on a form, for every page: the services raise
`cas.core.errors.DomainError` with the field it is about (or none), and the page puts it there."""

from django import forms

from cas.core.errors import DomainError


def add_domain_error(form: forms.Form, exc: DomainError, fallback: str | None = None) -> None:
    """Show `exc` at its field when the form has that field, else at `fallback` (a field of the form
    the error is about on this page), else above the form (in the error summary)."""
    name = exc.field if exc.field in form.fields else fallback
    form.add_error(name if name in form.fields else None, exc.message)
