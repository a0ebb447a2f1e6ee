"""Load CAS2's routes and cohorts (cas/referrals/cas2/data/)."""

from django.db import migrations


def load(apps, schema_editor):
    from cas.referrals.cas2.routes import load_routes

    load_routes(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0005_cas2_routes_cohorts_and_columns")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
