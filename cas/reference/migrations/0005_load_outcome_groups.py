"""Give each CAS3 move-on category its official-statistics outcome group (data/move_on_outcome_groups.csv)."""

from django.db import migrations


def load(apps, schema_editor):
    from cas.reference.loader import load_outcome_groups

    load_outcome_groups(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("reference", "0004_move_on_outcome_group")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
