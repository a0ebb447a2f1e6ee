"""Each log record is written once: Django's default logging gives the "django" logger a plain-text
console handler when DEBUG is on, which with the root's JSON handler printed every line twice in
development (each task `scripts/run` ran while loading the demo data)."""

import logging

import pytest
from django.test import override_settings


def handlers_writing(record: logging.LogRecord) -> list[logging.Handler]:
    """The handlers that would write `record`, walking up from its logger as logging does."""
    found = []
    logger: logging.Logger | None = logging.getLogger(record.name)
    while logger is not None:
        found += [
            h
            for h in logger.handlers
            # pytest's own capture handlers on the root are not the service's
            if record.levelno >= h.level and h.filter(record) and not type(h).__module__.startswith("_pytest")
        ]
        logger = logger.parent if logger.propagate else None
    return found


@pytest.mark.parametrize("name", ["django.tasks", "django.request", "django.db.backends.schema", "cas.events"])
@pytest.mark.parametrize("debug", [True, False])
def test_a_record_is_written_by_one_handler(name, debug):
    record = logging.getLogger(name).makeRecord(name, logging.WARNING, __file__, 1, "hello", (), None)
    with override_settings(DEBUG=debug):
        assert len(handlers_writing(record)) == 1
