"""The CAS2 application workflow, as data: the statuses the national provider moves an application
through after submission, what the referrer sees, the actions between them, and the details a
status update carries (why an offer was declined, which sections need more information).

The MoJ's CAS2 lets any status follow any other ("Offer accepted" after "Referral cancelled"); here
every move is a declared transition, so the pages, the API and the provider's system are refused the
same way. The provider picks the next status; `Workflow.action_to` finds the action that gets there.
"""

from enum import StrEnum

from django.db import models

from cas.core.permissions import Permission
from cas.core.tiers import DRAFT, Workflow
from cas.core.tiers import Status as StatusInfo


class Status(models.TextChoices):
    DRAFT = DRAFT, "In progress"
    # Submitted: in the provider's national queue, no status update yet.
    RECEIVED = "received", "Received"
    MORE_INFO_REQUESTED = "more_info_requested", "More information requested"
    AWAITING_DECISION = "awaiting_decision", "Awaiting decision"
    ON_WAITING_LIST = "on_waiting_list", "On waiting list"
    PLACE_OFFERED = "place_offered", "Place offered"
    OFFER_ACCEPTED = "offer_accepted", "Offer accepted"
    AWAITING_ARRIVAL = "awaiting_arrival", "Awaiting arrival"
    COULD_NOT_BE_PLACED = "could_not_be_placed", "Could not be placed"
    INCOMPLETE = "incomplete", "Incomplete"
    OFFER_DECLINED = "offer_declined", "Offer declined or withdrawn"
    WITHDRAWN = "withdrawn", "Referral withdrawn"
    CANCELLED = "cancelled", "Referral cancelled"


S = Status

# Open statuses after submission, in the order the provider's queue shows them.
IN_PROGRESS = (
    S.RECEIVED,
    S.MORE_INFO_REQUESTED,
    S.AWAITING_DECISION,
    S.ON_WAITING_LIST,
    S.PLACE_OFFERED,
    S.OFFER_ACCEPTED,
)
PLACED = (S.AWAITING_ARRIVAL,)
CLOSED = (S.COULD_NOT_BE_PLACED, S.INCOMPLETE, S.OFFER_DECLINED, S.WITHDRAWN, S.CANCELLED)
SUBMITTED_STATUSES = (*IN_PROGRESS, *PLACED, *CLOSED)
# A referral that is still being decided (withdrawing or cancelling it is possible from these).
_LIVE = (*IN_PROGRESS, S.AWAITING_ARRIVAL)


class Action(StrEnum):
    REQUEST_INFORMATION = "request_information"
    # The referrer's one action: they answered the reopened sections and send them back.
    SEND_INFORMATION = "send_information"
    AWAIT_DECISION = "await_decision"
    ADD_TO_WAITING_LIST = "add_to_waiting_list"
    OFFER_PLACE = "offer_place"
    ACCEPT_OFFER = "accept_offer"
    DECLINE_OFFER = "decline_offer"
    ARRANGE_ARRIVAL = "arrange_arrival"
    NOT_PLACED = "not_placed"
    MARK_INCOMPLETE = "mark_incomplete"
    WITHDRAW = "withdraw"
    CANCEL = "cancel"


A = Action

# The sections an assessor can ask more information about (reference section 3.1). The ones marked
# "hdc" in HDC_ONLY_DETAILS are offered for Home Detention Curfew applications only.
MORE_INFORMATION_SECTIONS = (
    ("personal_information", "Personal information"),
    ("applicant_details", "Applicant details"),
    ("concerns_to_others", "Concerns to others"),
    ("concerns_to_the_applicant", "Concerns to the applicant"),
    ("current_alleged_offences", "Current or alleged offences"),
    ("previous_unspent_convictions", "Previous unspent convictions"),
    ("probation_and_oasys", "Probation and OASys"),
    ("funding_and_id", "Funding and ID"),
    ("exclusion_zones_and_areas", "Exclusion zones and preferred areas"),
    ("health_needs", "Health needs"),
    ("risk_to_self", "Risk to self"),
    ("risk_of_serious_harm", "Risk of serious harm"),
    ("current_offences", "Current offences"),
    ("offending_history", "Offending history"),
    ("hdc_and_cpp", "HDC licence and community probation practitioner details"),
    ("other", "Other"),
)
OFFER_DECLINED_REASONS = (
    ("area_unsuitable", "Area unsuitable"),
    ("change_of_circumstances", "Change of circumstances"),
    ("no_response", "No response"),
    ("offer_withdrawn_by_provider", "Offer withdrawn by the provider"),
    ("property_unsuitable", "Property unsuitable for their needs"),
    ("withdrawn_by_referrer", "Withdrawn by the referrer"),
    ("rehoused_by_another_landlord", "Rehoused by another landlord"),
    ("bailed_to_other_accommodation", "Bailed to accommodation outside CAS2"),
    ("remanded_in_custody", "Remanded in custody"),
    ("unable_to_afford_rent", "Unable to afford the rent"),
)
WITHDRAWAL_REASONS = (
    ("hdc_no_longer_eligible", "No longer eligible for HDC"),
    ("governor_decided_unsuitable", "Governor decided HDC is unsuitable"),
    ("governor_chosen_alternative", "Governor chose other accommodation"),
    ("governor_other", "Governor's decision: other reason"),
    ("withdrew_or_declined_offer", "Withdrew or declined the offer"),
    ("transferred_to_another_prison", "Moved to another prison"),
    ("change_of_circumstances", "Change of circumstances"),
    ("sentencing_hearing_booked", "Sentencing hearing booked"),
    ("bailed_to_other_accommodation", "Bailed to accommodation outside CAS2"),
    ("given_community_sentence", "Given a community sentence"),
    ("given_custodial_sentence", "Given a custodial sentence"),
    ("other_sentence", "Other sentence"),
    ("remanded_in_custody", "Remanded in custody"),
)
CANCELLATION_REASONS = (
    ("assessed_as_high_risk", "Assessed as high risk by the provider"),
    ("not_eligible", "Not eligible"),
    ("no_recourse_to_public_funds", "No recourse to public funds"),
    ("no_property_available", "No property available"),
    ("no_women_only_property_available", "No women-only property available"),
    ("no_adapted_property_available", "No adapted property available"),
    ("no_suitable_property_available", "No suitable property available"),
    ("incomplete_referral", "Incomplete referral"),
    ("created_in_error", "Created in error"),
    ("hdc_not_eligible", "Not eligible for HDC"),
    ("transferred_to_another_prison", "Moved to another prison"),
)
# Details that only make sense for a Home Detention Curfew application.
HDC_ONLY_DETAILS = frozenset(
    {
        "personal_information",
        "risk_to_self",
        "risk_of_serious_harm",
        "current_offences",
        "offending_history",
        "hdc_and_cpp",
        "rehoused_by_another_landlord",
        "hdc_no_longer_eligible",
        "governor_decided_unsuitable",
        "governor_chosen_alternative",
        "governor_other",
        "hdc_not_eligible",
    }
)

WORKFLOW = Workflow(
    statuses=(
        # code, label, what the referrer sees, its colour
        StatusInfo(S.DRAFT, S.DRAFT.label, "In progress", "blue"),
        StatusInfo(S.RECEIVED, S.RECEIVED.label, "Received", "grey"),
        StatusInfo(S.MORE_INFO_REQUESTED, S.MORE_INFO_REQUESTED.label, "More information needed", "light-blue"),
        StatusInfo(S.AWAITING_DECISION, S.AWAITING_DECISION.label, "Awaiting decision", "yellow"),
        StatusInfo(S.ON_WAITING_LIST, S.ON_WAITING_LIST.label, "On waiting list", "yellow"),
        StatusInfo(S.PLACE_OFFERED, S.PLACE_OFFERED.label, "Place offered", "purple"),
        StatusInfo(S.OFFER_ACCEPTED, S.OFFER_ACCEPTED.label, "Offer accepted", "green"),
        StatusInfo(S.AWAITING_ARRIVAL, S.AWAITING_ARRIVAL.label, "Awaiting arrival", "green"),
        StatusInfo(S.COULD_NOT_BE_PLACED, S.COULD_NOT_BE_PLACED.label, "Could not be placed", "grey", closes=True),
        StatusInfo(S.INCOMPLETE, S.INCOMPLETE.label, "Incomplete", "grey", closes=True),
        StatusInfo(S.OFFER_DECLINED, S.OFFER_DECLINED.label, "Offer declined or withdrawn", "orange", closes=True),
        StatusInfo(S.WITHDRAWN, S.WITHDRAWN.label, "Withdrawn", "pink", closes=True),
        StatusInfo(S.CANCELLED, S.CANCELLED.label, "Cancelled", "pink", closes=True),
    ),
    submitted=S.RECEIVED,
    transitions={
        A.REQUEST_INFORMATION: {
            S.RECEIVED: S.MORE_INFO_REQUESTED,
            S.AWAITING_DECISION: S.MORE_INFO_REQUESTED,
            S.ON_WAITING_LIST: S.MORE_INFO_REQUESTED,
        },
        A.SEND_INFORMATION: {S.MORE_INFO_REQUESTED: S.RECEIVED},
        A.AWAIT_DECISION: {
            S.RECEIVED: S.AWAITING_DECISION,
            S.MORE_INFO_REQUESTED: S.AWAITING_DECISION,
            S.ON_WAITING_LIST: S.AWAITING_DECISION,
        },
        A.ADD_TO_WAITING_LIST: {S.RECEIVED: S.ON_WAITING_LIST, S.AWAITING_DECISION: S.ON_WAITING_LIST},
        # A place is offered only once the provider has what it needs to decide.
        A.OFFER_PLACE: {S.AWAITING_DECISION: S.PLACE_OFFERED, S.ON_WAITING_LIST: S.PLACE_OFFERED},
        A.ACCEPT_OFFER: {S.PLACE_OFFERED: S.OFFER_ACCEPTED},
        A.DECLINE_OFFER: {S.PLACE_OFFERED: S.OFFER_DECLINED, S.OFFER_ACCEPTED: S.OFFER_DECLINED},
        A.ARRANGE_ARRIVAL: {S.OFFER_ACCEPTED: S.AWAITING_ARRIVAL},
        A.NOT_PLACED: {S.AWAITING_DECISION: S.COULD_NOT_BE_PLACED, S.ON_WAITING_LIST: S.COULD_NOT_BE_PLACED},
        A.MARK_INCOMPLETE: {S.MORE_INFO_REQUESTED: S.INCOMPLETE},
        A.WITHDRAW: dict.fromkeys(_LIVE, S.WITHDRAWN),
        A.CANCEL: dict.fromkeys(_LIVE, S.CANCELLED),
    },
    # The provider chooses the next status, so each action is called by the status it leads to.
    action_labels={
        A.REQUEST_INFORMATION: S.MORE_INFO_REQUESTED.label,
        A.SEND_INFORMATION: "Send the information requested",
        A.AWAIT_DECISION: S.AWAITING_DECISION.label,
        A.ADD_TO_WAITING_LIST: S.ON_WAITING_LIST.label,
        A.OFFER_PLACE: S.PLACE_OFFERED.label,
        A.ACCEPT_OFFER: S.OFFER_ACCEPTED.label,
        A.DECLINE_OFFER: S.OFFER_DECLINED.label,
        A.ARRANGE_ARRIVAL: S.AWAITING_ARRIVAL.label,
        A.NOT_PLACED: S.COULD_NOT_BE_PLACED.label,
        A.MARK_INCOMPLETE: S.INCOMPLETE.label,
        A.WITHDRAW: S.WITHDRAWN.label,
        A.CANCEL: S.CANCELLED.label,
    },
    timeline_titles={
        A.REQUEST_INFORMATION: "More information requested",
        A.SEND_INFORMATION: "Requested information sent",
        A.AWAIT_DECISION: "Awaiting decision",
        A.ADD_TO_WAITING_LIST: "Added to the waiting list",
        A.OFFER_PLACE: "Place offered",
        A.ACCEPT_OFFER: "Offer accepted",
        A.DECLINE_OFFER: "Offer declined or withdrawn",
        A.ARRANGE_ARRIVAL: "Awaiting arrival",
        A.NOT_PLACED: "Could not be placed",
        A.MARK_INCOMPLETE: "Closed as incomplete",
        A.WITHDRAW: "Referral withdrawn",
        A.CANCEL: "Referral cancelled",
    },
    action_permissions={A.SEND_INFORMATION: Permission.REFERRAL_MAKE},
    action_details={
        A.REQUEST_INFORMATION: MORE_INFORMATION_SECTIONS,
        A.DECLINE_OFFER: OFFER_DECLINED_REASONS,
        A.WITHDRAW: WITHDRAWAL_REASONS,
        A.CANCEL: CANCELLATION_REASONS,
    },
    details_required=frozenset({A.REQUEST_INFORMATION, A.DECLINE_OFFER, A.WITHDRAW, A.CANCEL}),
)


def detail_choices(action: str, route_code: str | None) -> tuple[tuple[str, str], ...]:
    """The details the provider may give with `action` for an application of this route."""
    choices = WORKFLOW.action_details.get(action, ())
    if route_code == "hdc":
        return choices
    return tuple((code, label) for code, label in choices if code not in HDC_ONLY_DETAILS)
