"""Two submissions of the same draft at the same moment (a double click, a retried request, two
tabs) make one submitted referral and one receipt. Real transactions and threads, on SQLite and
PostgreSQL alike."""

import threading

import pytest
from django.db import connection, connections

from cas.core.roles import Role
from cas.events.models import OutboundEmail
from cas.referrals import services
from cas.referrals.cas3.workflow import Status as ReferralStatus
from cas.referrals.models import Referral
from tests.factories import make_user, pdu
from tests.referral_factories import complete, make_draft


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_make_one_referral():
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(("file:memorydb", ":memory:")):
        # In-memory SQLite shares one cache between threads, where locks fail instead of waiting;
        # the file database the service runs on waits (immediate transactions, busy timeout).
        pytest.skip("needs a file or PostgreSQL database")
    user = make_user(Role.CAS3_REFERRER, username="pp.concurrent", pdu=pdu("N51LPLS"))
    referral = complete(user, make_draft(user))
    barrier = threading.Barrier(4)
    results, errors = [], []

    def submit():
        try:
            barrier.wait(timeout=10)
            results.append(services.submit_referral(user, referral.pk, declaration=True))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert sorted(r.newly_submitted for r in results) == [False, False, False, True]
    assert Referral.objects.filter(status=ReferralStatus.UNALLOCATED).count() == 1
    assert OutboundEmail.objects.filter(template_key="cas3_referral_submitted").count() == 1
