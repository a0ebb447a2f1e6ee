"""The synthetic risk system (OASys, tier, and MAPPA and flags from NDelius): a person's risk summary."""

from __future__ import annotations

from dataclasses import replace

from ..ports import CASE_SYSTEM_NAME, RISK_SYSTEM_NAME, RiskSummary, UpstreamUnavailable, normalise_identifier
from .base import SyntheticBase
from .demo_people import CASE_FAILS, RISK_FAILS


class SyntheticRiskSystem(SyntheticBase):
    def get_risk(self, crn: str) -> RiskSummary:
        crn = normalise_identifier(crn)
        if crn in RISK_FAILS:
            system = CASE_SYSTEM_NAME if crn in CASE_FAILS else RISK_SYSTEM_NAME
            raise UpstreamUnavailable(system, f"synthetic timeout for {crn}")
        return replace(self._entry(crn).risk, fetched_at=self._clock())
