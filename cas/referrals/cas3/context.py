"""The context the CAS3 form's pages see: the person, the referrer, the referrer's region, the
upstream snapshots taken when the draft was created, today's date and the reference lists."""

from __future__ import annotations

from functools import cached_property

from cas.core import clock
from cas.reference.models import LocalAuthorityArea, ProbationDeliveryUnit, ProbationRegion


class ReferenceData:
    """Regions, PDUs and local authorities, read once per request when a page needs them."""

    @cached_property
    def _regions(self) -> list[dict]:
        return [
            {"code": r.delius_code, "name": r.name, "hpt_email": r.hpt_email, "is_national": r.is_national}
            for r in ProbationRegion.objects.active().order_by("name")
        ]

    def regions(self) -> list[dict]:
        """Regions a referral can go to (not National)."""
        return [r for r in self._regions if not r["is_national"]]

    def region(self, code: str | None) -> dict | None:
        return next((r for r in self._regions if r["code"] == code), None)

    @cached_property
    def _pdus(self) -> list[tuple[str, str, str]]:
        return list(
            ProbationDeliveryUnit.objects.active()
            .order_by("name")
            .values_list("delius_code", "name", "region__delius_code")
        )

    def pdus(self, region_code: str) -> list[tuple[str, str]]:
        return [(code, name) for code, name, region in self._pdus if region == region_code]

    def all_pdus(self) -> list[tuple[str, str]]:
        return [(code, name) for code, name, _ in self._pdus]

    def pdu_name(self, code: str | None) -> str:
        return next((name for c, name, _ in self._pdus if c == code), "")

    @cached_property
    def _local_authorities(self) -> list[tuple[str, str, str]]:
        return list(
            LocalAuthorityArea.objects.active()
            .order_by("name")
            .values_list("identifier", "name", "probation_region__delius_code")
        )

    def local_authorities_by_region(self, region_code: str) -> list[tuple[str, list[tuple[str, str]]]]:
        """Grouped choices: the region's own authorities first, then every other one in England and Wales
        (people may settle anywhere, so none is refused)."""
        region = self.region(region_code)
        own = [(code, name) for code, name, r in self._local_authorities if r == region_code]
        rest = [(code, name) for code, name, r in self._local_authorities if r != region_code]
        if not region or not own:
            return [("Local authorities in England and Wales", rest)]
        return [(region["name"], own), ("Elsewhere in England and Wales", rest)]


def form_context(referral, *, today=None) -> dict:
    region = referral.origin_region
    user = referral.created_by
    return {
        "placeholders": {"name": referral.person_name, "region": region.name},
        "today": today or clock.today(),
        "own_region": {"code": region.delius_code, "name": region.name, "is_national": region.is_national},
        "ref": ReferenceData(),
        "practitioner": {
            "name": user.get_full_name(),
            "email": user.email,
            "phone": user.phone_number,
            "pdu": user.pdu.delius_code if user.pdu_id else "",
        },
        "risk": referral.risk_snapshot,
        "prison": referral.prison_snapshot,
        "prison_problem": referral.prison_problem,
        "offence": {
            "offence_id": referral.offence_id,
            "description": referral.offence_description,
        },
        "rmp_imported": referral.risk_management_plan_imported_at is not None,
        "rmp_imported_at": referral.risk_management_plan_imported_at,
        "risk_assessment_completed_on": referral.risk_assessment_completed_on,
    }
