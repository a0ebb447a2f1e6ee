"""Give every local authority its probation region (data/local_authority_areas.csv), so pickers can
offer a region's own authorities first and a property's authority can be kept in its region."""

from django.db import migrations


def load(apps, schema_editor):
    from cas.reference.loader import load_local_authority_regions

    load_local_authority_regions(apps.get_model, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("reference", "0009_local_authority_region")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
