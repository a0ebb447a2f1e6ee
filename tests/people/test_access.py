"""The stored copy of the case system's limits: what queries mask by, and that it says what the case
system says (X100008 is restricted to demo.restricted-access, X100009 excludes demo.cas3.referrer)."""

import pytest
from django.core.management import call_command

from cas.core.roles import Role
from cas.people import access, registry
from cas.people.models import PersonAccess
from cas.people.ports import AccessLimits
from cas.referrals.models import Referral
from tests.factories import make_user, pdu
from tests.referral_factories import make_submitted

pytestmark = pytest.mark.django_db
CRNS = ["X100001", "X100008", "X100009", "X100003"]


@pytest.fixture
def users():
    return {
        "permitted": make_user(
            Role.CAS3_REFERRER, Role.CAS3_ASSESSOR, username="demo.restricted-access", pdu=pdu("N51LPLS")
        ),
        "excluded": make_user(Role.CAS3_ASSESSOR, username="demo.cas3.referrer"),
        "ordinary": make_user(Role.CAS3_ASSESSOR, username="someone.ordinary"),
    }


def test_the_query_and_the_live_answer_agree_for_every_user(users):
    for crn in CRNS:
        make_submitted(users["permitted"], crn)
    referrals = Referral.objects.filter(crn__in=CRNS[:3])
    PersonAccess.objects.filter(crn="X100003").delete()  # as if never checked
    for user in users.values():
        live = access.limited_among(user, CRNS[:3])
        in_sql = set(referrals.exclude(access.visible_q(user)).values_list("crn", flat=True))
        assert live == in_sql == access.limited_in_store(user, CRNS[:3])
    assert access.limited_among(users["ordinary"], ["X100008"]) == {"X100008"}
    assert access.limited_among(users["excluded"], ["X100009", "X100008"]) == {"X100009", "X100008"}
    assert access.limited_among(users["permitted"], ["X100008", "X100009"]) == set()
    # Never checked: limited in the stored copy whoever asks (fail closed).
    assert all(access.limited_in_store(u, ["X100003"]) == {"X100003"} for u in users.values())


def test_a_sort_by_the_masked_name_places_a_hidden_person_as_limited_access(users):
    for crn in ("X100001", "X100008"):
        make_submitted(users["permitted"], crn)
    access.fetch(["X100001", "X100008"])
    names = dict(
        Referral.objects.annotate(shown=access.masked(users["ordinary"], "person_name")).values_list("crn", "shown")
    )
    assert names["X100008"] == access.LIMITED_ACCESS and names["X100001"] != access.LIMITED_ACCESS


def test_the_copy_follows_the_case_system_and_writes_only_changes(monkeypatch, users):
    case_system = registry.get_case_system()
    assert access.record(["X100008"], case_system.access_limits(["X100008"])) == 1
    assert access.record(["X100008"], case_system.access_limits(["X100008"])) == 0
    monkeypatch.setattr(case_system, "access_limits", lambda crns: {})  # the restriction was lifted
    assert access.limited_among(users["ordinary"], ["X100008"]) == set()
    assert not PersonAccess.objects.get(crn="X100008").restricted
    monkeypatch.setattr(
        case_system,
        "access_limits",
        lambda crns: {"X100008": AccessLimits("X100008", None, frozenset({"someone.ordinary"}))},
    )
    assert access.limited_among(users["ordinary"], ["X100008"]) == {"X100008"}
    assert access.limited_in_store(users["permitted"], ["X100008"]) == set()


def test_the_batch_command_checks_everyone_never_checked(capsys, users):
    for crn in CRNS:
        make_submitted(users["permitted"], crn)
    PersonAccess.objects.all().delete()
    call_command("refresh_person_access")
    assert "Checked 4 people; 4 changed; 0 could not be checked" in capsys.readouterr().out
    assert set(PersonAccess.objects.values_list("crn", flat=True)) == set(CRNS)
    assert PersonAccess.objects.get(crn="X100008").restricted
    call_command("refresh_person_access", "--all")
    assert "Checked 4 people; 0 changed" in capsys.readouterr().out
