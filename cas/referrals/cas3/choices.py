"""Value lists of the CAS3 referral, in our own words. Stored answers hold the keys; the labels
are what people read. Keys never change once drafts may hold them (change a label freely; remove
or rename a key only with a form version and a migration step)."""

import datetime as dt
from dataclasses import dataclass

SENTENCE_TYPES = [
    ("standard_determinate", "Standard determinate custody"),
    ("life", "Life sentence"),
    ("ipp", "Imprisonment for public protection (IPP)"),
    ("extended_determinate", "Extended determinate sentence"),
    ("ora_adult_custody", "Offender Rehabilitation Act (ORA) adult custody"),
]


@dataclass(frozen=True)
class ReleaseType:
    key: str
    label: str
    abbreviation: str  # as reported (comma-joined in the typed column)
    offered_until: dt.date | None = None


RELEASE_TYPES = (
    ReleaseType("crd", "Conditional release date (CRD) licence", "CRD licence"),
    ReleaseType("parole", "Parole", "Parole"),
    ReleaseType("fixed_term_recall", "Fixed-term recall", "Fixed-term recall"),
    ReleaseType("standard_recall", "Standard recall", "Standard recall"),
    ReleaseType("rarr", "Risk assessed recall review (RARR)", "RARR"),
    ReleaseType("ipp_rarr", "Imprisonment for public protection risk assessed recall review (IPP RARR)", "IPP RARR"),
    # Post sentence supervision stopped being a CAS3 release type on 11 May 2026.
    ReleaseType("pss", "Post sentence supervision (PSS)", "PSS", offered_until=dt.date(2026, 5, 10)),
)
RELEASE_TYPES_BY_KEY = {r.key: r for r in RELEASE_TYPES}
MAX_RELEASE_TYPES = 2
# Release types that cannot be given together (each pair works both ways).
INCOMPATIBLE_RELEASE_TYPES = {
    "crd": ("parole", "ipp_rarr"),
    "fixed_term_recall": ("parole", "standard_recall", "rarr", "ipp_rarr"),
}

ELIGIBILITY_REASONS = [
    ("homeless_from_prison", "They will be homeless when released from prison"),
    ("homeless_from_approved_premises", "They are moving on, homeless, from an Approved Premises (CAS1)"),
    ("homeless_from_cas2", "They are moving on, homeless, from CAS2 accommodation (formerly BASS)"),
]
NOT_ELIGIBLE = (
    "people serving community orders or suspended sentence orders only",
    "people released on remand or bail",
    "people who become homeless later during their licence",
    "people released on home detention curfew (HDC)",
    "people released at the end of their sentence (sentence expiry date)",
    "foreign nationals with no recourse to public funds",
)

LICENCE_CONDITIONS = [
    ("alcohol_monitoring", "Alcohol monitoring"),
    ("civil_orders", "Civil orders, restraining orders or criminal behaviour orders (for example SHPO)"),
    ("curfew", "Curfew"),
    ("drug_testing", "Drug testing"),
    ("engagement_with_services", "Engagement with services"),
    ("exclusion_zone", "Exclusion zone (make sure the exclusion zone map is in NDelius)"),
    ("inform_relationships", "Tell their probation practitioner about developing intimate relationships"),
    ("no_contact_with_children", "No contact with children"),
    ("non_association", "Non-association"),
    ("non_contact", "Non-contact"),
    ("programmes", "Take part in or co-operate with programmes or activities"),
    ("residency_restriction", "Restriction of residency"),
    ("other", "Other conditions relevant to accommodation"),
]

SAFETY_PLAN = [
    ("yes_shared", "Yes, and they agreed to share it"),
    ("yes_not_shared", "Yes, but they did not agree to share it"),
    ("no", "No safety plan"),
]

APPROVALS = [
    ("yes", "Yes"),
    ("required_once_address_proposed", "No, approval will be needed once the HPT proposes an address"),
    ("not_required", "No, approvals are not needed"),
]

PREVIOUS_ACCOMMODATION = [
    ("cas1", "Approved Premises (CAS1)"),
    ("cas2", "CAS2 (bail and home detention curfew accommodation)"),
    ("cas3", "CAS3 (transitional accommodation)"),
]

NEEDS = [
    ("hearing", "Hearing impairment"),
    ("language", "Language (for example, needs an interpreter)"),
    ("learning_disability", "Learning disability"),
    ("mental_health", "Mental health"),
    ("mobility", "Mobility"),
    ("neurodivergence", "Neurodivergence"),
    ("physical_health", "Physical health condition"),
    ("visual", "Visual impairment"),
    ("other", "Another need"),
    ("none", "None of these"),
]

DTR_OUTCOMES = [
    ("accepted_prevention_relief", "Yes, accepted under the prevention and relief duty"),
    ("accepted_priority_need", "Yes, accepted as a priority need"),
    ("rejected_no_local_connection", "Yes, rejected: no local connection"),
    ("rejected_intentionally_homeless", "Yes, rejected: intentionally homeless"),
    ("rejected_other", "Yes, rejected for another reason"),
    ("not_received", "No, there is no outcome yet"),
]

PDU_EVIDENCE = [("yes", "Yes, the evidence is in NDelius"), ("not_yet", "Not yet")]
