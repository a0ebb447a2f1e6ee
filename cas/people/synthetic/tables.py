"""The vocabularies the synthetic people are drawn from: ethnic groups with their name pools,
religions and nationalities, the offence catalogue and how often each kind is the index offence,
the prisons near each region and the women's estate, release types, adjudication charges and
findings, and ACCT alert comments. Plain data: the generator and the demo people read it.
"""

WHITE_BRITISH = "White: English, Welsh, Scottish, Northern Irish or British"

# fmt: off
# ONS 2021 ethnic groups with rough weights for people on probation, the name pool to draw from,
# and the religions (ONS 2021 categories) and nationalities that go with them.
ETHNICITIES: tuple[tuple[str | None, float, str], ...] = (
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

NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
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
RELIGIONS: dict[str, tuple[tuple[str, float], ...]] = {
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
NATIONALITIES: dict[str, tuple[tuple[str, float], ...]] = {
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
OFFENCES: dict[str, tuple[str, str, str, str]] = {
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
OFFENCES_BY_KIND: dict[str, tuple[str, ...]] = {}
for _key, (_main, _sub, _description, _kind) in OFFENCES.items():
    OFFENCES_BY_KIND[_kind] = (*OFFENCES_BY_KIND.get(_kind, ()), _key)

INDEX_KIND_WEIGHTS_MEN = (
    ("acquisitive", 29), ("violent", 30), ("drugs", 12), ("weapons", 5), ("domestic", 7),
    ("sexual_child", 3.5), ("sexual_adult", 3.5), ("arson", 3), ("general", 5), ("hate", 2),
)
INDEX_KIND_WEIGHTS_WOMEN = (
    ("acquisitive", 45), ("violent", 25), ("drugs", 14), ("weapons", 3), ("domestic", 3),
    ("sexual_child", 1), ("arson", 4), ("general", 5),
)
ADDITIONAL_KIND_WEIGHTS = (
    ("acquisitive", 45), ("violent", 25), ("drugs", 10), ("weapons", 6), ("general", 12), ("domestic", 2),
)

# Men's prisons near each region (NOMIS agency codes) and the women's estate.
PRISONS_BY_REGION: dict[str, tuple[tuple[str, str], ...]] = {
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
WOMENS_PRISONS: tuple[tuple[str, str], ...] = (
    ("EWI", "Eastwood Park (HMP)"), ("NHI", "New Hall (HMP)"), ("STI", "Styal (HMP & YOI)"),
    ("BZI", "Bronzefield (HMP)"), ("DWI", "Downview (HMP)"), ("FHI", "Foston Hall (HMP)"),
    ("LNI", "Low Newton (HMP)"), ("SDI", "Send (HMP)"), ("PFI", "Peterborough Female (HMP)"),
)
# fmt: on

RELEASE_TYPE_WEIGHTS = (
    ("CRD licence", 42),
    ("Standard recall", 12),
    ("Fixed-term recall", 12),
    ("Parole", 7),
    ("HDC", 9),
    ("PSS", 7),
    ("ECSL", 3),
)

ADJUDICATION_CHARGES = (
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
FINDINGS = (
    ("Proved", 62),
    ("Not proved", 10),
    ("Dismissed", 9),
    ("Not proceeded with", 13),
    ("Referred to police", 6),
)

ACCT_COMMENTS = (
    "ACCT opened after self-harm on the wing. Observations set at hourly.",
    "ACCT opened following disclosure of suicidal thoughts to healthcare.",
    "ACCT opened on reception: low mood and anxiety about release with no fixed address.",
    "ACCT opened after a ligature was found in the cell.",
    "ACCT opened following bereavement. Chaplaincy and mental health team involved.",
)

# Release dates spread over roughly the next four months.
RELEASE_WINDOW_DAYS = (0, 125)
