"""Choose the adapter for each port from ``settings.INTEGRATIONS``.

    INTEGRATIONS = {
        "case_system": {"class": "cas.people.http.case_system.HttpCaseSystem",
                        "base_url": "https://approved-premises-and-delius.hmpps.service.justice.gov.uk",
                        "timeout": 4.0},
        "risk_system": {"class": "cas.people.http.risk_system.HttpRiskSystem", "base_url": "...",
                        "case_base_url": "...", "tier_base_url": "..."},
        "prison_system": {"class": "cas.people.synthetic.prison_system.SyntheticPrisonSystem"},
    }

Missing entries (or a missing setting) mean the synthetic adapters; a class named by its path from
before the adapters were split into packages (``MOVED_CLASSES``) is still found. Every other key is
passed to the constructor, except that ``session`` names a class to instantiate (for offline demos of the
HTTP adapters: ``cas.people.replay.RecordedSession``) and ``token_provider`` names a function that
returns a bearer token. Settings hold plain values only (strings, numbers, dates).
Instances are cached, so the synthetic data set is built once per process; ``reset_adapters()``
clears the cache (tests, or after changing settings). An adapter that takes a ``clock`` is given the
service's (``cas.core.clock.now``), so what it stamps and the synthetic people's dates follow the day
the service believes it is (a test that moves the clock moves them too).
"""

from __future__ import annotations

import functools
import inspect
import json
from datetime import datetime
from importlib import import_module
from typing import Any, Final, cast

from .ports import CaseSystem, PrisonSystem, RiskSystem

DEFAULT_CLASSES: Final[dict[str, str]] = {
    "case_system": "cas.people.synthetic.case_system.SyntheticCaseSystem",
    "risk_system": "cas.people.synthetic.risk_system.SyntheticRiskSystem",
    "prison_system": "cas.people.synthetic.prison_system.SyntheticPrisonSystem",
}

# Each adapter family was one module (cas.people.http, cas.people.synthetic) before they became
# packages with a module per port: deployed settings and *_ADAPTER environment variables name the
# old paths, and must keep choosing the same adapter.
MOVED_CLASSES: Final[dict[str, str]] = {
    "cas.people.http.HttpCaseSystem": "cas.people.http.case_system.HttpCaseSystem",
    "cas.people.http.HttpRiskSystem": "cas.people.http.risk_system.HttpRiskSystem",
    "cas.people.http.HttpPrisonSystem": "cas.people.http.prison_system.HttpPrisonSystem",
    "cas.people.synthetic.SyntheticCaseSystem": DEFAULT_CLASSES["case_system"],
    "cas.people.synthetic.SyntheticRiskSystem": DEFAULT_CLASSES["risk_system"],
    "cas.people.synthetic.SyntheticPrisonSystem": DEFAULT_CLASSES["prison_system"],
}


def _import(dotted_path: str) -> Any:
    module_path, _, name = dotted_path.rpartition(".")
    if not module_path:
        raise ImportError(f"{dotted_path!r} is not a dotted path to a class")
    return getattr(import_module(module_path), name)


def _config(port: str) -> dict[str, Any]:
    # Not a cycle: by design only this module touches Django, and only here, so the ports and adapters
    # import and run without Django (cas/people/README.md).
    from django.conf import settings

    integrations = getattr(settings, "INTEGRATIONS", None) or {}
    return dict(integrations.get(port) or {})


@functools.cache
def _build(class_path: str, base_url: str | None, options_json: str) -> Any:
    # Options travel as JSON so that the cache key is hashable whatever the settings hold.
    options: dict[str, Any] = json.loads(options_json)
    session_path = options.pop("session", None)
    if session_path:
        options["session"] = _import(session_path)()
    token_provider_path = options.pop("token_provider", None)
    if token_provider_path:
        options["token_provider"] = _import(token_provider_path)
    if base_url is not None:
        options["base_url"] = base_url
    adapter_class = _import(class_path)
    if "clock" not in options and "clock" in inspect.signature(adapter_class).parameters:
        options["clock"] = _service_now
    return adapter_class(**options)


def _service_now() -> datetime:
    # Not a cycle: only this module touches Django (cas/people/README.md), and the clock reads
    # django.utils.timezone, so it is imported when the time is asked for, not when the module loads.
    from cas.core import clock

    return clock.now()


def _adapter(port: str) -> Any:
    config = _config(port)
    class_path = config.pop("class", None) or DEFAULT_CLASSES[port]
    class_path = MOVED_CLASSES.get(class_path, class_path)
    base_url = config.pop("base_url", None)
    return _build(class_path, base_url, json.dumps(config, sort_keys=True, default=str))


def get_case_system() -> CaseSystem:
    return cast(CaseSystem, _adapter("case_system"))


def get_risk_system() -> RiskSystem:
    return cast(RiskSystem, _adapter("risk_system"))


def get_prison_system() -> PrisonSystem:
    return cast(PrisonSystem, _adapter("prison_system"))


def reset_adapters() -> None:
    _build.cache_clear()
