"""The Jinja2 environment for GOV.UK pages: our templates first, then the GOV.UK macros."""

import jinja2
from django.templatetags.static import static
from django.urls import reverse

from cas.web import govuk
from cas.web.idempotency import submission_key_input


def url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options) -> jinja2.Environment:
    app_loader = options.pop("loader")
    options["loader"] = jinja2.ChoiceLoader(
        [
            app_loader,
            jinja2.PrefixLoader({"govuk_frontend_jinja": jinja2.PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    # The GOV.UK macros rely on plain Undefined (falsy, renders empty); DebugUndefined would print
    # "{{ missing }}" into pages in development.
    options["undefined"] = jinja2.Undefined
    options.setdefault("extensions", ["jinja2.ext.do", "jinja2.ext.loopcontrols"])
    options["autoescape"] = True  # Django sets it too; stated here so it can never be lost.
    env = jinja2.Environment(**options)  # noqa: S701 - autoescape is forced on above
    env.globals.update(static=static, url=url, submission_key_input=submission_key_input, **govuk.JINJA_GLOBALS)
    env.filters.update(govuk.JINJA_FILTERS)
    return env
