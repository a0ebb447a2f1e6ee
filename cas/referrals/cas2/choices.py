"""Value lists of the CAS2 application, in our own words. Stored answers hold the keys; the labels
are what people read. Keys never change once drafts may hold them (change a label freely; remove
or rename a key only with a form version and a migration step)."""

from cas.people.ports import ROSH_LEVELS

# The routes into CAS2. Routes are reference data, but the form's applicability rests on these
# four codes, so they are fixed.
COURT_BAIL = "court_bail"
PRISON_BAIL = "prison_bail"
HDC = "hdc"
PROBATION = "probation"
ROUTES = (COURT_BAIL, PRISON_BAIL, HDC, PROBATION)
BAIL_ROUTES = frozenset({COURT_BAIL, PRISON_BAIL})
# Routes where the applicant is in custody while the application is made.
CUSTODIAL_ROUTES = frozenset({COURT_BAIL, PRISON_BAIL, HDC})
# Routes with a sentence to describe (current offences rather than alleged ones).
SENTENCED_ROUTES = frozenset({HDC, PROBATION})

HDC_CRITERIA = (
    "they are 18 or older",
    "they have no current charges, convictions, cautions or allegations of a sexual offence "
    "(Schedule 3 of the Sexual Offences Act 2003)",
    "their risk of serious harm is not high or very high",
    "they have not breached immigration rules, other than by overstaying",
    "they do not have a condition of no recourse to public funds",
    "they can live independently",
    "they have not been recalled for breaching HDC",
    "they have no outstanding charge for an offence committed during this sentence",
    "their conditional release date is more than 10 days away",
)
BAIL_CRITERIA = (
    "they are 18 or older",
    "they can live independently in shared accommodation",
    "their risk of serious harm is low or medium",
    "they have no allegations, charges, convictions or cautions for a sexual offence",
    "they have not breached immigration rules, other than by overstaying",
    "they do not have a condition of no recourse to public funds",
)

IMMIGRATION_STATUSES = [
    ("uk_citizen", "British or Irish citizen"),
    ("settled", "Settled status (indefinite leave to remain)"),
    ("pre_settled", "Pre-settled status"),
    ("limited_leave", "Limited leave to remain"),
    ("refugee", "Refugee status or humanitarian protection"),
    ("asylum_seeker", "Asylum seeker"),
    ("no_leave", "No leave to remain"),
    ("other", "Other"),
    ("not_known", "Not known"),
]

PREFER_NOT_TO_SAY = ("prefer_not_to_say", "Prefer not to say")
SEXES = [("female", "Female"), ("male", "Male"), PREFER_NOT_TO_SAY]
GENDER_SAME_AS_SEX = [("yes", "Yes"), ("no", "No"), PREFER_NOT_TO_SAY]
ETHNIC_GROUPS = [
    ("white", "White"),
    ("mixed", "Mixed or multiple ethnic groups"),
    ("asian", "Asian or Asian British"),
    ("black", "Black, Black British, Caribbean or African"),
    ("other", "Other ethnic group"),
    PREFER_NOT_TO_SAY,
]
DISABILITY = [("yes", "Yes"), ("no", "No"), PREFER_NOT_TO_SAY]
RELIGIONS = [
    ("none", "No religion"),
    ("christian", "Christian"),
    ("muslim", "Muslim"),
    ("hindu", "Hindu"),
    ("sikh", "Sikh"),
    ("jewish", "Jewish"),
    ("buddhist", "Buddhist"),
    ("other", "Any other religion"),
    PREFER_NOT_TO_SAY,
]

HOUSING_BENEFIT = "housing_benefit"
PERSONAL_MONEY = "personal_money"
FUNDING_SOURCES = [
    (HOUSING_BENEFIT, "Housing Benefit, with their own money for the service charge"),
    (PERSONAL_MONEY, "Their own money, such as wages, savings or a pension"),
]

NO_ID = "none"
ID_DOCUMENTS = [
    ("passport", "Passport"),
    ("driving_licence", "Driving licence"),
    ("birth_certificate", "Birth certificate"),
    ("biometric_residence_permit", "Biometric residence permit"),
    ("bank_card", "Bank or building society card"),
    ("national_insurance_letter", "Letter with their National Insurance number"),
    ("benefits_letter", "Letter about their benefits"),
    ("other", "Other identity document"),
    (NO_ID, "None of these"),
]

OFFENCE_TYPES = [
    ("stalking_or_harassment", "Stalking or harassment"),
    ("weapons_or_firearms", "Weapons or firearms"),
    ("arson", "Arson"),
    ("violence", "Violence"),
    ("domestic_abuse", "Domestic abuse"),
    ("hate_crime", "Hate crime"),
    ("drugs", "Drugs"),
    ("other", "Other"),
]

YES_RELEVANT = "yes_relevant"
YES_NOT_RELEVANT = "yes_not_relevant"
UNSPENT_CONVICTIONS = [
    (YES_RELEVANT, "Yes, and they are relevant to the risk {name} poses"),
    (YES_NOT_RELEVANT, "Yes, but they are not relevant to the risk {name} poses"),
    ("no", "No"),
]

# The same levels as the risk system's (`cas.people.ports.ROSH_LEVELS`), so that an OASys snapshot
# pre-fills the answer as it is and reports read one set of values.
ROSH_CHOICES = [(level, level) for level in ROSH_LEVELS]
ROSH_GROUPS = (
    ("children", "Risk to children"),
    ("public", "Risk to the public"),
    ("known_adult", "Risk to a known adult"),
    ("staff", "Risk to staff"),
    ("overall", "Overall risk"),
)

NO_RISK_MANAGEMENT = "none"
RISK_MANAGEMENT = [
    ("mappa", "Multi-agency public protection arrangements (MAPPA)"),
    ("marac", "Multi-agency risk assessment conference (MARAC)"),
    ("iom", "Integrated offender management (IOM)"),
    (NO_RISK_MANAGEMENT, "None of these"),
]

HEARING_MEDIUMS = [
    ("in_court", "In person at court"),
    ("video", "By video link"),
    ("judge_in_chambers", "By a judge in chambers"),
]
