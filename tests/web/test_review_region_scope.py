"""An assessor of one region can neither list, nor open, nor act on another region's referral, by
web or API: every review route is walked (so a new one is covered the day it is added), with GET and
with POST (and PUT for the API's dates)."""

import pytest
from django.urls import reverse

from cas.core.roles import Role
from cas.events.models import OutboundEmail
from cas.referrals.cas3 import queries
from cas.referrals.cas3.workflow import Status as ReferralStatus
from cas.referrals.models import TimelineEntry
from tests.factories import make_user, pdu
from tests.referral_factories import make_submitted
from tests.review_factories import first_reason
from tests.url_samples import all_urls

pytestmark = pytest.mark.django_db

REVIEW_ROUTES = sorted(
    name
    for name, _ in all_urls()
    if name.startswith(("web:review-referral", "api:review-referral")) and name != "api:review-referrals"
)
BODIES = {
    "web:review-referral-reject": {"reason": "1", "withdrawal_requested": "no"},
    "web:review-referral-timeline": {"text": "A note", "to_referrer": "yes"},
    "web:review-referral-dates": {"version": "0"},
    "api:review-referral-reject": {"reason": 1, "withdrawal_requested": False},
    "api:review-referral-notes": {"text": "A note", "to_referrer": True},
}


def _kwargs(name, pk):
    if name == "web:review-referral-action":
        return {"pk": pk, "action": "allocate"}
    return {"pk": pk}


def test_every_review_route_is_walked():
    assert len(REVIEW_ROUTES) == 20  # 8 pages, 12 API endpoints
    assert "web:review-referral-action" in REVIEW_ROUTES and "api:review-referral-reopen" in REVIEW_ROUTES


def test_another_regions_assessor_is_refused_everywhere(client):
    referrer = make_user(Role.CAS3_REFERRER, username="scope.pp", pdu=pdu("N51LPLS"))
    referral = make_submitted(referrer, "X100001")
    london = make_user(Role.CAS3_ASSESSOR, region_code="N07", username="scope.london")
    client.force_login(london)
    reason = first_reason()
    BODIES["web:review-referral-reject"]["reason"] = str(reason.pk)
    BODIES["api:review-referral-reject"]["reason"] = reason.pk
    BODIES["web:review-referral-allocation"] = {"assessor": str(london.pk)}
    BODIES["api:review-referral-allocation"] = {"assessor": london.pk}
    for name in REVIEW_ROUTES:
        url = reverse(name, kwargs=_kwargs(name, referral.pk))
        body = BODIES.get(name, {})
        if name.startswith("api:"):
            get = client.get(url)
            assert get.status_code in (404, 405), (name, get.status_code)
            sent = client.post(url, body, content_type="application/json")
            assert sent.status_code in (404, 405), (name, sent.status_code)
            put = client.put(url, {"release_date": "2026-01-01"}, content_type="application/json")
            assert put.status_code in (400, 404, 405), (name, put.status_code)
            assert not (put.status_code == 400 and name != "api:review-referral-dates")
        else:
            assert client.get(url).status_code == 404, name
            assert client.post(url, body).status_code in (404, 405), name
    # Nothing changed, nothing was written, nobody was emailed.
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.UNALLOCATED and referral.version == 0
    assert TimelineEntry.objects.filter(referral=referral).count() == 1  # the submission
    assert not OutboundEmail.objects.exclude(template_key="cas3_referral_submitted").exists()
    # And the lists never show it, whatever is asked for.
    for tab in queries.QUEUE_TABS:
        page = client.get(reverse("web:review-queue", args=[tab]) + "?q=X100001&region=N51")
        assert page.context_data["queue"].totals == dict.fromkeys(queries.QUEUE_TABS, 0)
        assert "Daniel Hughes" not in page.content.decode()
        body = client.get(reverse("api:review-referrals"), {"tab": tab, "q": "X100001", "region": "N51"}).json()
        assert body["count"] == 0 and set(body["totals"].values()) == {0}
    # The owning region's assessor sees it.
    client.force_login(make_user(Role.CAS3_ASSESSOR, region_code="N51"))
    assert client.get(reverse("web:review-referral", args=[referral.pk])).status_code == 200
    assert client.get(reverse("api:review-referral", args=[referral.pk])).status_code == 200
