"""Deterministic synthetic adapters: the default for development, tests and demos.

About 1,300 generated people plus a fixed set of hand-written demo cases (``DEMO_CRNS``). Every run,
on every machine, gives the same people: each generated person has its own ``random.Random`` seeded
from a string, so adding a field changes only that field and not everybody after it.

Dates that must look current (release dates, OASys dates, ACCT alerts) are relative to an *anchor*
date. The anchor is fixed by default (``SYNTHETIC_ANCHOR``) so output never changes; a demo site can
pass ``anchor="today"`` to every synthetic class (through ``settings.INTEGRATIONS``) so releases stay
in the next few months. Names, CRNs and dates of birth do not depend on the anchor.
"""

from __future__ import annotations

import functools
import random
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from . import reference_data
from .ports import (
    CASE_SYSTEM_NAME,
    CUSTODY_IN_COMMUNITY,
    CUSTODY_IN_CUSTODY,
    CUSTODY_ON_LICENCE,
    CUSTODY_REMANDED,
    FLAG_ARSON,
    FLAG_CHILD_CONCERNS,
    FLAG_DOMESTIC_ABUSE,
    FLAG_HATE_CRIME,
    FLAG_REGISTERED_SEX_OFFENDER,
    FLAG_RISK_TO_KNOWN_ADULT,
    FLAG_RISK_TO_SELF,
    FLAG_RISK_TO_STAFF,
    FLAG_SEXUAL_RISK_TO_ADULTS,
    FLAG_SEXUAL_RISK_TO_CHILDREN,
    FLAG_STREET_GANGS,
    FLAG_WEAPONS,
    FLAG_WHEELCHAIR_USER,
    PRISON_SYSTEM_NAME,
    RISK_SYSTEM_NAME,
    ROSH_LEVELS,
    AccessDecision,
    AccessLimits,
    AcctAlert,
    Adjudication,
    Concern,
    GenderIdentity,
    Mappa,
    NoPrisonNumber,
    Offence,
    OffenderManager,
    Person,
    PersonNotFound,
    PrisonRecord,
    RiskManagementPlan,
    RiskSummary,
    RiskToSelf,
    RoshLevel,
    RoshLevels,
    Sex,
    UpstreamUnavailable,
    normalise_identifier,
)
from .reference_data import Pdu

SYNTHETIC_ANCHOR = date(2026, 11, 16)
# Dates of birth are measured from a fixed day so people keep their identity whatever the anchor.
_BIRTH_REFERENCE = date(2026, 6, 1)
GENERATED_PEOPLE = 1300
UK_TZ = ZoneInfo("Europe/London")

RESTRICTED_ACCESS_USER = "demo.restricted-access"
EXCLUDED_DEMO_USER = "demo.cas3.referrer"

RESTRICTION_MESSAGE = (
    "This person's record is restricted. Only named staff can see it. Contact the person's"
    " probation practitioner if you need access."
)
EXCLUSION_MESSAGE = (
    "You have been excluded from seeing this person's record. Contact your line manager if you think this is wrong."
)

UNKNOWN_CRN = "X000000"
CASE_SYSTEM_TIMEOUT_CRN = "X999991"
RISK_SYSTEM_TIMEOUT_CRN = "X999992"
PRISON_SYSTEM_FAILURE_CRN = "X999993"

# The HTTP risk adapter reads MAPPA and flags from NDelius, so an NDelius outage breaks risk too.
_CASE_FAILS = frozenset({CASE_SYSTEM_TIMEOUT_CRN})
_RISK_FAILS = frozenset({CASE_SYSTEM_TIMEOUT_CRN, RISK_SYSTEM_TIMEOUT_CRN})
_PRISON_FAILS = frozenset({PRISON_SYSTEM_FAILURE_CRN})

DEMO_CRNS: dict[str, str] = {
    "X100001": "Typical case: man in custody at HMP Leeds, burglary, medium RoSH, tier B2, CRD licence in 6 weeks",
    "X100002": "Woman in custody at HMP Eastwood Park (South West region), theft and fraud, medium RoSH",
    "X100003": "Transgender woman (sex recorded as Male, gender identity Transgender Female), HMP High Down",
    "X100004": "Registered sex offender, sexual offence against a child, MAPPA CAT 1 / LEVEL 1, high risk to children",
    "X100005": "Sexual risk to adults: registered sex offender (rape of an adult), MAPPA CAT 1 / LEVEL 2",
    "X100006": "Arson history: index offence arson with intent to endanger life, Arson flag",
    "X100007": "Wheelchair user (Wheelchair user flag) aged over 60, low RoSH",
    "X100008": "Restricted person (LAO): only user demo.restricted-access may see this record",
    "X100009": "Excluded case: user demo.cas3.referrer is excluded; everyone else may see it",
    "X100010": "No prison number: in the community, so prison data cannot be imported (NoPrisonNumber)",
    "X100011": "No recent risk assessment: OASys completed 14 months ago",
    "X100012": "No risk assessment at all: RoSH unknown, no risk management plan, no tier",
    "X100013": "Very high RoSH with MAPPA CAT 2 / LEVEL 2, standard recall, risk to staff",
    "X100014": "Several offences (5) from which to choose an index offence",
    "X100015": "Risk to self: current suicide and self-harm concerns and an open ACCT alert",
    "X100016": "Welsh case in the Wales region: North Wales PDU, HMP Berwyn",
    "X100017": "Already released: on licence since 20 days ago, release date in the past",
    "X100018": "Fixed-term recall with four adjudications at HMP Forest Bank",
    "X100019": "Home detention curfew (HDC) release",
    "X100020": "Remanded in custody: release type Remand / bail, no release date",
    "X100021": "Hate crime and domestic abuse perpetrator flags, risk to known adult",
    "X200001": "Typical case in East Midlands (Derby City PDU)",
    "X200002": "Typical case in East of England (Suffolk PDU)",
    "X200003": "Typical case in Greater Manchester (Bolton PDU)",
    "X200004": "Typical case in Kent, Surrey & Sussex (East Kent PDU)",
    "X200005": "Typical case in London (Lewisham and Bromley PDU)",
    "X200006": "Typical case in North East (Sunderland PDU)",
    "X200007": "Typical case in North West (Cumbria PDU)",
    "X200008": "Typical case in South Central (Hampshire North and East PDU)",
    "X200009": "Typical case in South West (Cornwall and Isles of Scilly PDU)",
    "X200010": "Typical case in Wales (Cwm Taf Morgannwg PDU)",
    "X200011": "Typical case in West Midlands (Coventry PDU)",
    "X200012": "Typical case in Yorkshire & The Humber (Hull and East Riding PDU)",
    UNKNOWN_CRN: "Unknown CRN: every system raises PersonNotFound",
    CASE_SYSTEM_TIMEOUT_CRN: "The probation case system times out (UpstreamUnavailable); risk fails too, as it reads MAPPA and flags from NDelius",
    RISK_SYSTEM_TIMEOUT_CRN: "The risk system times out (UpstreamUnavailable); case and prison data load",
    PRISON_SYSTEM_FAILURE_CRN: "The prison system fails (UpstreamUnavailable); case and risk data load",
}

# --- Vocabularies used to generate people -------------------------------------------------------

WHITE_BRITISH = "White: English, Welsh, Scottish, Northern Irish or British"

# fmt: off
# ONS 2021 ethnic groups with rough weights for people on probation, the name pool to draw from,
# and the religions (ONS 2021 categories) and nationalities that go with them.
_ETHNICITIES: tuple[tuple[str | None, float, str], ...] = (
    (WHITE_BRITISH, 62, "english"),
    ("White: Irish", 2, "irish"),
    ("White: Gypsy or Irish Traveller", 2.5, "traveller"),
    ("White: Roma", 0.6, "eastern_european"),
    ("White: Any other White background", 6, "eastern_european"),
    ("Mixed or multiple ethnic groups: White and Black Caribbean", 3, "caribbean_mixed"),
    ("Mixed or multiple ethnic groups: White and Black African", 0.8, "african"),
    ("Mixed or multiple ethnic groups: White and Asian", 0.8, "english"),
    ("Mixed or multiple ethnic groups: Any other Mixed or multiple ethnic background", 1.2, "caribbean_mixed"),
    ("Asian or Asian British: Indian", 1.3, "indian"),
    ("Asian or Asian British: Pakistani", 3, "pakistani"),
    ("Asian or Asian British: Bangladeshi", 1, "bangladeshi"),
    ("Asian or Asian British: Chinese", 0.3, "chinese"),
    ("Asian or Asian British: Any other Asian background", 1.4, "other_asian"),
    ("Black, Black British, Caribbean or African: Caribbean", 4, "caribbean"),
    ("Black, Black British, Caribbean or African: African", 3, "african"),
    ("Black, Black British, Caribbean or African: Any other Black, Black British, or Caribbean background", 2, "caribbean"),
    ("Other ethnic group: Arab", 0.6, "arab"),
    ("Other ethnic group: Any other ethnic group", 1, "other_asian"),
    (None, 2, "english"),  # not recorded in NDelius
)

_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    # pool: (men's first names, women's first names, surnames)
    "english": (
        ("James", "John", "Daniel", "Michael", "David", "Thomas", "Ryan", "Liam", "Jamie", "Lee",
         "Craig", "Dean", "Kyle", "Connor", "Nathan", "Adam", "Mark", "Paul", "Steven", "Christopher",
         "Matthew", "Andrew", "Jason", "Wayne", "Darren", "Gary", "Karl", "Scott", "Shane", "Callum",
         "Jordan", "Reece", "Bradley", "Luke", "Joshua", "Aaron", "Ben", "Sam", "Harry", "Jack",
         "George", "Kieran", "Tyler", "Stuart", "Anthony", "Robert", "Richard", "Peter", "Kevin", "Carl"),
        ("Sarah", "Emma", "Laura", "Gemma", "Kelly", "Claire", "Nicola", "Lisa", "Michelle", "Rebecca",
         "Hannah", "Jade", "Chloe", "Amy", "Stacey", "Donna", "Joanne", "Leanne", "Charlotte",
         "Natalie", "Samantha", "Kerry", "Tracey", "Louise", "Zoe"),
        ("Smith", "Johnson", "Brown", "Taylor", "Wilson", "Walker", "Wright", "Robinson", "Thompson",
         "White", "Edwards", "Green", "Hall", "Wood", "Harris", "Martin", "Jackson", "Clarke", "Turner",
         "Hill", "Scott", "Cooper", "Morris", "Ward", "Moore", "King", "Watson", "Baker", "Harrison",
         "Young", "Allen", "Mitchell", "Anderson", "Bell", "Parker", "Shaw", "Booth", "Barker", "Marsh",
         "Holmes", "Lawson", "Atkinson", "Dixon", "Fletcher", "Hudson", "Pearson", "Riley", "Slater",
         "Whitehead", "Ashworth", "Butterworth", "Pickering", "Robson", "Charlton", "Tomlinson"),
    ),
    "welsh": (
        ("Dafydd", "Rhys", "Gethin", "Iwan", "Huw", "Emyr", "Gareth", "Owain", "Cai", "Aled", "Ieuan",
         "Llŷr", "Geraint", "Bryn", "Gruffydd", "Tomos", "Osian", "Dylan", "Ioan", "Carwyn", "Elis",
         "Steffan", "Meirion", "Rhodri"),
        ("Cerys", "Angharad", "Eleri", "Ffion", "Nia", "Seren", "Gwen", "Rhiannon", "Catrin", "Bethan",
         "Sioned", "Lowri", "Manon", "Elin"),
        ("Jones", "Davies", "Williams", "Evans", "Thomas", "Roberts", "Hughes", "Lewis", "Morgan",
         "Griffiths", "Price", "Pritchard", "Pugh", "Rees", "Powell", "Parry", "Lloyd", "Vaughan",
         "Jenkins", "Owen", "Bowen", "Prosser", "Llewellyn", "Gwilym", "Prydderch", "Meredith",
         "Howells", "Beynon", "Probert", "Bevan"),
    ),
    "irish": (
        ("Sean", "Patrick", "Ciaran", "Declan", "Niall", "Eoin", "Conor", "Brendan"),
        ("Siobhan", "Niamh", "Aoife", "Roisin"),
        ("Murphy", "O'Brien", "Kelly", "Byrne", "Ryan", "O'Connor", "Doyle", "McCarthy", "Gallagher",
         "Quinn"),
    ),
    "traveller": (
        ("John", "Patrick", "Martin", "Michael", "Tommy", "Johnny", "Jimmy"),
        ("Bridget", "Mary", "Margaret", "Kathleen"),
        ("McDonagh", "Ward", "Connors", "Doherty", "Joyce", "Maughan", "Stokes", "Delaney", "Price"),
    ),
    "eastern_european": (
        ("Piotr", "Tomasz", "Marek", "Andrei", "Ionut", "Florin", "Tomas", "Mindaugas", "Darius",
         "Pavel", "Lukasz", "Bogdan"),
        ("Agnieszka", "Ioana", "Anna", "Ewa", "Ramona"),
        ("Kowalski", "Nowak", "Wisniewski", "Popescu", "Ionescu", "Lakatos", "Balogh", "Kazlauskas",
         "Petrauskas", "Horvath", "Dumitru", "Zielinski"),
    ),
    "caribbean": (
        ("Marcus", "Tyrone", "Andre", "Leon", "Delroy", "Winston", "Jermaine", "Kareem", "Dwayne",
         "Curtis", "Jerome", "Nathaniel"),
        ("Shanice", "Tanisha", "Keisha", "Marcia", "Simone"),
        ("Campbell", "Clarke", "Brown", "Williams", "Francis", "Grant", "Henry", "Reid", "Morrison",
         "Bailey", "Gordon", "Simpson"),
    ),
    "caribbean_mixed": (
        ("Jayden", "Kai", "Tyler", "Reece", "Jordan", "Marcus", "Luke", "Ellis", "Kieran"),
        ("Mia", "Shannon", "Jade", "Tia"),
        ("Campbell", "Walker", "Robinson", "Bailey", "Thompson", "Hall", "Gordon", "Lewis", "Stewart"),
    ),
    "african": (
        ("Kwame", "Emeka", "Chidi", "Tunde", "Kofi", "Samuel", "Ibrahim", "Abdi", "Mohamed", "Yusuf",
         "Daniel", "Joseph"),
        ("Amara", "Blessing", "Grace", "Hodan", "Ngozi"),
        ("Mensah", "Okafor", "Adeyemi", "Osei", "Abdi", "Hassan", "Mohamed", "Okonkwo", "Boateng",
         "Owusu", "Warsame", "Kamara"),
    ),
    "indian": (
        ("Arjun", "Rohan", "Sanjay", "Rajesh", "Sunil", "Vikram", "Harpreet", "Gurdeep", "Jaspal",
         "Manjit"),
        ("Priya", "Anjali", "Simran", "Kiran", "Neha"),
        ("Patel", "Singh", "Sharma", "Gill", "Sandhu", "Kumar", "Mistry", "Chauhan", "Dhillon", "Bains"),
    ),
    "pakistani": (
        ("Mohammed", "Imran", "Bilal", "Hamza", "Usman", "Kamran", "Tariq", "Asif", "Shahid", "Faisal"),
        ("Aisha", "Sana", "Nadia", "Ayesha", "Saima"),
        ("Khan", "Hussain", "Ahmed", "Ali", "Akhtar", "Mahmood", "Iqbal", "Rashid", "Shah", "Butt"),
    ),
    "bangladeshi": (
        ("Abdul", "Shahed", "Rahim", "Jamal", "Sohel", "Anwar", "Mizanur"),
        ("Shamima", "Rumana", "Nazia"),
        ("Miah", "Rahman", "Uddin", "Islam", "Chowdhury", "Hoque", "Ali"),
    ),
    "chinese": (
        ("Wei", "Jun", "Hao", "Ming", "Kevin", "Tony"),
        ("Mei", "Li", "Xiu"),
        ("Chen", "Wang", "Li", "Zhang", "Liu", "Wong", "Lam"),
    ),
    "other_asian": (
        ("Minh", "Tuan", "Hung", "Ahmad", "Farid", "Karim", "Ravi"),
        ("Linh", "Thi", "Parisa"),
        ("Nguyen", "Tran", "Pham", "Rahimi", "Hosseini", "Perera", "Fernando"),
    ),
    "arab": (
        ("Omar", "Ahmed", "Khalid", "Youssef", "Karim", "Samir"),
        ("Layla", "Mariam"),
        ("Hassan", "Ibrahim", "Al-Sayed", "Mansour", "Haddad", "Saleh"),
    ),
}

# Religions (ONS 2021 categories) and nationalities by name pool, as (value, weight) pairs.
_RELIGIONS: dict[str, tuple[tuple[str, float], ...]] = {
    "default": (("No religion", 45), ("Christian", 40), ("Buddhist", 1.5), ("Any other religion", 2.5),
                ("Prefer not to say", 8), ("Muslim", 3)),
    "irish": (("Christian", 70), ("No religion", 22), ("Prefer not to say", 8)),
    "traveller": (("Christian", 85), ("No religion", 10), ("Prefer not to say", 5)),
    "eastern_european": (("Christian", 70), ("No religion", 22), ("Prefer not to say", 8)),
    "caribbean": (("Christian", 50), ("No religion", 28), ("Muslim", 12), ("Any other religion", 4),
                  ("Prefer not to say", 6)),
    "african": (("Christian", 45), ("Muslim", 42), ("No religion", 8), ("Prefer not to say", 5)),
    "indian": (("Sikh", 45), ("Hindu", 35), ("Muslim", 8), ("No religion", 7), ("Prefer not to say", 5)),
    "pakistani": (("Muslim", 92), ("No religion", 3), ("Prefer not to say", 5)),
    "bangladeshi": (("Muslim", 93), ("No religion", 2), ("Prefer not to say", 5)),
    "chinese": (("No religion", 60), ("Buddhist", 20), ("Christian", 15), ("Prefer not to say", 5)),
    "other_asian": (("Muslim", 35), ("Buddhist", 25), ("Hindu", 10), ("Christian", 10),
                    ("No religion", 15), ("Prefer not to say", 5)),
    "arab": (("Muslim", 85), ("Christian", 8), ("Prefer not to say", 7)),
}
_NATIONALITIES: dict[str, tuple[tuple[str, float], ...]] = {
    "default": (("British", 100),),
    "irish": (("Irish", 55), ("British", 45)),
    "eastern_european": (("Polish", 30), ("Romanian", 30), ("Lithuanian", 15), ("Albanian", 10),
                         ("Slovak", 5), ("British", 10)),
    "african": (("British", 60), ("Somali", 12), ("Nigerian", 10), ("Eritrean", 6), ("Ghanaian", 6),
                ("Sudanese", 6)),
    "caribbean": (("British", 90), ("Jamaican", 10)),
    "pakistani": (("British", 85), ("Pakistani", 15)),
    "bangladeshi": (("British", 90), ("Bangladeshi", 10)),
    "indian": (("British", 88), ("Indian", 12)),
    "chinese": (("British", 55), ("Chinese", 45)),
    "other_asian": (("Vietnamese", 35), ("Afghan", 25), ("Iranian", 15), ("Sri Lankan", 10),
                    ("British", 15)),
    "arab": (("Iraqi", 30), ("Syrian", 20), ("Sudanese", 15), ("British", 35)),
}

# Offence catalogue: key -> (main category, sub category, description, kind). Kinds drive flags,
# RoSH and the risk management plan.
_OFFENCES: dict[str, tuple[str, str, str, str]] = {
    "burglary_dwelling": ("Burglary", "Burglary in a dwelling", "Burglary in a dwelling (theft)", "acquisitive"),
    "burglary_other": ("Burglary", "Burglary other than in a dwelling", "Burglary in a building other than a dwelling (theft)", "acquisitive"),
    "shop_theft": ("Theft", "Theft from a shop or stall", "Theft from a shop", "acquisitive"),
    "vehicle_theft": ("Theft", "Theft of a motor vehicle", "Theft of a motor vehicle", "acquisitive"),
    "fraud": ("Fraud", "Fraud by false representation", "Fraud by false representation", "acquisitive"),
    "handling": ("Theft", "Handling stolen goods", "Handling stolen goods", "acquisitive"),
    "robbery": ("Robbery", "Robbery of personal property", "Robbery", "violent"),
    "abh": ("Violence against the person", "Assault occasioning actual bodily harm", "Assault occasioning actual bodily harm", "violent"),
    "gbh_s20": ("Violence against the person", "Wounding or inflicting grievous bodily harm", "Wounding or inflicting grievous bodily harm (section 20)", "violent"),
    "gbh_s18": ("Violence against the person", "Wounding with intent to do grievous bodily harm", "Wounding with intent to cause grievous bodily harm (section 18)", "violent"),
    "common_assault": ("Violence against the person", "Common assault", "Common assault and battery", "violent"),
    "emergency_worker": ("Violence against the person", "Assault on an emergency worker", "Assaulting an emergency worker", "violent"),
    "blade": ("Possession of weapons", "Possession of an article with a blade or point", "Having an article with a blade or point in a public place", "weapons"),
    "supply_a": ("Drug offences", "Supplying a controlled drug", "Being concerned in the supply of a Class A controlled drug", "drugs"),
    "pwits": ("Drug offences", "Possession with intent to supply a controlled drug", "Possession with intent to supply a Class B controlled drug", "drugs"),
    "criminal_damage": ("Criminal damage", "Criminal damage", "Criminal damage to property valued over £5,000", "general"),
    "dangerous_driving": ("Motoring offences", "Dangerous driving", "Dangerous driving", "general"),
    "disqualified": ("Motoring offences", "Driving while disqualified", "Driving while disqualified", "general"),
    "racial_public_order": ("Public order offences", "Racially or religiously aggravated public order", "Racially or religiously aggravated harassment, alarm or distress", "hate"),
    "coercive": ("Stalking and harassment", "Controlling or coercive behaviour", "Controlling or coercive behaviour in an intimate or family relationship", "domestic"),
    "restraining_order": ("Stalking and harassment", "Breach of a restraining order", "Breach of a restraining order", "domestic"),
    "arson": ("Arson", "Arson", "Arson (damage to property by fire)", "arson"),
    "arson_life": ("Arson", "Arson endangering life", "Arson with intent to endanger life", "arson"),
    "rape_adult": ("Sexual offences", "Rape of a female aged 16 or over", "Rape of a woman aged 16 or over", "sexual_adult"),
    "sexual_assault_adult": ("Sexual offences", "Sexual assault on a female", "Sexual assault on a woman aged 16 or over", "sexual_adult"),
    "child_sexual_activity": ("Sexual offences against children", "Sexual activity with a child", "Sexual activity with a child under 16", "sexual_child"),
    "indecent_images": ("Sexual offences against children", "Indecent photographs of children", "Making indecent photographs of a child", "sexual_child"),
    "child_sexual_assault": ("Sexual offences against children", "Sexual assault of a child under 13", "Sexual assault of a child under 13", "sexual_child"),
}
_OFFENCES_BY_KIND: dict[str, tuple[str, ...]] = {}
for _key, (_main, _sub, _description, _kind) in _OFFENCES.items():
    _OFFENCES_BY_KIND[_kind] = (*_OFFENCES_BY_KIND.get(_kind, ()), _key)

_INDEX_KIND_WEIGHTS_MEN = (
    ("acquisitive", 29), ("violent", 30), ("drugs", 12), ("weapons", 5), ("domestic", 7),
    ("sexual_child", 3.5), ("sexual_adult", 3.5), ("arson", 3), ("general", 5), ("hate", 2),
)
_INDEX_KIND_WEIGHTS_WOMEN = (
    ("acquisitive", 45), ("violent", 25), ("drugs", 14), ("weapons", 3), ("domestic", 3),
    ("sexual_child", 1), ("arson", 4), ("general", 5),
)
_ADDITIONAL_KIND_WEIGHTS = (
    ("acquisitive", 45), ("violent", 25), ("drugs", 10), ("weapons", 6), ("general", 12), ("domestic", 2),
)

# Men's prisons near each region (NOMIS agency codes) and the women's estate.
_PRISONS_BY_REGION: dict[str, tuple[tuple[str, str], ...]] = {
    "N53": (("NMI", "Nottingham (HMP)"), ("LCI", "Leicester (HMP)"), ("RNI", "Ranby (HMP)"), ("WTI", "Whatton (HMP)")),
    "N56": (("NWI", "Norwich (HMP & YOI)"), ("BAI", "Bedford (HMP)"), ("CDI", "Chelmsford (HMP)"), ("LTI", "Littlehey (HMP)")),
    "N50": (("MRI", "Manchester (HMP)"), ("FMI", "Forest Bank (HMP & YOI)")),
    "N57": (("EYI", "Elmley (HMP)"), ("HOI", "High Down (HMP)"), ("LWI", "Lewes (HMP)"), ("FDI", "Ford (HMP)")),
    "N07": (("PVI", "Pentonville (HMP)"), ("WWI", "Wandsworth (HMP & YOI)"), ("BXI", "Brixton (HMP)"), ("WSI", "Belmarsh (HMP)"), ("TCI", "Thameside (HMP)")),
    "N54": (("DMI", "Durham (HMP)"), ("HHI", "Holme House (HMP)"), ("NLI", "Northumberland (HMP)")),
    "N51": (("LPI", "Liverpool (HMP)"), ("PNI", "Preston (HMP)"), ("ALI", "Altcourse (HMP)"), ("RSI", "Risley (HMP)")),
    "N59": (("WII", "Winchester (HMP)"), ("BCI", "Bullingdon (HMP)"), ("IWI", "Isle of Wight (HMP)")),
    "N58": (("BLI", "Bristol (HMP)"), ("EXI", "Exeter (HMP)"), ("CWI", "Channings Wood (HMP)"), ("EEI", "Erlestoke (HMP)")),
    "N03": (("CFI", "Cardiff (HMP)"), ("SWI", "Swansea (HMP)"), ("BWI", "Berwyn (HMP)"), ("PRI", "Parc (HMP & YOI)")),
    "N52": (("BMI", "Birmingham (HMP)"), ("HEI", "Hewell (HMP)"), ("OWI", "Oakwood (HMP)"), ("SFI", "Stafford (HMP)")),
    "N55": (("LEI", "Leeds (HMP)"), ("HLI", "Hull (HMP)"), ("DNI", "Doncaster (HMP)"), ("MDI", "Moorland (HMP & YOI)")),
}
_WOMENS_PRISONS: tuple[tuple[str, str], ...] = (
    ("EWI", "Eastwood Park (HMP)"), ("NHI", "New Hall (HMP)"), ("STI", "Styal (HMP & YOI)"),
    ("BZI", "Bronzefield (HMP)"), ("DWI", "Downview (HMP)"), ("FHI", "Foston Hall (HMP)"),
    ("LNI", "Low Newton (HMP)"), ("SDI", "Send (HMP)"), ("PFI", "Peterborough Female (HMP)"),
)
# fmt: on

_RELEASE_TYPE_WEIGHTS = (
    ("CRD licence", 42),
    ("Standard recall", 12),
    ("Fixed-term recall", 12),
    ("Parole", 7),
    ("HDC", 9),
    ("PSS", 7),
    ("ECSL", 3),
)

_ADJUDICATION_CHARGES = (
    "Has in {his} possession any unauthorised article",
    "Fights with any person",
    "Commits any assault",
    "Uses threatening, abusive or insulting words or behaviour",
    "Is disrespectful to any officer",
    "Fails to comply with any rule or regulation applying to {him}",
    "Refuses to work or fails to work properly",
    "Is found with any substance in {his} urine which demonstrates that a controlled drug has been administered",
    "Intentionally or recklessly destroys or damages any part of a prison",
    "Is absent from any place where {he} is required to be",
)
_FINDINGS = (
    ("Proved", 62),
    ("Not proved", 10),
    ("Dismissed", 9),
    ("Not proceeded with", 13),
    ("Referred to police", 6),
)

_ACCT_COMMENTS = (
    "ACCT opened after self-harm on the wing. Observations set at hourly.",
    "ACCT opened following disclosure of suicidal thoughts to healthcare.",
    "ACCT opened on reception: low mood and anxiety about release with no fixed address.",
    "ACCT opened after a ligature was found in the cell.",
    "ACCT opened following bereavement. Chaplaincy and mental health team involved.",
)

# Release dates spread over roughly the next four months.
_RELEASE_WINDOW_DAYS = (0, 125)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _weighted[T](rng: random.Random, pairs: Sequence[tuple[T, float]]) -> T:
    values = [value for value, _ in pairs]
    weights = [weight for _, weight in pairs]
    return rng.choices(values, weights=weights, k=1)[0]


def _utcnow() -> datetime:
    return datetime.now(UTC)


# --- Staff --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Staff:
    manager: OffenderManager
    username: str


@functools.cache
def _staff_for_pdu(pdu_code: str) -> tuple[_Staff, ...]:
    pdu = reference_data.pdus_by_code()[pdu_code]
    region = pdu.region
    rng = random.Random(f"cas-people:staff:{pdu_code}")
    staff = []
    for number in range(4):
        pool = "welsh" if region.delius_code == "N03" and rng.random() < 0.6 else "english"
        men, women, surnames = _NAMES[pool]
        first = rng.choice(men if rng.random() < 0.35 else women)
        last = rng.choice(surnames)
        team_number = number // 2 + 1
        code = f"{region.delius_code}{'ABCDEFGH'[number]}{rng.randint(100, 999)}"
        manager = OffenderManager(
            staff_code=code,
            name=f"{first} {last}",
            email=f"{_ascii(first).lower()}.{_ascii(last).lower().replace("'", '').replace(' ', '')}@justice.gov.uk",
            team_name=f"{pdu.short_name} Probation Team {team_number}",
            pdu_code=pdu.delius_code,
            region_code=region.delius_code,
        )
        username = f"{_ascii(first)[0]}{_ascii(last)}".lower().replace("'", "").replace(" ", "")
        staff.append(_Staff(manager, username))
    return tuple(staff)


# --- Drafts: everything about one person, before being frozen into the port dataclasses --------


@dataclass(slots=True)
class _OffenceDraft:
    key: str
    is_index: bool
    offence_date: date | None
    conviction_date: date | None


@dataclass(slots=True)
class _Draft:
    crn: str
    noms: str | None
    pnc: str | None
    first: str
    last: str
    dob: date
    sex: Sex
    gender_identity: GenderIdentity | None
    ethnicity: str | None
    nationality: str | None
    religion: str | None
    pdu_code: str
    staff_index: int
    custody_status: str
    prison: tuple[str, str] | None  # where the person is now (custody and remand only)
    last_prison: tuple[str, str] | None  # for the prison record of people already released
    offences: list[_OffenceDraft]
    restricted_to: frozenset[str] | None = None
    excluded_users: frozenset[str] = frozenset()
    rosh: RoshLevels = field(default_factory=RoshLevels.unknown)
    mappa: Mappa | None = None
    flags: list[str] = field(default_factory=list)
    tier: str | None = None
    assessed_on: date | None = None
    risk_to_self: RiskToSelf | None = None
    release_date: date | None = None
    release_type: str | None = None
    adjudications: list[Adjudication] = field(default_factory=list)
    acct_alerts: list[AcctAlert] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Entry:
    person: Person
    risk: RiskSummary
    prison: PrisonRecord | None
    restricted_to: frozenset[str] | None
    excluded_users: frozenset[str]


_PLACEHOLDER_FETCHED_AT = datetime(2000, 1, 1, tzinfo=UTC)


def _finish(draft: _Draft, serial: int) -> _Entry:
    offences = tuple(
        Offence(
            offence_id=f"{'M' if o.is_index else 'A'}{2500000000 + serial * 10 + i}",
            description=_OFFENCES[o.key][2],
            main_category=_OFFENCES[o.key][0],
            sub_category=_OFFENCES[o.key][1],
            offence_date=o.offence_date,
            conviction_date=o.conviction_date,
            is_index=o.is_index,
        )
        for i, o in enumerate(draft.offences)
    )
    staff = _staff_for_pdu(draft.pdu_code)[draft.staff_index]
    person = Person(
        crn=draft.crn,
        noms_number=draft.noms,
        pnc_number=draft.pnc,
        first_name=draft.first,
        last_name=draft.last,
        date_of_birth=draft.dob,
        sex=draft.sex,
        gender_identity=draft.gender_identity,
        ethnicity=draft.ethnicity,
        nationality=draft.nationality,
        religion=draft.religion,
        custody_status=draft.custody_status,
        prison_code=draft.prison[0] if draft.prison else None,
        prison_name=draft.prison[1] if draft.prison else None,
        offences=offences,
        manager=staff.manager,
        is_restricted=draft.restricted_to is not None,
        is_excluded=bool(draft.excluded_users),
        fetched_at=_PLACEHOLDER_FETCHED_AT,
    )
    kinds = {_OFFENCES[o.key][3] for o in draft.offences}
    plan = _risk_management_plan(draft.first, kinds, draft.flags, draft.mappa) if draft.assessed_on else None
    risk = RiskSummary(
        crn=draft.crn,
        rosh=draft.rosh,
        mappa=draft.mappa,
        flags=tuple(dict.fromkeys(draft.flags)),
        tier=draft.tier,
        risk_management_plan=plan,
        assessment_completed_on=draft.assessed_on,
        risk_to_self=draft.risk_to_self,
        fetched_at=_PLACEHOLDER_FETCHED_AT,
    )
    prison_record = None
    if draft.noms:
        where = draft.prison or draft.last_prison
        prison_record = PrisonRecord(
            noms_number=draft.noms,
            prison_code=where[0] if where else None,
            prison_name=where[1] if where else None,
            release_date=draft.release_date,
            release_type=draft.release_type,
            adjudications=tuple(sorted(draft.adjudications, key=lambda a: a.reported_at, reverse=True)),
            acct_alerts=tuple(sorted(draft.acct_alerts, key=lambda a: a.date_created, reverse=True)),
            fetched_at=_PLACEHOLDER_FETCHED_AT,
        )
    return _Entry(person, risk, prison_record, draft.restricted_to, draft.excluded_users)


def _risk_management_plan(first: str, kinds: set[str], flags: list[str], mappa: Mappa | None) -> RiskManagementPlan:
    if "sexual_child" in kinds:
        victim = (
            f"No unsupervised contact with anyone under 18. {first} must not live in a household with"
            " children. Exclusion zone around the victim's school and home address."
        )
        interventions = "Horizon programme in the community; polygraph testing under licence."
    elif "sexual_adult" in kinds:
        victim = (
            "Exclusion zone covering the victim's home and workplace. Victim liaison officer informed of release plans."
        )
        interventions = "Kaizen programme started in custody, to be completed in the community."
    elif "domestic" in kinds or FLAG_DOMESTIC_ABUSE in flags:
        victim = (
            "Non-contact condition with the former partner. Police domestic abuse unit and the"
            " independent domestic violence adviser are aware of the release date."
        )
        interventions = "Building Better Relationships programme."
    elif "arson" in kinds:
        victim = "No identified victim. The fire and rescue service has been told of the release address."
        interventions = "Fire-setting intervention with the psychology service; mental health referral."
    else:
        victim = "No identified victim. No victim safety planning needed at present."
        interventions = "Thinking Skills Programme; referral to drug and alcohol services on release."
    supervision = "Weekly supervision for the first 12 weeks, then fortnightly if compliance is good."
    if mappa is not None and (mappa.level or 1) >= 2:
        supervision += " Reviewed at MAPPA meetings every 8 weeks."
    return RiskManagementPlan(
        further_considerations=(
            f"{first} has been homeless before and reoffended within weeks each time. Stable"
            " accommodation is the most important protective factor."
        ),
        additional_comments="Information checked with the prison offender manager before release.",
        contingency_plans=(
            f"If {first} does not arrive at the address or breaches licence conditions, the probation"
            " practitioner will consider recall and tell the police single point of contact."
        ),
        victim_safety_planning=victim,
        interventions_and_treatment=interventions,
        monitoring_and_control=(
            "Licence conditions: reside at an approved address, report as instructed, curfew from 7pm"
            " to 7am with electronic monitoring for the first 3 months."
        ),
        supervision=supervision,
    )


# --- Generated people ---------------------------------------------------------------------------


def _rosh_for(rng: random.Random, kind: str, flags: list[str]) -> RoshLevels:
    if kind.startswith("sexual"):
        overall = _weighted(rng, (("Low", 2), ("Medium", 30), ("High", 60), ("Very high", 8)))
    elif kind in {"violent", "weapons", "domestic", "arson", "hate"}:
        overall = _weighted(rng, (("Low", 8), ("Medium", 45), ("High", 40), ("Very high", 7)))
    else:
        overall = _weighted(rng, (("Low", 38), ("Medium", 50), ("High", 11), ("Very high", 1)))
    top = ROSH_LEVELS.index(overall)
    if kind == "sexual_child":
        target = "children"
    elif kind == "domestic" or FLAG_DOMESTIC_ABUSE in flags:
        target = "known_adult"
    elif FLAG_RISK_TO_STAFF in flags:
        target = "staff"
    else:
        target = "public"

    def lower() -> RoshLevel:
        return ROSH_LEVELS[rng.randint(0, top)]

    groups: dict[str, RoshLevel] = {g: lower() for g in ("children", "public", "known_adult", "staff")}
    groups[target] = overall
    return RoshLevels.from_groups(**groups)


def _tier_for(rng: random.Random, rosh: RoshLevels, mappa: Mappa | None) -> str | None:
    if rng.random() < 0.02:
        return None
    if rosh.overall == "Very high" or (rosh.overall == "High" and mappa is not None and (mappa.level or 0) >= 2):
        letter = "A"
    elif rosh.overall == "High":
        letter = "B"
    elif rosh.overall == "Medium":
        letter = "C"
    elif rosh.overall == "Low":
        letter = "D"
    else:
        letter = rng.choice("CD")
    return f"{letter}{_weighted(rng, ((0, 10), (1, 35), (2, 35), (3, 20)))}"


def _concern(rng: random.Random, current_p: float, previous_p: float) -> Concern:
    if rng.random() < 0.03:
        return Concern(None, None)
    current = rng.random() < current_p
    return Concern(current, current or rng.random() < previous_p)


def _generated(index: int, anchor: date) -> _Draft:
    rng = random.Random(f"cas-people:person:{index}")
    local = reference_data.local_pdus()
    pdu: Pdu = local[index] if index < len(local) else rng.choice(local)
    region_code = pdu.region.delius_code
    # Every 16th person is a woman (6%, as in the probation caseload), so the share does not drift
    # when the generator changes.
    sex: Sex = "Female" if index % 16 == 5 else "Male"

    ethnicity, _weight, pool = _weighted(rng, [((e, w, p), w) for e, w, p in _ETHNICITIES])
    if pool == "english" and region_code == "N03" and rng.random() < 0.7:
        pool = "welsh"
    men, women, surnames = _NAMES[pool]
    first = rng.choice(women if sex == "Female" else men)
    last = rng.choice(surnames)
    religion = _weighted(rng, _RELIGIONS.get(pool, _RELIGIONS["default"]))
    if rng.random() < 0.03:
        religion = None
    nationality = _weighted(rng, _NATIONALITIES.get(pool, _NATIONALITIES["default"]))

    gender_identity: GenderIdentity | None = _weighted(
        rng,
        (
            (sex, 78),
            (None, 15),
            ("Prefer not to say", 3),
            ("Transgender Female" if sex == "Male" else "Transgender Male", 1.5 if sex == "Male" else 4),
            ("Non-binary", 1.5),
            ("Transgender", 1),
        ),
    )

    low, high = _weighted(rng, (((18, 24), 18), ((25, 34), 34), ((35, 44), 26), ((45, 54), 13), ((55, 72), 9)))
    age = rng.randint(low, high)
    dob = _BIRTH_REFERENCE - timedelta(days=age * 365 + age // 4 + rng.randint(0, 364))

    crn = f"{rng.choice('ABCDEFGHJKLMNPRSTVW')}{(index * 7919 + 104729) % 900000 + 100000}"
    has_noms = rng.random() >= 0.08
    noms = (
        f"{rng.choice('GHJKLMNPRSTVW')}{(index * 7 + 1000) % 10000:04d}"
        f"{rng.choice('ABCDEFGHJKLMNPRSTVWXYZ')}{rng.choice('ABCDEFGHJKLMNPRSTVWXYZ')}"
        if has_noms
        else None
    )
    pnc = (
        f"{min(dob.year + rng.randint(14, 30), 2025)}/{rng.randint(0, 9999999):07d}{rng.choice('ABCDEFGHJKLMNPQRTUVWXYZ')}"
        if rng.random() < 0.92
        else None
    )

    # Offences: one index offence of a kind typical for the person, plus older additional ones.
    kind = _weighted(rng, _INDEX_KIND_WEIGHTS_WOMEN if sex == "Female" else _INDEX_KIND_WEIGHTS_MEN)
    conviction = anchor - timedelta(days=rng.randint(90, 1600))
    offences = [
        _OffenceDraft(
            rng.choice(_OFFENCES_BY_KIND[kind]),
            True,
            None if rng.random() < 0.04 else conviction - timedelta(days=rng.randint(20, 400)),
            conviction,
        )
    ]
    extra = _weighted(rng, ((0, 50), (1, 25), (2, 15), (3, 6), (4, 3), (5, 1)))
    for _ in range(extra):
        key = rng.choice(_OFFENCES_BY_KIND[_weighted(rng, _ADDITIONAL_KIND_WEIGHTS)])
        older = conviction - timedelta(days=rng.randint(60, 3000))
        offences.append(
            _OffenceDraft(
                key,
                False,
                None if rng.random() < 0.15 else older - timedelta(days=rng.randint(10, 300)),
                older if rng.random() < 0.9 else None,
            )
        )
    kinds = {_OFFENCES[o.key][3] for o in offences}

    flags: list[str] = []
    if "sexual_child" in kinds:
        flags += [FLAG_REGISTERED_SEX_OFFENDER, FLAG_SEXUAL_RISK_TO_CHILDREN]
        if rng.random() < 0.5:
            flags.append(FLAG_CHILD_CONCERNS)
    if "sexual_adult" in kinds:
        flags += [FLAG_REGISTERED_SEX_OFFENDER, FLAG_SEXUAL_RISK_TO_ADULTS]
    if "arson" in kinds or rng.random() < 0.02:  # some arson history sits in old, spent convictions
        flags.append(FLAG_ARSON)
    if "hate" in kinds:
        flags.append(FLAG_HATE_CRIME)
    if "domestic" in kinds or ("violent" in kinds and rng.random() < 0.12):
        flags += [FLAG_DOMESTIC_ABUSE, FLAG_RISK_TO_KNOWN_ADULT]
    if "weapons" in kinds and rng.random() < 0.5:
        flags.append(FLAG_WEAPONS)
    if age < 30 and kinds & {"violent", "drugs", "weapons"} and rng.random() < 0.08:
        flags.append(FLAG_STREET_GANGS)
    if rng.random() < 0.03:
        flags.append(FLAG_RISK_TO_STAFF)
    if rng.random() < 0.10:
        flags.append(FLAG_RISK_TO_SELF)
    if rng.random() < (0.06 if age >= 55 else 0.012):
        flags.append(FLAG_WHEELCHAIR_USER)

    # OASys: most people have a recent assessment; some old; a few none at all.
    assessment = _weighted(rng, (("recent", 83), ("old", 12), ("none", 5)))
    if assessment == "none":
        rosh, assessed_on, risk_to_self = RoshLevels.unknown(), None, None
    else:
        rosh = _rosh_for(rng, kind, flags)
        days_ago = rng.randint(1, 175) if assessment == "recent" else rng.randint(200, 900)
        assessed_on = anchor - timedelta(days=days_ago)
        at_risk = FLAG_RISK_TO_SELF in flags
        risk_to_self = RiskToSelf(
            suicide=_concern(rng, 0.7 if at_risk else 0.0, 0.15),
            self_harm=_concern(rng, 0.8 if at_risk else 0.0, 0.2),
            custody=_concern(rng, 0.5 if at_risk else 0.05, 0.2),
            vulnerability=_concern(rng, 0.4 if at_risk else 0.05, 0.15),
        )

    mappa: Mappa | None = None
    if FLAG_REGISTERED_SEX_OFFENDER in flags:
        mappa = Mappa(1, _weighted(rng, ((1, 80), (2, 17), (3, 3))))
    elif rosh.overall in {"High", "Very high"} and kinds & {"violent", "weapons", "domestic", "arson", "hate"}:
        if rng.random() < 0.35:
            mappa = Mappa(2, _weighted(rng, ((1, 60), (2, 32), (3, 8))))
        elif rng.random() < 0.06:
            mappa = Mappa(3, _weighted(rng, ((2, 70), (3, 30))))
    tier = _tier_for(rng, rosh, mappa)

    # Custody and release.
    if noms is None:
        custody_status = CUSTODY_IN_COMMUNITY
    else:
        custody_status = _weighted(rng, ((CUSTODY_IN_CUSTODY, 86), (CUSTODY_ON_LICENCE, 10), (CUSTODY_REMANDED, 4)))
    prisons = _WOMENS_PRISONS if sex == "Female" else _PRISONS_BY_REGION[region_code]
    prison = last_prison = None
    release_date = release_type = None
    if custody_status in {CUSTODY_IN_CUSTODY, CUSTODY_REMANDED}:
        prison = rng.choice(prisons)
    elif custody_status == CUSTODY_ON_LICENCE:
        last_prison = rng.choice(prisons)
    if custody_status == CUSTODY_REMANDED:
        release_type = "Remand / bail"
    elif custody_status == CUSTODY_IN_CUSTODY:
        release_type = _weighted(rng, _RELEASE_TYPE_WEIGHTS)
        past = rng.random() < 0.1  # NDelius and NOMIS are not always up to date
        release_date = anchor + timedelta(days=rng.randint(-25, -1) if past else rng.randint(*_RELEASE_WINDOW_DAYS))
    elif custody_status == CUSTODY_ON_LICENCE:
        release_type = _weighted(rng, _RELEASE_TYPE_WEIGHTS)
        release_date = anchor - timedelta(days=rng.randint(5, 250))

    draft = _Draft(
        crn=crn,
        noms=noms,
        pnc=pnc,
        first=first,
        last=last,
        dob=dob,
        sex=sex,
        gender_identity=gender_identity,
        ethnicity=ethnicity,
        nationality=nationality,
        religion=religion,
        pdu_code=pdu.delius_code,
        staff_index=rng.randrange(4),
        custody_status=custody_status,
        prison=prison,
        last_prison=last_prison,
        offences=offences,
        rosh=rosh,
        mappa=mappa,
        flags=flags,
        tier=tier,
        assessed_on=assessed_on,
        risk_to_self=risk_to_self,
        release_date=release_date,
        release_type=release_type,
    )

    if noms is not None:
        where = prison or last_prison
        if where and rng.random() < 0.22:
            draft.adjudications = [
                _adjudication(rng, anchor, where[1], sex, recent=i == 0) for i in range(rng.randint(1, 4))
            ]
        if rng.random() < (0.7 if FLAG_RISK_TO_SELF in flags else 0.04):
            draft.acct_alerts = [_acct(rng, anchor) for _ in range(rng.randint(1, 2))]

    if rng.random() < 0.012:
        draft.restricted_to = frozenset(
            {RESTRICTED_ACCESS_USER, _staff_for_pdu(pdu.delius_code)[draft.staff_index].username}
        )
    if rng.random() < 0.015:
        other = _staff_for_pdu(rng.choice(local).delius_code)[rng.randrange(4)]
        draft.excluded_users = frozenset({other.username})
    return draft


def _pronouns(sex: Sex) -> dict[str, str]:
    return {"his": "her", "him": "her", "he": "she"} if sex == "Female" else {"his": "his", "him": "him", "he": "he"}


def _adjudication(rng: random.Random, anchor: date, establishment: str, sex: Sex, *, recent: bool) -> Adjudication:
    reported = datetime.combine(
        anchor - timedelta(days=rng.randint(3, 60) if recent else rng.randint(60, 700)),
        time(rng.randint(7, 20), rng.choice((0, 15, 30, 45))),
        tzinfo=UK_TZ,
    )
    heard = not (recent and rng.random() < 0.3)
    return Adjudication(
        adjudication_id=str(rng.randint(1_000_000, 4_999_999)),
        reported_at=reported,
        establishment=establishment,
        offence_description=rng.choice(_ADJUDICATION_CHARGES).format(**_pronouns(sex)),
        hearing_held=heard,
        finding=_weighted(rng, _FINDINGS) if heard else "Not yet heard",
    )


def _acct(rng: random.Random, anchor: date) -> AcctAlert:
    created = anchor - timedelta(days=rng.randint(10, 700))
    closed = rng.random() < 0.6
    return AcctAlert(
        alert_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        comment=rng.choice(_ACCT_COMMENTS),
        date_created=created,
        date_expires=created + timedelta(days=rng.randint(20, 150)) if closed else None,
    )


# --- Hand-written demo people -------------------------------------------------------------------


def _demo(
    anchor: date,
    crn: str,
    noms: str | None,
    first: str,
    last: str,
    born: date,
    pdu: str,
    offences: Sequence[str],
    *,
    sex: Sex = "Male",
    gender_identity: GenderIdentity | None = "Male",
    ethnicity: str | None = WHITE_BRITISH,
    nationality: str | None = "British",
    religion: str | None = "No religion",
    custody: str = CUSTODY_IN_CUSTODY,
    prison: tuple[str, str] | None = None,
    release_in: int | None = 42,
    release_type: str | None = "CRD licence",
    rosh: tuple[RoshLevel | None, RoshLevel | None, RoshLevel | None, RoshLevel | None] | None = (
        "Low",
        "Medium",
        "Low",
        "Low",
    ),
    mappa: Mappa | None = None,
    flags: Sequence[str] = (),
    tier: str | None = "C2",
    assessed_days_ago: int | None = 45,
    risk_to_self: RiskToSelf | None = None,
    staff: int = 0,
    restricted_to: frozenset[str] | None = None,
    excluded_users: frozenset[str] = frozenset(),
    adjudications: Sequence[tuple[int, str, str | None]] = (),
    acct: Sequence[tuple[int, int | None, str]] = (),
) -> _Draft:
    """One demo person. Offences are catalogue keys, the first is the index offence."""
    conviction = anchor - timedelta(days=400)
    offence_drafts = [
        _OffenceDraft(
            key,
            i == 0,
            conviction - timedelta(days=60 + 200 * i),
            conviction - timedelta(days=250 * i),
        )
        for i, key in enumerate(offences)
    ]
    no_risk_concerns = Concern(False, False)
    in_prison = custody in {CUSTODY_IN_CUSTODY, CUSTODY_REMANDED}
    draft = _Draft(
        crn=crn,
        noms=noms,
        pnc=f"{born.year + 19}/{int(crn[1:]):07d}{'ABCDEFGHJK'[int(crn[-1])]}",
        first=first,
        last=last,
        dob=born,
        sex=sex,
        gender_identity=gender_identity,
        ethnicity=ethnicity,
        nationality=nationality,
        religion=religion,
        pdu_code=pdu,
        staff_index=staff,
        custody_status=custody,
        prison=prison if in_prison else None,
        last_prison=prison if custody == CUSTODY_ON_LICENCE else None,
        offences=offence_drafts,
        restricted_to=restricted_to,
        excluded_users=excluded_users,
        rosh=RoshLevels.from_groups(*rosh) if rosh else RoshLevels.unknown(),
        mappa=mappa,
        flags=list(flags),
        tier=tier,
        assessed_on=anchor - timedelta(days=assessed_days_ago) if assessed_days_ago is not None else None,
        risk_to_self=(
            risk_to_self or RiskToSelf(no_risk_concerns, no_risk_concerns, no_risk_concerns, no_risk_concerns)
        )
        if assessed_days_ago is not None
        else None,
        release_date=anchor + timedelta(days=release_in) if release_in is not None and noms else None,
        release_type=release_type if noms else None,
    )
    where = prison[1] if prison else ""
    draft.adjudications = [
        Adjudication(
            adjudication_id=str(1_500_000 + int(crn[1:]) % 1000 * 10 + i),
            reported_at=datetime.combine(anchor - timedelta(days=days_ago), time(9 + i, 30), tzinfo=UK_TZ),
            establishment=where,
            offence_description=charge.format(**_pronouns(sex)),
            hearing_held=finding is not None,
            finding=finding or "Not yet heard",
        )
        for i, (days_ago, charge, finding) in enumerate(adjudications)
    ]
    draft.acct_alerts = [
        AcctAlert(
            alert_id=str(uuid.UUID(int=int(crn[1:]) * 100 + i, version=4)),
            comment=comment,
            date_created=anchor - timedelta(days=created_ago),
            date_expires=anchor - timedelta(days=expired_ago) if expired_ago is not None else None,
        )
        for i, (created_ago, expired_ago, comment) in enumerate(acct)
    ]
    return draft


def _demo_drafts(anchor: date) -> list[_Draft]:
    p = _PRISONS_BY_REGION
    possession = _ADJUDICATION_CHARGES[0]
    fights = _ADJUDICATION_CHARGES[1]
    drugs = _ADJUDICATION_CHARGES[7]
    disrespect = _ADJUDICATION_CHARGES[4]
    drafts = [
        _demo(
            anchor,
            "X100001",
            "A1001AA",
            "Daniel",
            "Hughes",
            date(1989, 4, 12),
            "N55LEE",
            ["burglary_dwelling"],
            prison=("LEI", "Leeds (HMP)"),
            release_in=42,
            rosh=("Low", "Medium", "Low", "Low"),
            tier="B2",
        ),
        _demo(
            anchor,
            "X100002",
            "A1002AB",
            "Sarah",
            "Lawson",
            date(1992, 9, 3),
            "N58BSG",
            ["shop_theft", "fraud"],
            sex="Female",
            gender_identity="Female",
            religion="Christian",
            prison=("EWI", "Eastwood Park (HMP)"),
            release_in=28,
            rosh=("Low", "Medium", "Low", "Low"),
            tier="C2",
            staff=1,
        ),
        _demo(
            anchor,
            "X100003",
            "A1003AC",
            "Jade",
            "Morris",
            date(1995, 2, 20),
            "N57SUR",
            ["pwits"],
            gender_identity="Transgender Female",
            prison=("HOI", "High Down (HMP)"),
            release_in=56,
            rosh=("Low", "Low", "Low", "Low"),
            tier="D1",
        ),
        _demo(
            anchor,
            "X100004",
            "A1004AD",
            "Peter",
            "Slater",
            date(1971, 11, 8),
            "N53NOCY",
            ["child_sexual_activity", "indecent_images"],
            religion="Christian",
            prison=("WTI", "Whatton (HMP)"),
            release_in=63,
            rosh=("High", "Medium", "Low", "Low"),
            mappa=Mappa(1, 1),
            flags=[FLAG_REGISTERED_SEX_OFFENDER, FLAG_SEXUAL_RISK_TO_CHILDREN, FLAG_CHILD_CONCERNS],
            tier="B1",
        ),
        _demo(
            anchor,
            "X100005",
            "A1005AE",
            "Wayne",
            "Booth",
            date(1983, 6, 30),
            "N52BIRM",
            ["rape_adult"],
            prison=("BMI", "Birmingham (HMP)"),
            release_in=77,
            rosh=("Low", "High", "High", "Medium"),
            mappa=Mappa(1, 2),
            flags=[FLAG_REGISTERED_SEX_OFFENDER, FLAG_SEXUAL_RISK_TO_ADULTS],
            tier="A2",
        ),
        _demo(
            anchor,
            "X100006",
            "A1006AF",
            "Connor",
            "Riley",
            date(1998, 1, 15),
            "N54NUTY",
            ["arson_life", "criminal_damage"],
            prison=("DMI", "Durham (HMP)"),
            release_in=35,
            rosh=("Medium", "High", "Medium", "Low"),
            flags=[FLAG_ARSON],
            tier="B3",
        ),
        _demo(
            anchor,
            "X100007",
            "A1007AG",
            "Robert",
            "Pickering",
            date(1962, 3, 2),
            "N56NOSU",
            ["fraud"],
            religion="Christian",
            prison=("NWI", "Norwich (HMP & YOI)"),
            release_in=21,
            rosh=("Low", "Low", "Low", "Low"),
            flags=[FLAG_WHEELCHAIR_USER],
            tier="D0",
        ),
        _demo(
            anchor,
            "X100008",
            "A1008AH",
            "Gary",
            "Whitfield",
            date(1979, 7, 22),
            "LDNNLAS",
            ["gbh_s20"],
            prison=("BXI", "Brixton (HMP)"),
            release_in=49,
            rosh=("Low", "High", "Medium", "Medium"),
            tier="B2",
            restricted_to=frozenset({RESTRICTED_ACCESS_USER}),
        ),
        _demo(
            anchor,
            "X100009",
            "A1009AJ",
            "Stuart",
            "Dixon",
            date(1987, 12, 1),
            "N51LSF",
            ["robbery"],
            prison=("LPI", "Liverpool (HMP)"),
            release_in=30,
            rosh=("Low", "Medium", "Medium", "Low"),
            tier="C3",
            excluded_users=frozenset({EXCLUDED_DEMO_USER}),
        ),
        _demo(
            anchor,
            "X100010",
            None,
            "Jason",
            "Walker",
            date(1991, 5, 17),
            "N50MANC",
            ["common_assault"],
            custody=CUSTODY_IN_COMMUNITY,
            release_in=None,
            release_type=None,
            rosh=("Low", "Medium", "Low", "Low"),
            tier="C1",
        ),
        _demo(
            anchor,
            "X100011",
            "A1011AL",
            "Michael",
            "Turner",
            date(1975, 10, 9),
            "N59OXFS",
            ["burglary_other", "handling"],
            prison=("BCI", "Bullingdon (HMP)"),
            release_in=70,
            rosh=("Low", "Medium", "Low", "Low"),
            assessed_days_ago=425,
            tier="C2",
        ),
        _demo(
            anchor,
            "X100012",
            "A1012AM",
            "Kieran",
            "Doyle",
            date(2001, 8, 25),
            "N55SHF",
            ["vehicle_theft"],
            ethnicity="White: Irish",
            religion="Christian",
            nationality="Irish",
            prison=("DNI", "Doncaster (HMP)"),
            release_in=84,
            rosh=None,
            tier=None,
            assessed_days_ago=None,
        ),
        _demo(
            anchor,
            "X100013",
            "A1013AN",
            "Tyrone",
            "Francis",
            date(1993, 4, 4),
            "LDNLAW",
            ["gbh_s18", "blade"],
            ethnicity="Black, Black British, Caribbean or African: Caribbean",
            religion="Christian",
            prison=("WSI", "Belmarsh (HMP)"),
            release_in=70,
            release_type="Standard recall",
            rosh=("Medium", "Very high", "High", "Very high"),
            mappa=Mappa(2, 2),
            flags=[FLAG_RISK_TO_STAFF, FLAG_WEAPONS, FLAG_STREET_GANGS],
            tier="A3",
        ),
        _demo(
            anchor,
            "X100014",
            "A1014AP",
            "Ryan",
            "Hudson",
            date(1996, 3, 11),
            "N55HER",
            ["robbery", "shop_theft", "emergency_worker", "disqualified", "blade"],
            prison=("HLI", "Hull (HMP)"),
            release_in=49,
            rosh=("Low", "High", "Medium", "Medium"),
            flags=[FLAG_WEAPONS],
            tier="B2",
        ),
        _demo(
            anchor,
            "X100015",
            "A1015AR",
            "Liam",
            "Ashcroft",
            date(1999, 10, 30),
            "N58PLCO",
            ["abh"],
            prison=("EXI", "Exeter (HMP)"),
            release_in=38,
            rosh=("Low", "Medium", "Medium", "Low"),
            flags=[FLAG_RISK_TO_SELF],
            tier="C2",
            risk_to_self=RiskToSelf(
                suicide=Concern(True, True),
                self_harm=Concern(True, True),
                custody=Concern(True, False),
                vulnerability=Concern(False, True),
            ),
            acct=[(12, None, _ACCT_COMMENTS[2]), (300, 240, _ACCT_COMMENTS[0])],
        ),
        _demo(
            anchor,
            "X100016",
            "A1016AS",
            "Gethin",
            "Prydderch",
            date(1986, 1, 27),
            "WPTNWS",
            ["burglary_dwelling", "criminal_damage"],
            religion="Christian",
            prison=("BWI", "Berwyn (HMP)"),
            release_in=45,
            rosh=("Low", "Medium", "Low", "Low"),
            tier="C2",
            staff=2,
        ),
        _demo(
            anchor,
            "X100017",
            "A1017AT",
            "Scott",
            "Barker",
            date(1990, 2, 14),
            "N55WAK",
            ["supply_a"],
            custody=CUSTODY_ON_LICENCE,
            prison=("LEI", "Leeds (HMP)"),
            release_in=-20,
            rosh=("Low", "Medium", "Low", "Low"),
            tier="C1",
        ),
        _demo(
            anchor,
            "X100018",
            "A1018AU",
            "Karl",
            "Lawson",
            date(1984, 9, 19),
            "N50SATR",
            ["abh", "restraining_order"],
            prison=("FMI", "Forest Bank (HMP & YOI)"),
            release_in=14,
            release_type="Fixed-term recall",
            rosh=("Low", "Medium", "High", "Medium"),
            flags=[FLAG_DOMESTIC_ABUSE, FLAG_RISK_TO_KNOWN_ADULT],
            tier="B2",
            adjudications=[
                (9, possession, None),
                (40, fights, "Proved"),
                (95, drugs, "Proved"),
                (180, disrespect, "Dismissed"),
            ],
        ),
        _demo(
            anchor,
            "X100019",
            "A1019AV",
            "Aaron",
            "Bell",
            date(1997, 6, 5),
            "N52CSW",
            ["vehicle_theft", "disqualified"],
            prison=("HEI", "Hewell (HMP)"),
            release_in=18,
            release_type="HDC",
            rosh=("Low", "Low", "Low", "Low"),
            tier="D2",
        ),
        _demo(
            anchor,
            "X100020",
            "A1020AW",
            "Nathan",
            "Price",
            date(2003, 11, 21),
            "N03SW1",
            ["robbery"],
            custody=CUSTODY_REMANDED,
            prison=("CFI", "Cardiff (HMP)"),
            release_in=None,
            release_type="Remand / bail",
            rosh=("Low", "Medium", "Low", "Low"),
            tier="C1",
            assessed_days_ago=20,
        ),
        _demo(
            anchor,
            "X100021",
            "A1021AX",
            "Darren",
            "Holt",
            date(1980, 8, 8),
            "N57WSUS",
            ["racial_public_order", "coercive"],
            prison=("LWI", "Lewes (HMP)"),
            release_in=60,
            rosh=("Low", "Medium", "High", "Low"),
            flags=[FLAG_HATE_CRIME, FLAG_DOMESTIC_ABUSE, FLAG_RISK_TO_KNOWN_ADULT],
            tier="B1",
        ),
    ]

    # One typical person in each region, so region-scoped screens always have someone to show.
    regional = (
        ("X200001", "A2001BA", "Lewis", "Marsh", "N53DRBY", "shop_theft", p["N53"][0]),
        ("X200002", "A2002BB", "Callum", "Fletcher", "N56SUFF", "burglary_other", p["N56"][0]),
        ("X200003", "A2003BC", "Kyle", "Ashworth", "N50BOLT", "abh", p["N50"][0]),
        ("X200004", "A2004BD", "Reece", "Holmes", "N57EKNT", "vehicle_theft", p["N57"][0]),
        ("X200005", "A2005BE", "Marcus", "Campbell", "N07LEBR", "supply_a", p["N07"][0]),
        ("X200006", "A2006BF", "Craig", "Robson", "N54SUND", "common_assault", p["N54"][0]),
        ("X200007", "A2007BG", "Dean", "Atkinson", "N51CUMB", "burglary_dwelling", p["N51"][0]),
        ("X200008", "A2008BH", "Jordan", "Pearson", "N59HAMP", "fraud", p["N59"][0]),
        ("X200009", "A2009BJ", "Tom", "Penrose", "N58CIOS", "dangerous_driving", p["N58"][0]),
        ("X200010", "A2010BK", "Rhodri", "Bevan", "N03CTM", "handling", p["N03"][0]),
        ("X200011", "A2011BL", "Imran", "Hussain", "N52CSW", "pwits", p["N52"][0]),
        ("X200012", "A2012BM", "Shane", "Whitehead", "N55HER", "criminal_damage", p["N55"][0]),
    )
    for number, (crn, noms, first, last, pdu, offence, prison) in enumerate(regional):
        drafts.append(
            _demo(
                anchor,
                crn,
                noms,
                first,
                last,
                date(1985 + number, number + 1, 10 + number),
                pdu,
                [offence],
                prison=prison,
                release_in=14 + 7 * number,
                ethnicity=(
                    "Black, Black British, Caribbean or African: Caribbean"
                    if crn == "X200005"
                    else "Asian or Asian British: Pakistani"
                    if crn == "X200011"
                    else WHITE_BRITISH
                ),
                religion="Muslim" if crn == "X200011" else "No religion",
                rosh=("Low", "Medium", "Low", "Low"),
                tier="C2",
                staff=number % 4,
            )
        )

    drafts += [
        _demo(
            anchor,
            CASE_SYSTEM_TIMEOUT_CRN,
            "A9991ZA",
            "Casey",
            "Nolan",
            date(1990, 1, 1),
            "N07CROY",
            ["shop_theft"],
            prison=("TCI", "Thameside (HMP)"),
        ),
        _demo(
            anchor,
            RISK_SYSTEM_TIMEOUT_CRN,
            "A9992ZB",
            "Ashley",
            "Kerr",
            date(1988, 2, 2),
            "N51WSHW",
            ["burglary_dwelling"],
            prison=("ALI", "Altcourse (HMP)"),
        ),
        _demo(
            anchor,
            PRISON_SYSTEM_FAILURE_CRN,
            "A9993ZC",
            "Robin",
            "Hale",
            date(1986, 3, 3),
            "N58DEV",
            ["abh"],
            prison=("CWI", "Channings Wood (HMP)"),
        ),
    ]
    return drafts


# --- The data set -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Dataset:
    entries: dict[str, _Entry]  # by CRN: demo people first, then generated ones
    crn_by_noms: dict[str, str]


@functools.lru_cache(maxsize=4)
def _dataset(anchor: date) -> _Dataset:
    drafts = _demo_drafts(anchor)
    drafts += [_generated(index, anchor) for index in range(GENERATED_PEOPLE)]
    entries: dict[str, _Entry] = {}
    for serial, draft in enumerate(drafts):
        if draft.crn in entries:  # the generator's CRN scheme is a bijection; this guards edits
            raise AssertionError(f"duplicate synthetic CRN {draft.crn}")
        entries[draft.crn] = _finish(draft, serial)
    crn_by_noms = {e.person.noms_number: crn for crn, e in entries.items() if e.person.noms_number}
    return _Dataset(entries, crn_by_noms)


# The national pool: beyond the people built up front, every index of the CRN scheme is a person
# made on demand, so national-scale test data (hundreds of thousands of referrals) has a matching
# person for every CRN without building them all. The CRN's number is a bijection of the index.
NATIONAL_POOL = 900_000
_CRN_STEP_INVERSE = pow(7919, -1, 900_000)


def national_crn(index: int, anchor: date | None = None) -> str:
    """The CRN of person `index` of the national pool (0 <= index < NATIONAL_POOL)."""
    return _generated(index, anchor or SYNTHETIC_ANCHOR).crn


def national_person(index: int, anchor: date | None = None) -> tuple[Person, RiskSummary]:
    """Person `index` of the national pool and their risk summary, exactly as the case and risk
    systems return them for `national_crn(index)` (the data generator snapshots them like a booking does)."""
    entry = _finish(_generated(index, anchor or SYNTHETIC_ANCHOR), index + 10_000)
    return entry.person, entry.risk


@functools.lru_cache(maxsize=20_000)
def _national_entry(crn: str, anchor: date) -> _Entry | None:
    if len(crn) != 7 or not crn[1:].isdigit():
        return None
    number = int(crn[1:])
    if number < 100_000:
        return None
    index = ((number - 100_000 - 104_729) * _CRN_STEP_INVERSE) % 900_000
    if index < GENERATED_PEOPLE:
        return None  # built up front; not found there means it does not exist
    draft = _generated(index, anchor)
    if draft.crn != crn:
        return None
    return _finish(draft, index + 10_000)


def _resolve_anchor(anchor: date | str | None) -> date:
    if anchor is None:
        return SYNTHETIC_ANCHOR
    if anchor == "today":
        return date.today()
    if isinstance(anchor, str):
        return date.fromisoformat(anchor)
    return anchor


class _SyntheticBase:
    """``base_url`` and ``timeout`` are accepted and ignored so settings can swap classes freely."""

    def __init__(
        self,
        *,
        anchor: date | str | None = None,
        clock: Callable[[], datetime] = _utcnow,
        base_url: str | None = None,
        timeout: float | None = None,
    ) -> None:
        self.anchor = _resolve_anchor(anchor)
        self._clock = clock

    @property
    def _data(self) -> _Dataset:
        return _dataset(self.anchor)

    def _entry(self, crn: str) -> _Entry:
        crn = normalise_identifier(crn)
        entry = self._data.entries.get(crn) or _national_entry(crn, self.anchor)
        if entry is None:
            raise PersonNotFound(crn)
        return entry

    # Helpers for tests, fixtures and the demo-data loader: not part of the ports.
    def all_crns(self) -> list[str]:
        return list(self._data.entries)


class SyntheticCaseSystem(_SyntheticBase):
    def find_by_crn(self, crn: str) -> Person:
        crn = normalise_identifier(crn)
        if crn in _CASE_FAILS:
            raise UpstreamUnavailable(CASE_SYSTEM_NAME, f"synthetic timeout for {crn}")
        return replace(self._entry(crn).person, fetched_at=self._clock())

    def find_by_noms(self, noms: str) -> Person:
        noms = normalise_identifier(noms)
        crn = self._data.crn_by_noms.get(noms)
        if crn is None:
            raise PersonNotFound(noms)
        return self.find_by_crn(crn)

    def check_access(self, crn: str, username: str) -> AccessDecision:
        crn = normalise_identifier(crn)
        if crn in _CASE_FAILS:
            raise UpstreamUnavailable(CASE_SYSTEM_NAME, f"synthetic timeout for {crn}")
        entry = self._data.entries.get(crn)
        if entry is None:
            # NDelius answers "no limitation" for CRNs it does not know; find_by_crn reports them.
            return AccessDecision(crn, True)
        user = username.strip().lower()
        if user in entry.excluded_users:
            return AccessDecision(crn, False, "excluded", EXCLUSION_MESSAGE)
        if entry.restricted_to is not None and user not in entry.restricted_to:
            return AccessDecision(crn, False, "restricted", RESTRICTION_MESSAGE)
        return AccessDecision(crn, True)

    def access_limits(self, crns: list[str]) -> dict[str, AccessLimits]:
        found: dict[str, AccessLimits] = {}
        for crn in {normalise_identifier(c) for c in crns}:
            if crn in _CASE_FAILS:
                raise UpstreamUnavailable(CASE_SYSTEM_NAME, f"synthetic timeout for {crn}")
            entry = self._data.entries.get(crn)
            if entry is not None and (entry.restricted_to is not None or entry.excluded_users):
                found[crn] = AccessLimits(crn, entry.restricted_to, entry.excluded_users)
        return found

    def search(self, text: str, limit: int = 20) -> list[Person]:
        query = text.strip()
        if not query:
            return []
        upper = query.upper()
        if upper in _CASE_FAILS:
            raise UpstreamUnavailable(CASE_SYSTEM_NAME, f"synthetic timeout for {upper}")
        folded = query.casefold()
        now = self._clock()
        found: list[Person] = []
        for crn, entry in self._data.entries.items():
            if crn in _CASE_FAILS:
                continue
            person = entry.person
            if upper in crn or upper == person.noms_number or folded in person.name.casefold():
                found.append(replace(person, fetched_at=now))
                if len(found) >= limit:
                    break
        return found


class SyntheticRiskSystem(_SyntheticBase):
    def get_risk(self, crn: str) -> RiskSummary:
        crn = normalise_identifier(crn)
        if crn in _RISK_FAILS:
            system = CASE_SYSTEM_NAME if crn in _CASE_FAILS else RISK_SYSTEM_NAME
            raise UpstreamUnavailable(system, f"synthetic timeout for {crn}")
        return replace(self._entry(crn).risk, fetched_at=self._clock())


class SyntheticPrisonSystem(_SyntheticBase):
    def get_prison_record(self, noms: str | None) -> PrisonRecord:
        if noms is None or not noms.strip():
            raise NoPrisonNumber()
        noms = normalise_identifier(noms)
        crn = self._data.crn_by_noms.get(noms)
        if crn is None:
            raise PersonNotFound(noms)
        if crn in _PRISON_FAILS:
            raise UpstreamUnavailable(PRISON_SYSTEM_NAME, f"synthetic failure for {noms}")
        record = self._data.entries[crn].prison
        assert record is not None  # everyone with a NOMS number has a prison record
        return replace(record, fetched_at=self._clock())
