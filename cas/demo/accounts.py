"""Demo users, one per role plus the edge cases the demo data and tests rely on."""

import os
from dataclasses import dataclass

from cas.core.roles import Role

DEMO_PASSWORD = os.environ.get("CAS_DEMO_PASSWORD", "Accommodation-demo-2026")


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    roles: tuple[Role, ...]
    region_code: str
    pdu_code: str = ""
    prison_code: str = ""
    note: str = ""


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser(
        "demo.cas3.referrer",
        "Priya",
        "Shah",
        (Role.CAS3_REFERRER,),
        "N51",
        "N51LPLS",
        note="Probation practitioner, Liverpool South PDU (North West)",
    ),
    DemoUser(
        "demo.cas3.referrer.london",
        "Kwame",
        "Mensah",
        (Role.CAS3_REFERRER,),
        "N07",
        "N07LEBR",
        note="Probation practitioner, Lewisham and Bromley PDU (London)",
    ),
    DemoUser(
        "demo.cas3.referrer.wales",
        "Ffion",
        "Jones",
        (Role.CAS3_REFERRER,),
        "N03",
        "N03SW1",
        note="Probation practitioner, Cardiff and the Vale of Glamorgan PDU (Wales)",
    ),
    DemoUser(
        "demo.cas3.assessor",
        "Gareth",
        "Lloyd",
        (Role.CAS3_ASSESSOR,),
        "N51",
        note="North West Homelessness Prevention Team",
    ),
    DemoUser(
        "demo.cas3.assessor.london",
        "Amara",
        "Okafor",
        (Role.CAS3_ASSESSOR,),
        "N07",
        note="London Homelessness Prevention Team (another region)",
    ),
    DemoUser(
        "demo.cas2.court",
        "Nadia",
        "Hussain",
        (Role.CAS2_COURT_REFERRER,),
        "N51",
        note="Court bail referrer, Liverpool Magistrates' Court (North West)",
    ),
    DemoUser(
        "demo.cas2.prison",
        "Tom",
        "Bennett",
        (Role.CAS2_PRISON_REFERRER,),
        "N54",
        prison_code="HHI",
        note="Bail information officer, Holme House prison (North East)",
    ),
    DemoUser(
        "demo.cas2.hdc",
        "Grace",
        "Adebayo",
        (Role.CAS2_HDC_REFERRER,),
        "N52",
        prison_code="HEI",
        note="Prison offender manager, Hewell prison (West Midlands)",
    ),
    DemoUser(
        "demo.cas2.hdc.birmingham",
        "Daniel",
        "Kowalski",
        (Role.CAS2_HDC_REFERRER,),
        "N52",
        prison_code="BMI",
        note="Prison offender manager, Birmingham prison (West Midlands): receives transferred applications",
    ),
    DemoUser(
        "demo.cas2.probation",
        "Chloe",
        "Evans",
        (Role.CAS2_PROBATION_REFERRER,),
        "N51",
        "N51LPLS",
        note="Probation practitioner making CAS2 referrals for the new cohorts, Liverpool South PDU (North West)",
    ),
    DemoUser("demo.cas2.assessor", "Fiona", "Walsh", (Role.CAS2_ASSESSOR,), "NA", note="Nacro assessor"),
    DemoUser(
        "demo.cas1.referrer", "Owen", "Price", (Role.CAS1_REFERRER,), "N03", note="Approved Premises referrer (Wales)"
    ),
    DemoUser("demo.reporter", "Helen", "Marsh", (Role.REPORTER,), "NA", note="Analyst, read-only, all regions"),
    DemoUser(
        "demo.statistician",
        "Rhys",
        "Morgan",
        (Role.STATISTICIAN,),
        "NA",
        note="Statistician: imports placements and freezes statistics releases, all regions",
    ),
    DemoUser("demo.admin", "Sam", "Adeyemi", (Role.ADMIN,), "NA", note="Administrator"),
    DemoUser(
        "demo.restricted-access",
        "Lena",
        "Novak",
        (Role.CAS3_REFERRER, Role.CAS3_ASSESSOR),
        "N51",
        note="Allowed to see the demo restricted person",
    ),
)
