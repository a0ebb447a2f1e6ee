"""The editable reason and characteristic lists: one registry used by the loader, the
administrators' screens and the API, so a new list is declared once."""

from dataclasses import dataclass

from cas.reference import models as m


@dataclass(frozen=True)
class ReferenceList:
    slug: str
    title: str
    model: type[m.ReferenceEntry]
    csv_name: str
    description: str


REFERENCE_LISTS: dict[str, ReferenceList] = {
    rl.slug: rl
    for rl in [
        ReferenceList(
            "characteristics",
            "Property and bedspace characteristics",
            m.Characteristic,
            "",
            "Features used to describe properties and bedspaces and to filter searches.",
        ),
        ReferenceList(
            "departure-reasons",
            "Departure reasons",
            m.DepartureReason,
            "departure_reasons.csv",
            "Why a person left their accommodation.",
        ),
        ReferenceList(
            "move-on-categories",
            "Move-on categories",
            m.MoveOnCategory,
            "move_on_categories.csv",
            "Where a person went after their stay, as counted in the official statistics.",
        ),
        ReferenceList(
            "cancellation-reasons",
            "Cancellation reasons",
            m.CancellationReason,
            "cancellation_reasons.csv",
            "Why a booking was cancelled.",
        ),
        ReferenceList(
            "non-arrival-reasons",
            "Non-arrival reasons",
            m.NonArrivalReason,
            "non_arrival_reasons.csv",
            "Why a person did not arrive for a confirmed booking.",
        ),
        ReferenceList(
            "referral-rejection-reasons",
            "Referral rejection reasons",
            m.ReferralRejectionReason,
            "referral_rejection_reasons.csv",
            "Why an assessor rejected a referral.",
        ),
        ReferenceList(
            "void-reasons",
            "Void reasons",
            m.VoidReason,
            "void_bedspace_reasons.csv",
            "Why a bedspace is out of service for a period.",
        ),
        ReferenceList(
            "destination-providers",
            "Destination providers",
            m.DestinationProvider,
            "destination_providers.csv",
            "Who provides the accommodation a person moves on to.",
        ),
    ]
}
