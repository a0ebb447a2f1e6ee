"""Load the bundled reference lists, so `migrate` on an empty database gives a usable service."""

from django.db import migrations


def load(apps, schema_editor):
    # Only the loaders for fields that exist at this point of the history; later data migrations
    # (e.g. 0005 outcome groups) load what later fields need.
    from cas.reference.loader import load_entries, load_geography

    load_geography(apps.get_model)
    load_entries(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
