import pytest
from django.core.management import call_command
from django.urls import reverse

from cas.accounts.models import User
from cas.core.roles import HOME_PRIORITY
from cas.demo.accounts import DEMO_PASSWORD, DEMO_USERS
from cas.web.home import ROLE_HOMES

pytestmark = pytest.mark.django_db


def test_every_demo_user_signs_in_and_lands_on_their_home_page(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo_data", verbosity=0)
    call_command("load_demo_data", verbosity=0)  # idempotent
    assert User.objects.filter(username__startswith="demo.").count() == len(DEMO_USERS)
    for demo in DEMO_USERS:
        client.logout()
        response = client.post(reverse("accounts:sign-in"), {"username": demo.username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, demo.username
        landing = client.get(response["Location"])
        main_role = next(r for r in HOME_PRIORITY if r in demo.roles)
        expected = reverse("web:role-home", args=[ROLE_HOMES[main_role].slug])
        assert landing["Location"] == expected, demo.username
        assert client.get(expected).status_code == 200
    _the_demo_assessor_has_referrals_in_every_tab()
    _cas2_applications_in_every_status_route_and_cohort()


def _the_demo_assessor_has_referrals_in_every_tab():
    from cas.referrals.cas3 import queries

    assessor = User.objects.get(username="demo.cas3.assessor")
    for tab in queries.QUEUE_TABS:
        assert queries.review_queue(assessor, tab).totals[tab] >= 1, tab
    archive = {r.status for r in queries.review_queue(assessor, "archive").referrals}
    assert archive == {"archived", "rejected"}
    counts = queries.attention_counts(assessor)
    assert counts["urgent"] >= 1 and counts["overdue"] >= 1  # the placement demo places one of them


def test_demo_data_refused_in_production(settings):
    from django.core.management.base import CommandError

    settings.CAS_ENV = "production"
    with pytest.raises(CommandError):
        call_command("load_demo_data", verbosity=0)


def _cas2_applications_in_every_status_route_and_cohort():
    from cas.referrals.cas2.workflow import WORKFLOW
    from cas.referrals.models import Referral, ReferralCohort, ReferralRoute

    applications = Referral.objects.live().filter(service="cas2")
    assert set(applications.values_list("status", flat=True)) == set(WORKFLOW.codes)
    assert set(applications.values_list("route__code", flat=True)) == set(
        ReferralRoute.objects.filter(service="cas2").values_list("code", flat=True)
    )
    assert set(applications.exclude(cohort=None).values_list("cohort__code", flat=True)) == set(
        ReferralCohort.objects.filter(route__service="cas2").values_list("code", flat=True)
    )
    # An abandoned draft keeps the fact, not the answers; an HDC application followed the person.
    abandoned = Referral.objects.filter(service="cas2", deleted_at__isnull=False).get()
    assert abandoned.answers == {}
    moved = Referral.objects.get(service="cas2", noms_number="V1644ES")
    assert moved.current_prison.code == "BMI" and moved.offender_manager.username == "demo.cas2.hdc.birmingham"
