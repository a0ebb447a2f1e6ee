"""Every rule of the referral's questions, through the pages: posting a wrong answer shows the
GOV.UK error summary (linked to the field) and the error next to the field, and saves nothing."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from cas.core import clock
from cas.core.dates import add_months
from cas.core.roles import Role
from cas.demo import referrals as demo
from cas.referrals import services
from cas.referrals.models import Referral
from tests.factories import make_user, pdu
from tests.referral_factories import complete, make_draft

pytestmark = pytest.mark.django_db

PL, OB, SI, CD, EL, CO = (
    "placement-location",
    "offence-and-behaviour",
    "sentence-information",
    "contact-details",
    "eligibility",
    "consent",
)
LC, PC, AP, BC = "licence-conditions", "placement-considerations", "approvals", "behaviour-in-cas"
HN, SG, FA, MO, RR = (
    "health-needs",
    "safeguarding-and-support",
    "food-allergies",
    "move-on-plan",
    "accommodation-referral-details",
)


def d(name: str, day: dt.date) -> dict:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


TODAY = clock.today()
RELEASE = TODAY + dt.timedelta(days=21)  # the release date in the completed referral
LATEST = add_months(TODAY, 3)
OUT_OF_REGION = [(PL, "alternative-region", {"same_region": "no"}), (PL, "different-region", {"region": "N55"})]
RISKS = {"risk_to_children": "Low", "risk_to_public": "Low", "risk_to_known_adult": "Low", "risk_to_staff": "Low"}
PLAN = dict.fromkeys(("further_considerations", "key_information", "supervision", "monitoring_and_control", "interventions_and_treatment", "victim_safety_planning", "contingency_plans", "additional_comments"), "Text")  # fmt: skip
DTR = {"reference": "R1", **d("submitted_on", TODAY), "local_authority": "E08000012", "outcome": "not_received"}

CASES = [
    # (id, task, page, answers saved first, posted data, the error message)
    ("region-yes-no", PL, "alternative-region", [], {}, "Select yes if the placement is for the North West region"),
    ("pdu-behind-yes", PL, "alternative-pdu", [], {"different_pdu": "yes"}, "Select a PDU in North West"),
    (
        "pdu-not-in-region",
        PL,
        "alternative-pdu",
        [],
        {"different_pdu": "yes", "pdu": "N55LEE"},
        "Select a PDU in North West",
    ),
    (
        "pdu-reason",
        PL,
        "alternative-pdu-reason",
        [(PL, "alternative-pdu", {"different_pdu": "yes", "pdu": "N51CUMB"})],
        {"reason": ""},
        "Enter why Daniel Hughes needs to be placed in a different PDU",
    ),
    (
        "region-choice",
        PL,
        "different-region",
        OUT_OF_REGION[:1],
        {},
        "Select the region Daniel Hughes should be placed in",
    ),
    ("placement-pdu", PL, "placement-pdu", OUT_OF_REGION, {"pdu": ""}, "Select a PDU in Yorkshire & The Humber"),
    (
        "pdu-evidence",
        PL,
        "pdu-evidence",
        [*OUT_OF_REGION, (PL, "placement-pdu", {"pdu": "N55LEE"})],
        {},
        "Select yes if the evidence from Leeds is in NDelius",
    ),
    (
        "sexual-offence",
        OB,
        "history-of-sexual-offence",
        [],
        {},
        "Select yes if Daniel Hughes has been convicted of a sexual offence",
    ),
    (
        "rso",
        OB,
        "registered-sex-offender",
        [(OB, "history-of-sexual-offence", {"answer": "yes"})],
        {},
        "Select yes if Daniel Hughes is a registered sex offender",
    ),
    (
        "sexual-behaviour-detail",
        OB,
        "concerning-sexual-behaviour",
        [],
        {"answer": "yes"},
        "Describe the concerns about Daniel Hughes’s sexual behaviour",
    ),
    ("arson", OB, "history-of-arson-offence", [], {}, "Select yes if Daniel Hughes has been convicted of arson"),
    ("arson-detail", OB, "concerning-arson-behaviour", [], {"answer": "yes"}, "Describe the concerns about arson"),
    (
        "offending-summary",
        SI,
        "offending-summary",
        [],
        {"summary": " "},
        "Enter a summary of Daniel Hughes’s index offence and offending history",
    ),
    ("sentence-type", SI, "sentence-type", [], {}, "Select the type of sentence"),
    (
        "sentence-length-empty",
        SI,
        "sentence-length",
        [],
        {},
        "Enter the length of the sentence in years, months, weeks or days",
    ),
    (
        "sentence-length-zero",
        SI,
        "sentence-length",
        [],
        {"years": "0", "days": "0"},
        "Enter the length of the sentence in years, months, weeks or days",
    ),
    (
        "sentence-length-words",
        SI,
        "sentence-length",
        [],
        {"years": "two"},
        "Enter the number of years as a whole number, like 6",
    ),
    (
        "sentence-length-negative",
        SI,
        "sentence-length",
        [],
        {"months": "-3"},
        "The number of months cannot be less than 0",
    ),
    ("expiry-missing", SI, "sentence-expiry", [], {}, "Enter the sentence expiry date"),
    (
        "expiry-not-real",
        SI,
        "sentence-expiry",
        [],
        {"expiry-day": "31", "expiry-month": "2", "expiry-year": "2028"},
        "The sentence expiry date must be a real date",
    ),
    (
        "expiry-incomplete",
        SI,
        "sentence-expiry",
        [],
        {"expiry-day": "1", "expiry-year": "2028"},
        "The sentence expiry date must include a day, month and year",
    ),
    ("release-type", SI, "release-type", [], {}, "Select the release type"),
    (
        "release-type-three",
        SI,
        "release-type",
        [],
        {"release_types": ["crd", "rarr", "standard_recall"]},
        "Select no more than 2 release types",
    ),
    (
        "crd-with-parole",
        SI,
        "release-type",
        [],
        {
            "release_types": ["crd", "parole"],
            **d("crd_start", RELEASE),
            **d("crd_end", LATEST),
            **d("parole_start", RELEASE),
            **d("parole_end", LATEST),
        },
        "CRD licence cannot be combined with Parole or IPP RARR. Select one of them",
    ),
    (
        "crd-with-ipp-rarr",
        SI,
        "release-type",
        [],
        {"release_types": ["ipp_rarr", "crd"]},
        "CRD licence cannot be combined with Parole or IPP RARR. Select one of them",
    ),
    (
        "fixed-term-with-standard-recall",
        SI,
        "release-type",
        [],
        {"release_types": ["fixed_term_recall", "standard_recall"]},
        "Fixed-term recall cannot be combined with Parole, Standard recall, RARR or IPP RARR. Select one of them",
    ),
    ("release-type-dates", SI, "release-type", [], {"release_types": ["crd"]}, "Enter the CRD licence start date"),
    (
        "release-type-end-before-start",
        SI,
        "release-type",
        [],
        {"release_types": ["parole"], **d("parole_start", LATEST), **d("parole_end", RELEASE)},
        "The Parole end date must be after its start date",
    ),
    (
        "practitioner-email",
        CD,
        "practitioner-email",
        [],
        {"email": "me@example.com"},
        "Enter your email address ending in .gov.uk, like name@justice.gov.uk",
    ),
    (
        "practitioner-email-format",
        CD,
        "practitioner-email",
        [],
        {"email": "not an email"},
        "Enter your email address in the correct format, like name@justice.gov.uk",
    ),
    ("practitioner-name", CD, "practitioner-name", [], {"name": ""}, "Enter your name"),
    ("practitioner-phone", CD, "practitioner-phone", [], {"phone": ""}, "Enter your phone number"),
    ("practitioner-pdu", CD, "practitioner-pdu", [], {"pdu": ""}, "Select your PDU"),
    (
        "backup-email",
        CD,
        "backup-contact",
        [],
        {"name": "Al", "phone": "0100", "email": "al@gmail.com"},
        "Enter the backup contact’s email address ending in .gov.uk, like name@justice.gov.uk",
    ),
    (
        "backup-name",
        CD,
        "backup-contact",
        [],
        {"phone": "0100", "email": "al@justice.gov.uk"},
        "Enter the backup contact’s name",
    ),
    (
        "backup-phone",
        CD,
        "backup-contact",
        [],
        {"name": "Al", "email": "al@justice.gov.uk"},
        "Enter the backup contact’s phone number",
    ),
    ("eligibility", EL, "eligibility-reason", [], {}, "Select how Daniel Hughes is eligible for CAS3"),
    ("release-date-missing", EL, "release-date", [], {}, "Enter the release date"),
    (
        "release-date-past",
        EL,
        "release-date",
        [],
        d("release_date", TODAY - dt.timedelta(days=1)),
        "The release date must be today or in the future",
    ),
    (
        "release-date-beyond-3-months",
        EL,
        "release-date",
        [],
        d("release_date", LATEST + dt.timedelta(days=1)),
        f"The release date must be within the next 3 months, on or before {LATEST:%-d %B %Y}",
    ),
    (
        "required-from-past",
        EL,
        "accommodation-required-from-date",
        [],
        d("required_from", TODAY - dt.timedelta(days=1)),
        "The date accommodation is needed from must be today or in the future",
    ),
    (
        "required-from-beyond-3-months",
        EL,
        "accommodation-required-from-date",
        [],
        d("required_from", LATEST + dt.timedelta(days=1)),
        f"The date accommodation is needed from must be within the next 3 months, on or before {LATEST:%-d %B %Y}",
    ),
    (
        "required-from-before-release",
        EL,
        "accommodation-required-from-date",
        [],
        d("required_from", RELEASE - dt.timedelta(days=1)),
        f"The date accommodation is needed from must be on or after the release date, {RELEASE:%-d %B %Y}",
    ),
    ("consent", CO, "consent-given", [], {}, "Select yes if Daniel Hughes has agreed to this referral"),
    (
        "licence-condition-detail",
        LC,
        "additional-licence-conditions",
        [],
        {"conditions": ["curfew", "exclusion_zone"], "curfew_detail": "Evenings"},
        "Enter details of the condition: exclusion zone (make sure the exclusion zone map is in NDelius)",
    ),
    (
        "sharing-yes",
        PC,
        "accommodation-sharing",
        [],
        {"answer": "yes"},
        "Enter how any risks will be managed if Daniel Hughes shares",
    ),
    (
        "sharing-no",
        PC,
        "accommodation-sharing",
        [],
        {"answer": "no"},
        "Enter why Daniel Hughes is not suitable to share accommodation",
    ),
    ("sharing", PC, "accommodation-sharing", [], {}, "Select yes if Daniel Hughes is suitable to share accommodation"),
    ("cooperation", PC, "cooperation", [], {}, "Enter how you will support Daniel Hughes’s placement"),
    (
        "anti-social",
        PC,
        "anti-social-behaviour",
        [],
        {"answer": "yes"},
        "Describe the concerns about anti-social behaviour",
    ),
    (
        "substance",
        PC,
        "substance-misuse",
        [],
        {"answer": "yes"},
        "Describe Daniel Hughes’s problems with drugs or alcohol",
    ),
    (
        "rosh-children",
        PC,
        "rosh-level",
        [],
        {**RISKS, "risk_to_children": "", "self_harm": "no", "safety_plan": "no"},
        "Enter the risk to children",
    ),
    (
        "rosh-staff",
        PC,
        "rosh-level",
        [],
        {**RISKS, "risk_to_staff": "", "self_harm": "no", "safety_plan": "no"},
        "Enter the risk to staff",
    ),
    (
        "self-harm-detail",
        PC,
        "rosh-level",
        [],
        {**RISKS, "self_harm": "yes", "safety_plan": "no"},
        "Describe the concerns about self-harm or suicide",
    ),
    (
        "self-harm",
        PC,
        "rosh-level",
        [],
        {**RISKS, "safety_plan": "no"},
        "Select yes if there are concerns about self-harm or suicide",
    ),
    (
        "safety-plan",
        PC,
        "rosh-level",
        [],
        {**RISKS, "self_harm": "no"},
        "Select whether a safety plan has been completed",
    ),
    (
        "risk-plan-part",
        PC,
        "risk-management-plan",
        [],
        {**PLAN, "supervision": ""},
        "Enter the supervision part of the plan",
    ),
    ("approvals", AP, "approvals-for-specific-risks", [], {}, "Select whether you have approval for this referral"),
    (
        "approvals-detail",
        AP,
        "approvals-for-specific-risks",
        [],
        {"answer": "yes"},
        "Enter who approved the referral, and when",
    ),
    (
        "previous-stays",
        BC,
        "previous-stays",
        [],
        {},
        "Select yes if Daniel Hughes has stayed in CAS accommodation before",
    ),
    (
        "previous-stays-type",
        BC,
        "previous-stays-details",
        [(BC, "previous-stays", {"answer": "yes"})],
        {},
        "Select the type of accommodation Daniel Hughes stayed in",
    ),
    (
        "previous-stays-behaviour",
        BC,
        "previous-stays-details",
        [(BC, "previous-stays", {"answer": "yes"})],
        {"types": ["cas1", "cas2"], "cas1_behaviour": "Fine"},
        "Describe how Daniel Hughes behaved in CAS2 accommodation",
    ),
    ("needs", HN, "needs", [], {}, "Select Daniel Hughes’s needs, or ‘None of these’"),
    (
        "needs-none-exclusive",
        HN,
        "needs",
        [],
        {"needs": ["mobility", "none"], "mobility_detail": "Uses a stick"},
        "Select ‘None of these’ on its own, or untick it and select the others that apply",
    ),
    (
        "needs-detail",
        HN,
        "needs",
        [],
        {"needs": ["language"]},
        "Give details of the need: language (for example, needs an interpreter)",
    ),
    (
        "adaptations",
        HN,
        "property-attributes-or-adaptations",
        [],
        {"answer": "yes"},
        "Describe the features or adaptations Daniel Hughes needs",
    ),
    (
        "religious",
        HN,
        "religious-or-cultural-needs",
        [],
        {"answer": "yes"},
        "Describe Daniel Hughes’s religious or cultural needs",
    ),
    (
        "safeguarding",
        SG,
        "safeguarding-and-vulnerability",
        [],
        {"answer": "yes"},
        "Describe the concerns about safeguarding or vulnerability",
    ),
    ("support", SG, "support-in-the-community", [], {}, "Enter the support Daniel Hughes has in the community"),
    ("connections", SG, "local-connections", [], {}, "Enter Daniel Hughes’s local connections"),
    (
        "caring",
        SG,
        "caring-responsibilities",
        [],
        {"answer": "yes"},
        "Describe Daniel Hughes’s caring responsibilities",
    ),
    ("food", FA, "food-allergies", [], {}, "Select whether Daniel Hughes has food allergies or dietary needs"),
    (
        "food-detail",
        FA,
        "food-allergies",
        [],
        {"answer": "yes"},
        "Describe Daniel Hughes’s food allergies or dietary needs",
    ),
    ("move-on", MO, "move-on-plan", [], {}, "Enter how you will prepare Daniel Hughes to move on"),
    ("dtr", RR, "dtr-submitted", [], {}, "Select yes if a Duty to Refer or application for assistance has been made"),
    ("dtr-reference", RR, "dtr-details", [], {**DTR, "reference": ""}, "Enter the Duty to Refer reference number"),
    (
        "dtr-date-future",
        RR,
        "dtr-details",
        [],
        {**DTR, **d("submitted_on", TODAY + dt.timedelta(days=1))},
        "The date the Duty to Refer was made must be today or in the past",
    ),
    ("dtr-local-authority", RR, "dtr-details", [], {**DTR, "local_authority": ""}, "Select the local authority"),
    ("dtr-outcome", RR, "dtr-details", [], {**DTR, "outcome": ""}, "Select whether you have had an outcome"),
    (
        "dtr-rejected-other",
        RR,
        "dtr-details",
        [],
        {**DTR, "outcome": "rejected_other"},
        "Enter why the local authority rejected it",
    ),
    (
        "crs",
        RR,
        "crs-submitted",
        [],
        {},
        "Select yes if a referral to Commissioned Rehabilitative Services has been made",
    ),
    (
        "other-options",
        RR,
        "other-accommodation-options",
        [],
        {"answer": "yes"},
        "Describe the other accommodation options considered",
    ),
]


@pytest.fixture
def referrer():
    return make_user(Role.CAS3_REFERRER, username="pp.validation", pdu=pdu("N51LPLS"))


_ANSWERS: dict = {}


@pytest.fixture
def completed(referrer):
    """A referral with every task answered, so any page can be opened. The answers are made
    through the services once, then copied into each test's draft (the same referrer and person)."""
    referral = make_draft(referrer)
    if not _ANSWERS:
        _ANSWERS.update(complete(referrer, referral).answers)
    else:
        Referral.objects.filter(pk=referral.pk).update(answers=_ANSWERS)
        referral.refresh_from_db()
    return referral


def assert_error_shown(content: str, message: str):
    text = html.unescape(content)
    assert "<title>Error:" in text
    summary = re.search(r'<div class="govuk-error-summary".*?</div>\s*</div>', text, re.S)
    assert summary, "no error summary"
    link = re.search(r'<a href="#([^"]+)">' + re.escape(message) + "</a>", summary.group(0))
    assert link, f"{message!r} not linked in the error summary:\n{summary.group(0)}"
    field_error = re.search(
        r'<p id="([^"]+)-error" class="govuk-error-message">\s*<span class="govuk-visually-hidden">Error:</span> '
        + re.escape(message),
        text,
    )
    assert field_error, f"{message!r} not shown at the field"
    # The summary link goes to the field (or, for dates, its first input) that shows the error.
    target = link.group(1)
    assert f'id="{target}"' in text
    assert target.startswith(field_error.group(1)) or field_error.group(1).startswith(target.removeprefix("id_"))


@pytest.mark.parametrize(
    ("task", "page", "setup", "data", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_rule_shows_the_error_summary_and_the_field_error(
    client, referrer, completed, task, page, setup, data, message
):
    for setup_task, setup_page, values in setup:
        services.save_page(referrer, completed.pk, setup_task, setup_page, values, from_json=True)
    completed.refresh_from_db()
    before = completed.answers
    client.force_login(referrer)
    response = client.post(reverse("web:referral-page", args=[completed.pk, task, page]), data)
    assert response.status_code == 200
    assert_error_shown(response.content.decode(), message)
    completed.refresh_from_db()
    assert completed.answers == before


def test_confirming_details_with_an_email_not_on_gov_uk_links_to_the_change_page(client):
    user = make_user(Role.CAS3_REFERRER, username="pp.notgov", email="pp@example.com", pdu=pdu("N51LPLS"))
    referral = make_draft(user)
    for task, page, values in demo.complete_answers(today=TODAY):
        if task == CD:
            break
        services.save_page(user, referral.pk, task, page, values, from_json=True)
    services.save_page(user, referral.pk, CD, "practitioner-phone", {"phone": "0100"}, from_json=True)
    client.force_login(user)
    url = reverse("web:referral-page", args=[referral.pk, CD, "probation-practitioner"])
    page = client.get(url).content.decode()
    assert "pp@example.com" in page and "govuk-error-summary" not in page
    response = client.post(url)
    text = html.unescape(response.content.decode())
    assert 'href="#id_email">Enter your email address ending in .gov.uk, like name@justice.gov.uk</a>' in text
    assert 'id="id_email" href="' + reverse("web:referral-page", args=[referral.pk, CD, "practitioner-email"]) in text


def test_a_phone_number_missing_from_the_account_is_said_on_check_your_details_before_confirming(client):
    user = make_user(Role.CAS3_REFERRER, username="pp.nophone", phone_number="", pdu=pdu("N51LPLS"))
    referral = make_draft(user)
    client.force_login(user)
    url = reverse("web:referral-page", args=[referral.pk, CD, "probation-practitioner"])
    phone_page = reverse("web:referral-page", args=[referral.pk, CD, "practitioner-phone"])
    text = html.unescape(client.get(url).content.decode())
    # Said where the phone number is shown, as a link to the page that adds it, before "Confirm".
    assert "Some of these details are missing or cannot be used" in text
    assert f'id="id_phone" href="{phone_page}">Enter your phone number</a>' in text
    assert "Not given" not in text and "govuk-error-summary" not in text
    # Confirming anyway is refused with the same words, linked to the same place.
    text = html.unescape(client.post(url).content.decode())
    assert 'href="#id_phone">Enter your phone number</a>' in text
    assert f'id="id_phone" href="{phone_page}">Enter your phone number</a>' in text
    # Once it is given, the page has nothing to say and confirms.
    client.post(phone_page, {"phone": "0161 496 0000"})
    text = html.unescape(client.get(url).content.decode())
    assert "0161 496 0000" in text and "Some of these details are missing" not in text
    assert client.post(url).status_code == 302


def test_answering_no_to_the_duty_to_refer_says_what_it_means_for_the_referral(client, referrer, completed):
    client.force_login(referrer)
    url = reverse("web:referral-page", args=[completed.pk, RR, "dtr-submitted"])
    page = html.unescape(client.get(url).content.decode())
    assert "If it has not been made yet, select no: you can still send the referral" in page
    meaning = "You can still send this referral, but the HPT will see that no Duty to Refer"
    assert meaning not in page  # answered yes
    response = client.post(url, {"answer": "no"})
    assert response.status_code == 302
    # Said on the next page, on the page itself and on check your answers; the referral can still be sent.
    next_page = html.unescape(client.get(response["Location"]).content.decode())
    assert meaning in next_page and "refer Daniel Hughes to a local authority" in next_page
    assert meaning in html.unescape(client.get(url).content.decode())
    check = html.unescape(
        client.get(reverse("web:referral-page", args=[completed.pk, "check-your-answers", "review"])).content.decode()
    )
    assert meaning in check and "Confirm your answers" in check
    client.post(url, {"answer": "yes"})
    check = html.unescape(
        client.get(reverse("web:referral-page", args=[completed.pk, "check-your-answers", "review"])).content.decode()
    )
    assert meaning not in check


def test_declaration_must_be_ticked(client, referrer, completed):
    client.force_login(referrer)
    response = client.post(reverse("web:referral-submit", args=[completed.pk]), {})
    text = html.unescape(response.content.decode())
    assert (
        '<a href="#declaration">Confirm that the information you have given is complete, accurate and up to date</a>'
        in text
    )
    assert 'class="govuk-error-message">' in text
    completed.refresh_from_db()
    assert completed.is_draft


def test_out_of_region_evidence_gate_is_listed_on_the_send_page(client, referrer, completed):
    for task, page, values in [
        *OUT_OF_REGION,
        (PL, "placement-pdu", {"pdu": "N55LEE"}),
        (PL, "pdu-evidence", {"evidence": "not_yet"}),
    ]:
        services.save_page(referrer, completed.pk, task, page, values, from_json=True)
    client.force_login(referrer)
    tasks = html.unescape(client.get(reverse("web:referral-tasks", args=[completed.pk])).content.decode())
    assert "Add the evidence from the PDU to NDelius, then tell us it is there" in tasks
    response = client.post(reverse("web:referral-submit", args=[completed.pk]), {"declaration": "on"})
    text = html.unescape(response.content.decode())
    assert "You cannot send the referral yet" in text
    assert "Placement location: add the evidence from the PDU to NDelius, then tell us it is there" in text
    assert reverse("web:referral-page", args=[completed.pk, PL, "needs-evidence"]) in text
    completed.refresh_from_db()
    assert completed.is_draft


def test_the_duty_to_refer_local_authority_lists_the_placement_regions_own_first_but_allows_any(
    client, referrer, completed
):
    """Issue 20.15: the region's authorities in their own group, every other one in England and Wales
    after it (people may settle anywhere), and the answer shown by name."""
    client.force_login(referrer)
    url = reverse("web:referral-page", args=[completed.pk, RR, "dtr-details"])
    page = html.unescape(client.get(url).content.decode())
    own = re.search(r'<optgroup label="North West">(.*?)</optgroup>', page, re.S)
    rest = re.search(r'<optgroup label="Elsewhere in England and Wales">(.*?)</optgroup>', page, re.S)
    assert own and rest and own.start() < rest.start()
    assert '<option value="E08000012" selected>Liverpool</option>' in own.group(1)
    assert ">Wirral<" in own.group(1) and ">Manchester<" not in own.group(1)
    assert ">Cardiff<" in rest.group(1) and ">Liverpool<" not in rest.group(1)
    assert ">Glasgow City<" not in page
    assert page.index(">Select a local authority<") < own.start()

    response = client.post(url, {**DTR, "local_authority": "W06000015"})
    assert response.status_code == 302
    completed.refresh_from_db()
    task = client.get(reverse("web:referral-page", args=[completed.pk, "check-your-answers", "review"]))
    task_page = html.unescape(task.content.decode())
    assert "Cardiff" in task_page and "W06000015" not in task_page
