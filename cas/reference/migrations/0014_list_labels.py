"""Move-on categories, departure reasons and referral rejection reasons in one style, and the last void
reasons with "e.g.": sentence case, commas, "or" and brackets instead of slashes and dashes, "for example"
instead of "e.g.". Only the labels change: each row keeps its key (made from its first name, which the data
files keep in `key_name`), and one an administrator has renamed keeps its name."""

from django.db import migrations

# model: {key: (old label, new label)}
LABELS = {
    "MoveOnCategory": {
        "approved-premises:B & B / Temp / Short-Term Housing:MC05": ("B & B / Temp / Short-Term Housing", "Bed and breakfast, temporary or short-term housing"),
        "approved-premises:Deported/ Detention Centre/IRC:MC10": ("Deported/ Detention Centre/IRC", "Deported, detention centre or IRC"),
        "approved-premises:Housing Association - Rented:MC03": ("Housing Association - Rented", "Housing association (rented)"),
        "approved-premises:Living with Family/ Partner/ Other:MC07": ("Living with Family/ Partner/ Other", "Living with family, partner or other"),
        "approved-premises:Local Authority - Rented:MC02": ("Local Authority - Rented", "Local authority (rented)"),
        "approved-premises:Local Authority / Housing Association - Rented:MC02": ("Local Authority / Housing Association - Rented", "Local authority or housing association (rented)"),
        "approved-premises:No Fixed Abode:MC14": ("No Fixed Abode", "No fixed abode"),
        "approved-premises:Not Applicable:MCNA": ("Not Applicable", "Not applicable"),
        "approved-premises:Owner Occupied:MC08": ("Owner Occupied", "Owner occupied"),
        "approved-premises:Private Rented:MC04": ("Private Rented", "Private rented"),
        "temporary-accommodation:Accommodation secured via AfEO – Accommodation for Ex-Offenders Scheme:": ("Accommodation secured via AfEO – Accommodation for Ex-Offenders Scheme", "Accommodation secured through the Accommodation for Ex-Offenders (AfEO) scheme"),
        "temporary-accommodation:CAS1/AP:": ("CAS1/AP", "CAS1 (approved premises)"),
        "temporary-accommodation:Homeless – rough sleeping:": ("Homeless – rough sleeping", "Homeless (rough sleeping)"),
        "temporary-accommodation:Homeless – shelter/emergency hostel/campsite:": ("Homeless – shelter/emergency hostel/campsite", "Homeless (shelter, emergency hostel or campsite)"),
        "temporary-accommodation:Homeless – squat:": ("Homeless – squat", "Homeless (squat)"),
        "temporary-accommodation:Householder (owner – freehold or leasehold):": ("Householder (owner – freehold or leasehold)", "Householder (owner, freehold or leasehold)"),
        "temporary-accommodation:Pending (awaiting move on outcome in NDelius – to be updated):": ("Pending (awaiting move on outcome in NDelius – to be updated)", "Pending (awaiting move on outcome in NDelius, to be updated)"),
        "temporary-accommodation:Rental accommodation - private rental:": ("Rental accommodation - private rental", "Rental accommodation (private rental)"),
        "temporary-accommodation:Rental accommodation - social rental:": ("Rental accommodation - social rental", "Rental accommodation (social rental)"),
        "temporary-accommodation:Transient/Short term accommodation:": ("Transient/Short term accommodation", "Transient or short-term accommodation"),
        "temporary-accommodation:Updated move on outcome - not recorded in NDelius:": ("Updated move on outcome - not recorded in NDelius", "Updated move on outcome (not recorded in NDelius)"),
    },
    "DepartureReason": {
        "*::Admitted to Hospital:Q": ("Admitted to Hospital", "Admitted to hospital"),
        "*::Bed Withdrawn:X": ("Bed Withdrawn", "Bed withdrawn"),
        "*::Breach / recall (abscond):A": ("Breach / recall (abscond)", "Breach or recall (abscond)"),
        "*::Breach / recall (behaviour / increasing risk):D": ("Breach / recall (behaviour / increasing risk)", "Breach or recall (behaviour or increasing risk)"),
        "*::Breach / recall (curfew):F": ("Breach / recall (curfew)", "Breach or recall (curfew)"),
        "*::Breach / recall (house rules):B": ("Breach / recall (house rules)", "Breach or recall (house rules)"),
        "*::Breach / recall (licence or bail condition):E": ("Breach / recall (licence or bail condition)", "Breach or recall (licence or bail condition)"),
        "*::Breach / recall (other):G": ("Breach / recall (other)", "Breach or recall (other)"),
        "*::Breach / recall (positive drugs test):C": ("Breach / recall (positive drugs test)", "Breach or recall (positive drugs test)"),
        "approved-premises::Admitted to Hospital:Q": ("Admitted to Hospital", "Admitted to hospital"),
        "approved-premises::Bed Withdrawn:X": ("Bed Withdrawn", "Bed withdrawn"),
        "approved-premises::Breach / Recall:": ("Breach / Recall", "Breach or recall"),
        "approved-premises::Order / licence expired:N": ("Order / licence expired", "Order or licence expired"),
        "approved-premises:Breach / Recall:Behaviour / increasing risk in AP:D": ("Behaviour / increasing risk in AP", "Behaviour or increasing risk in AP"),
        "approved-premises:Breach / Recall:Order, licence or Bail Condition:E": ("Order, licence or Bail Condition", "Order, licence or bail condition"),
        "approved-premises:Breach / Recall:Positive alcohol test / use:PAT": ("Positive alcohol test / use", "Positive alcohol test or use"),
        "approved-premises:Breach / Recall:Positive drug test / use:C": ("Positive drug test / use", "Positive drug test or use"),
        "temporary-accommodation::Admitted to Hospital/Healthcare Facility:": ("Admitted to Hospital/Healthcare Facility", "Admitted to hospital or healthcare facility"),
        "temporary-accommodation::Bed Withdrawn - Further custodial sentence imposed:": ("Bed Withdrawn - Further custodial sentence imposed", "Bed withdrawn (further custodial sentence imposed)"),
        "temporary-accommodation::Bed Withdrawn - Recall/Breach:": ("Bed Withdrawn - Recall/Breach", "Bed withdrawn (recall or breach)"),
        "temporary-accommodation::Bed Withdrawn - Serious Incident related to CAS3 placement:": ("Bed Withdrawn - Serious Incident related to CAS3 placement", "Bed withdrawn (serious incident related to CAS3 placement)"),
        "temporary-accommodation::Bed Withdrawn – Further offence/behaviour/increasing risk:": ("Bed Withdrawn – Further offence/behaviour/increasing risk", "Bed withdrawn (further offence, behaviour or increasing risk)"),
        "temporary-accommodation::Bed Withdrawn – Person on probation no longer in property:": ("Bed Withdrawn – Person on probation no longer in property", "Bed withdrawn (person on probation no longer in property)"),
        "temporary-accommodation::Planned Move on:": ("Planned Move on", "Planned move-on"),
    },
    "ReferralRejectionReason": {
        "CAS1/AP alternative suitable accommodation provided": ("CAS1/AP alternative suitable accommodation provided", "CAS1 (approved premises) alternative suitable accommodation provided"),
        "Local authority alternative suitable accommodation provided (includes Priority Need)": ("Local authority alternative suitable accommodation provided (includes Priority Need)", "Local authority alternative suitable accommodation provided (includes priority need)"),
        "Not eligible (e.g. already released into the community, HDC)": ("Not eligible (e.g. already released into the community, HDC)", "Not eligible (for example, already released into the community, HDC)"),
        "Other alternative accommodation provided (e.g. friends or family)": ("Other alternative accommodation provided (e.g. friends or family)", "Other alternative accommodation provided (for example, friends or family)"),
        "Supplier unable to accommodate (e.g. arson needs cannot be met)": ("Supplier unable to accommodate (e.g. arson needs cannot be met)", "Supplier unable to accommodate (for example, arson needs cannot be met)"),
    },
    "VoidReason": {
        "Cooling off after incident (e.g. crime scene)": ("Cooling off after incident (e.g. crime scene)", "Cooling off after incident (for example, crime scene)"),
        "Damage repairs (e.g. by person, from flooding)": ("Damage repairs (e.g. by person, from flooding)", "Damage repairs (for example, by person, from flooding)"),
        "Maintenance repairs (e.g. damp, infestation)": ("Maintenance repairs (e.g. damp, infestation)", "Maintenance repairs (for example, damp, infestation)"),
        "Occupancy reduced (e.g. from 2 bed to single)": ("Occupancy reduced (e.g. from 2 bed to single)", "Occupancy reduced (for example, from 2 bed to single)"),
    },
}


def relabel(apps, schema_editor):
    from cas.reference.loader import relabel as relabel_rows

    relabel_rows(apps.get_model, LABELS, using=schema_editor.connection.alias)


def unrelabel(apps, schema_editor):
    from cas.reference.loader import relabel as relabel_rows

    relabel_rows(apps.get_model, LABELS, using=schema_editor.connection.alias, forwards=False)


class Migration(migrations.Migration):
    dependencies = [("reference", "0013_cancellation_reason_labels")]

    operations = [migrations.RunPython(relabel, unrelabel)]
