"""Characteristic labels in sentence case with no slashes or dashes (GOV.UK style: brackets or plain
words instead). Only the labels change: each characteristic keeps its key (scope and property name), and
one an administrator has renamed keeps its new name."""

from django.db import migrations

# (scope, property name): (old label, new label)
LABELS = {
    ("premises", "other"): ("Other – please state in notes", "Other (add details in the notes)"),
    ("bedspace", "other"): ("Other – please state in notes", "Other (add details in the notes)"),
    ("premises", "isRural"): ("Rural/out of town", "Rural or out of town"),
    ("premises", "isCloseAnotherCas3Property"): (
        "Close proximity to another CAS3 property",
        "Close to another CAS3 property",
    ),
}


def relabel(apps, schema_editor, *, forwards=True):
    db = schema_editor.connection.alias
    Characteristic = apps.get_model("reference", "Characteristic")
    for (scope, property_name), (old, new) in LABELS.items():
        before, after = (old, new) if forwards else (new, old)
        Characteristic.objects.using(db).filter(key=f"cas3:{scope}:{property_name}", name=before).update(name=after)


def unrelabel(apps, schema_editor):
    relabel(apps, schema_editor, forwards=False)


class Migration(migrations.Migration):
    dependencies = [("reference", "0010_load_local_authority_regions")]

    operations = [migrations.RunPython(relabel, unrelabel)]
