"""CAS3 referrals sent before the form's "registered sex offender" field read the case system: the
form asks the question only after a sexual offence, so every other referral was stored as "not known"
although the risk snapshot taken with the draft said whether the case system holds the registration.
Fill those from the snapshot, as `cas.referrals.cas3.definition.registered_sex_offender` now does at
submission. Referrals whose snapshot could not be taken stay "not known"."""

from django.db import migrations

# The NDelius registration (cas.people.ports.FLAG_REGISTERED_SEX_OFFENDER), written out so that this
# migration does not change when the application code does.
FLAG = "Registered sex offender"


def fill(apps, schema_editor):
    Referral = apps.get_model("referrals", "Referral")
    db = schema_editor.connection.alias
    rows = (
        Referral.objects.using(db)
        .filter(service="cas3", submitted_at__isnull=False, is_registered_sex_offender__isnull=True)
        .exclude(risk_snapshot__isnull=True)
        .values_list("pk", "risk_snapshot")
    )
    yes, no = [], []
    for pk, snapshot in rows.iterator(chunk_size=2000):
        if not isinstance(snapshot, dict):
            continue
        (yes if FLAG in (snapshot.get("flags") or ()) else no).append(pk)
    for value, pks in ((True, yes), (False, no)):
        for start in range(0, len(pks), 1000):
            Referral.objects.using(db).filter(pk__in=pks[start : start + 1000]).update(
                is_registered_sex_offender=value
            )


class Migration(migrations.Migration):
    dependencies = [("referrals", "0007_timeline_placement_kind")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
