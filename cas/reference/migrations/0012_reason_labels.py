"""Non-arrival and void reasons in sentence case, without slashes or dashes (GOV.UK style: commas,
brackets or plain words instead). Only the labels change: each row keeps its key (made from its first
name, which the data files keep in `key_name`), and one an administrator has renamed keeps its name."""

from django.db import migrations

# model: {key: (old label, new label)}
LABELS = {
    "NonArrivalReason": {
        "Arrested / In custody / Recalled:1H": ("Arrested / In custody / Recalled", "Arrested, in custody or recalled"),
        "Custodial disposal - RIC:1H": ("Custodial disposal - RIC", "Custodial disposal (RIC)"),
        "Offer Withdrawn:B": ("Offer Withdrawn", "Offer withdrawn"),
        "Withdrawn by Referrer:C": ("Withdrawn by Referrer", "Withdrawn by referrer"),
    },
    "VoidReason": {
        "Death – personal property collection": (
            "Death – personal property collection",
            "Death (collecting personal property)",
        ),
    },
}


def relabel(apps, schema_editor):
    from cas.reference.loader import relabel as relabel_rows

    relabel_rows(apps.get_model, LABELS, using=schema_editor.connection.alias)


def unrelabel(apps, schema_editor):
    from cas.reference.loader import relabel as relabel_rows

    relabel_rows(apps.get_model, LABELS, using=schema_editor.connection.alias, forwards=False)


class Migration(migrations.Migration):
    dependencies = [("reference", "0011_characteristic_labels")]

    operations = [migrations.RunPython(relabel, unrelabel)]
