"""The anonymised copy has every row of every table (sessions aside), and no real name, CRN, prison
number or date of birth of the source anywhere."""

import json
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models

from cas.people import registry
from cas.privacy.copy import NOT_COPIED, TARGET_ALIAS, close_target, copied_models, open_target, target_settings
from cas.referrals.models import Referral
from tests.conftest import is_postgres

pytestmark = pytest.mark.django_db
PEOPLE = ("X100001", "X100004", "X100006")


def _source_identifiers() -> tuple[list[str], dict[str, dict]]:
    terms = []
    for crn in PEOPLE:
        person = registry.get_case_system().find_by_crn(crn)
        terms += [crn, person.noms_number, person.name, person.date_of_birth.isoformat()]
    dobs = {}
    for model in copied_models():
        if any(f.attname == "date_of_birth" for f in model._meta.concrete_fields):
            dobs[model._meta.label] = dict(
                model._base_manager.exclude(date_of_birth=None).values_list("pk", "date_of_birth")
            )
    return terms, dobs


def _check_copy(settings_dict, terms, dobs):
    source_counts = {m._meta.label: m._base_manager.count() for m in copied_models()}
    assert source_counts["referrals.Referral"] == 2 and source_counts["placements.Booking"] == 1
    open_target(settings_dict)
    try:
        pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
        for model in apps.get_models(include_auto_created=True):
            manager = model._base_manager.using(TARGET_ALIAS)
            if model._meta.label_lower in NOT_COPIED:
                assert manager.count() == 0
                continue
            assert manager.count() == source_counts[model._meta.label], model._meta.label
            text = [
                f.attname
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField | models.JSONField)
            ]
            for row in manager.values_list(*text):
                blob = json.dumps(row, default=str)
                assert not pattern.search(blob), (
                    f"{model._meta.label} still holds {pattern.search(blob).group(0)}: {blob[:300]}"
                )
            source_dobs = dobs.get(model._meta.label, {})
            if source_dobs:
                copied = dict(manager.filter(pk__in=source_dobs).values_list("pk", "date_of_birth"))
                assert copied.keys() == source_dobs.keys()
                assert all(copied[pk] != dob and copied[pk].year == dob.year for pk, dob in source_dobs.items())
        copied = Referral.objects.using(TARGET_ALIAS).get(status="rejected")
        assert copied.person_name == f"Person {copied.crn}" and copied.answers == {}
    finally:
        close_target()


def test_the_copy_to_sqlite_keeps_every_row_and_no_person(cases, tmp_path):
    terms, dobs = _source_identifiers()
    path = tmp_path / "copy.sqlite3"
    call_command("copy_anonymised_database", "--to-sqlite", str(path), verbosity=0)
    _check_copy(target_settings(sqlite_path=str(path)), terms, dobs)
    # A second copy into the same, now full, database is refused.
    with pytest.raises(CommandError, match="already holds data"):
        call_command("copy_anonymised_database", "--to-sqlite", str(path), verbosity=0)


def test_the_copy_is_refused_onto_the_source(db):
    name = connection.settings_dict["NAME"]
    if is_postgres():
        settings = connection.settings_dict
        url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{name}"
        args = ["--to", url]
    else:
        args = ["--to-sqlite", str(name)]
    with pytest.raises(CommandError, match="another database"):
        call_command("copy_anonymised_database", *args, verbosity=0)


@pytest.mark.postgres
def test_the_copy_to_postgresql_keeps_every_row_and_no_person(cases):
    import psycopg

    settings = connection.settings_dict
    admin = psycopg.connect(
        host=settings["HOST"], port=settings["PORT"], user=settings["USER"], dbname="postgres", autocommit=True
    )
    admin.execute("DROP DATABASE IF EXISTS cas_anonymised_copy")
    admin.execute("CREATE DATABASE cas_anonymised_copy")
    try:
        terms, dobs = _source_identifiers()
        url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/cas_anonymised_copy"
        call_command("copy_anonymised_database", "--to", url, verbosity=0)
        _check_copy(target_settings(url=url), terms, dobs)
    finally:
        admin.execute("DROP DATABASE IF EXISTS cas_anonymised_copy WITH (FORCE)")
        admin.close()
