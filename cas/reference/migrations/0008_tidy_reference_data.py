"""Tidy the reference data users see: destination providers in one style (no "Ext - " or
"External - " prefixes, no "Region" suffixes, sentence case) and without the supplier's test row
("ZZ BAST Public Provider 1"); local authorities in England and Wales only (the service places
people in England and Wales: the Scottish and Northern Irish councils are no longer offered).

Records that name a renamed provider keep it (the row is renamed, not replaced); the test row and
the councils are switched off rather than deleted, as records may name them."""

from django.db import migrations
from django.db.models import Q

PROVIDER_NAMES = {
    "Central Projects Team": "Central projects team",
    "Commissioned Rehab Services": "Commissioned rehabilitative services",
    "East Midlands Region": "East Midlands",
    "Kent Surrey Sussex Region": "Kent, Surrey and Sussex",
    "North East Region": "North East",
    "North West Region": "North West",
    "West Midlands Region": "West Midlands",
    "Yorkshire and The Humber": "Yorkshire and the Humber",
    "No Trust or Trust Unknown": "No trust, or trust not known",
    "Ext - East Midlands Region": "East Midlands (external)",
    "Ext - East of England": "East of England (external)",
    "Ext - Greater Manchester": "Greater Manchester (external)",
    "Ext - Kent Surrey Sussex": "Kent, Surrey and Sussex (external)",
    "Ext - North East Region": "North East (external)",
    "Ext - North West Region": "North West (external)",
    "Ext - South Central": "South Central (external)",
    "Ext - South West": "South West (external)",
    "Ext - West Midlands Region": "West Midlands (external)",
    "Ext - Yorkshire and The Humber": "Yorkshire and the Humber (external)",
    "External - London": "London (external)",
    "External - Wales": "Wales (external)",
}


def tidy(apps, schema_editor):
    db = schema_editor.connection.alias
    Provider = apps.get_model("reference", "DestinationProvider")
    for old, new in PROVIDER_NAMES.items():
        if not Provider.objects.using(db).filter(key=new).exists():
            Provider.objects.using(db).filter(key=old).update(key=new, name=new)
    Provider.objects.using(db).filter(key__startswith="ZZ ").update(is_active=False)
    Area = apps.get_model("reference", "LocalAuthorityArea")
    Area.objects.using(db).exclude(Q(identifier__startswith="E") | Q(identifier__startswith="W")).update(
        is_active=False
    )


class Migration(migrations.Migration):
    dependencies = [("reference", "0007_load_prisons")]

    operations = [migrations.RunPython(tidy, migrations.RunPython.noop)]
