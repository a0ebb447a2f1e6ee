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


def relabel(apps, schema_editor, *, forwards=True):
    db = schema_editor.connection.alias
    for model_name, labels in LABELS.items():
        model = apps.get_model("reference", model_name)
        for key, (old, new) in labels.items():
            before, after = (old, new) if forwards else (new, old)
            model.objects.using(db).filter(key=key, name=before).update(name=after)


def unrelabel(apps, schema_editor):
    relabel(apps, schema_editor, forwards=False)


class Migration(migrations.Migration):
    dependencies = [("reference", "0011_characteristic_labels")]

    operations = [migrations.RunPython(relabel, unrelabel)]
