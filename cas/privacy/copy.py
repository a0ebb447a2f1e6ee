"""Copy the database with every person anonymised, for test environments.

Every table is copied row for row (same primary keys, so every link still holds), through the same
rules as retention (`cas.privacy.anonymise`), applied to everyone: identifiers become pseudonyms,
free text is cleared, and any text still quoting a person's CRN, prison number, name or date of
birth has it replaced. The pseudonym key is random for each copy, so pseudonyms cannot be linked
back to people, nor between two copies. Sessions are not copied.
"""

import secrets
from collections.abc import Callable

import dj_database_url
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connections, transaction
from django.db.utils import load_backend

from cas.core.models import AuditEvent
from cas.events.models import DomainEvent
from cas.placements.models import Booking
from cas.privacy.anonymise import Identity, Pseudonyms, Replacer, anonymise_row
from cas.privacy.retention import identifiers_in_use
from cas.referrals.models import Referral
from cas.reporting.models import ManualPlacement

TARGET_ALIAS = "anonymised_copy"
# Sessions; failed sign-ins (client addresses, kept minutes); and the copy of the case system's access
# limits, which names real people's CRNs and staff and is rebuilt by `manage.py refresh_person_access`.
NOT_COPIED = {"sessions.session", "accounts.signinfailure", "people.personaccess", "people.personaccessuser"}
BATCH = 2000


def target_settings(*, url: str | None = None, sqlite_path: str | None = None) -> dict:
    if bool(url) == bool(sqlite_path):
        raise ImproperlyConfigured("Give either a database URL or a SQLite path")
    if url:
        return dj_database_url.parse(url)
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(sqlite_path)}


def everyone() -> list[Identity]:
    """Every person the database knows, with every name, prison number and date of birth recorded."""
    people: dict[str, dict] = {}

    def person(crn):
        return people.setdefault(crn, {"noms": set(), "names": set(), "dobs": set()})

    for model in (Referral, Booking):
        for crn, noms, name, dob in model._base_manager.values_list(
            "crn", "noms_number", "person_name", "date_of_birth"
        ).distinct():
            p = person(crn)
            p["noms"].add(noms)
            p["names"].add(name)
            p["dobs"].add(dob)
    for crn, noms in DomainEvent.objects.values_list("crn", "noms_number").distinct():
        person(crn)["noms"].add(noms)
    for crn in ManualPlacement.objects.values_list("crn", flat=True).distinct():
        person(crn)
    views = AuditEvent.objects.filter(subject_type="person").exclude(crn="").exclude(action__startswith="privacy.")
    for crn, label in views.values_list("crn", "subject_label").distinct():
        person(crn)["names"].add(label)
    for crn in AuditEvent.objects.exclude(crn="").values_list("crn", flat=True).distinct():
        person(crn)
    return [
        Identity(
            crn,
            frozenset(n for n in p["noms"] if n),
            frozenset(n for n in p["names"] if n),
            frozenset(d for d in p["dobs"] if d),
        )
        for crn, p in people.items()
        if crn
    ]


def copied_models():
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and m._meta.label_lower not in NOT_COPIED
    ]


def copy_anonymised_database(settings_dict: dict, *, progress: Callable[[str], None] = lambda _: None) -> dict:
    """Copy every table into the (empty) database described by `settings_dict`; return the rows per table."""
    source = connections["default"]
    if (
        settings_dict.get("ENGINE") == source.settings_dict["ENGINE"]
        and str(settings_dict.get("NAME")) == str(source.settings_dict["NAME"])
        and settings_dict.get("HOST", "") == source.settings_dict.get("HOST", "")
    ):
        raise ImproperlyConfigured("The copy must go to another database, not the one it is copied from")
    open_target(settings_dict)
    try:
        target = connections[TARGET_ALIAS]
        call_command("migrate", database=TARGET_ALIAS, verbosity=0, interactive=False)
        for model in (Referral, Booking, apps.get_model("accounts", "User")):
            if model._base_manager.using(TARGET_ALIAS).exists():
                raise ImproperlyConfigured("The target database already holds data: give an empty database")
        replacer = Replacer(everyone(), Pseudonyms(secrets.token_bytes(32), taken=identifiers_in_use()))
        counts: dict[str, int] = {}
        models = copied_models()
        with transaction.atomic(using=TARGET_ALIAS):
            # Migrations load the reference data and create content types and permissions: replaced
            # by the source's rows so every key matches. Foreign keys are checked at commit.
            for model in reversed(models):
                model._base_manager.using(TARGET_ALIAS).all()._raw_delete(TARGET_ALIAS)
            for model in models:
                counts[model._meta.label] = _copy_table(model, target, replacer)
                progress(f"{model._meta.label}: {counts[model._meta.label]} rows")
            with target.cursor() as cursor:
                for sql in target.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(sql)
        return counts
    finally:
        close_target()


def open_target(settings_dict: dict):
    """A connection to the target under TARGET_ALIAS for this thread, without adding it to settings."""
    # configure_settings fills in Django's defaults; it insists on a "default" entry, unused here.
    configured = connections.configure_settings({"default": dict(settings_dict), TARGET_ALIAS: dict(settings_dict)})
    backend = load_backend(configured[TARGET_ALIAS]["ENGINE"])
    connections[TARGET_ALIAS] = backend.DatabaseWrapper(configured[TARGET_ALIAS], TARGET_ALIAS)
    return connections[TARGET_ALIAS]


def close_target() -> None:
    connections[TARGET_ALIAS].close()
    del connections[TARGET_ALIAS]


def _copy_table(model, target, replacer: Replacer) -> int:
    fields = list(model._meta.local_concrete_fields)
    attnames = [f.attname for f in fields]
    label = model._meta.label_lower
    quote = target.ops.quote_name
    # Table and column names come from the models (quoted); every value is a query parameter.
    columns = ", ".join(quote(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    rows = model._base_manager.using("default").order_by("pk").values_list(*attnames)
    count = 0
    batch: list[list] = []
    with target.cursor() as cursor:
        for row in rows.iterator(chunk_size=BATCH):
            values = dict(zip(attnames, row, strict=True))
            values.update(anonymise_row(label, fields, values, replacer))
            batch.append([f.get_db_prep_save(values[f.attname], connection=target) for f in fields])
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count
