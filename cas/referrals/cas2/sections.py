"""Which tasks of the CAS2 form each "More information requested" section reopens for the referrer.

The provider names sections in its own terms (reference section 3.1: "Concerns to others", "Funding
and ID"); the referrer answers tasks of our form. The mapping is declared here once, so the status
update, the referrer's task list and the tests agree on it. A task that does not apply to the
application's route (solicitor details for HDC) is never reopened. "Other" reopens no task: the
provider says what it needs in the update's text, and the referrer answers with a note.
"""

from __future__ import annotations

from collections.abc import Iterable

from cas.forms_engine.answers import Answers
from cas.referrals.cas2.definition import DEFINITION

SECTION_TASKS: dict[str, tuple[str, ...]] = {
    "personal_information": ("personal-information", "equality-and-diversity"),
    "applicant_details": ("personal-information", "address-history", "solicitor-details"),
    "concerns_to_others": ("risk-of-serious-harm",),
    "concerns_to_the_applicant": ("risk-to-self",),
    "current_alleged_offences": ("alleged-offences", "current-offences"),
    "previous_unspent_convictions": ("offending-history",),
    "probation_and_oasys": ("referrer-details", "risk-of-serious-harm"),
    "funding_and_id": ("funding-information",),
    "exclusion_zones_and_areas": ("area-information",),
    "health_needs": ("health-needs",),
    "risk_to_self": ("risk-to-self",),
    "risk_of_serious_harm": ("risk-of-serious-harm",),
    "current_offences": ("current-offences",),
    "offending_history": ("offending-history",),
    "hdc_and_cpp": ("hdc-licence-dates", "referrer-details"),
    "other": (),
}


def applies(task_slug: str, route_code: str | None) -> bool:
    """Whether the form's task applies to applications of the route (the form's own rule)."""
    return DEFINITION.task(task_slug).applies_to(Answers(), {"route": route_code or ""})


def tasks_for(section_codes: Iterable[str], route_code: str | None) -> list[str]:
    """The task slugs the chosen sections reopen for an application of the route, in the form's
    order, each once."""
    wanted = {slug for code in section_codes for slug in SECTION_TASKS.get(code, ())}
    return [task.slug for task in DEFINITION.tasks() if task.slug in wanted and applies(task.slug, route_code)]
