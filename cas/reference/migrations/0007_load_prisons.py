"""Load the prisons list (data/prisons.csv): prison staff's scope, and where applications follow people."""

from django.db import migrations


def load(apps, schema_editor):
    from cas.reference.loader import load_prisons

    load_prisons(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("reference", "0006_prisons")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
