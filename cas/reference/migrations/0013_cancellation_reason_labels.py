"""CAS3 cancellation reasons in one style: brackets instead of hyphens and en dashes, "for example"
instead of "e.g.", sentence case. Only the labels change: each row keeps its key (made from its first
name, which the data file keeps in `key_name`), and one an administrator has renamed keeps its name."""

from django.db import migrations

# model: {key: (old label, new label)}
LABELS = {
    "CancellationReason": {
        "temporary-accommodation:Changes to booking - new booking not required": (
            "Changes to booking - new booking not required",
            "Changes to booking (new booking not required)",
        ),
        "temporary-accommodation:Changes to booking - new booking required (e.g. new release date)": (
            "Changes to booking - new booking required (e.g. new release date)",
            "Changes to booking (new booking required, for example a new release date)",
        ),
        "temporary-accommodation:Person on probation failed to arrive (gate arrest/recall)": (
            "Person on probation failed to arrive (gate arrest/recall)",
            "Person on probation failed to arrive (gate arrest or recall)",
        ),
        "temporary-accommodation:Recording Error (e.g. a data entry error)": (
            "Recording Error (e.g. a data entry error)",
            "Recording error (for example, a data entry error)",
        ),
        "temporary-accommodation:Risk or needs cannot be safely managed in CAS3 – new booking not required": (
            "Risk or needs cannot be safely managed in CAS3 – new booking not required",
            "Risk or needs cannot be safely managed in CAS3 (new booking not required)",
        ),
        "temporary-accommodation:Risk or needs cannot be safely managed in CAS3 – new booking required": (
            "Risk or needs cannot be safely managed in CAS3 – new booking required",
            "Risk or needs cannot be safely managed in CAS3 (new booking required)",
        ),
        "temporary-accommodation:Other alternative accommodation provided (e.g. friends or family)": (
            "Other alternative accommodation provided (e.g. friends or family)",
            "Other alternative accommodation provided (for example, friends or family)",
        ),
        "temporary-accommodation:Withdrawn by referrer (e.g. recalled, further custody, placement related risk concern)": (
            "Withdrawn by referrer (e.g. recalled, further custody, placement related risk concern)",
            "Withdrawn by referrer (for example, recalled, further custody, placement related risk concern)",
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
    dependencies = [("reference", "0012_reason_labels")]

    operations = [migrations.RunPython(relabel, unrelabel)]
