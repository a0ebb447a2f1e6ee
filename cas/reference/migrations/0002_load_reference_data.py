"""Load the bundled reference lists, so `migrate` on an empty database gives a usable service."""

from django.db import migrations


def load(apps, schema_editor):
    from cas.reference.loader import load_all

    load_all(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
