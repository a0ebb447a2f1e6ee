"""Single sign-on: users matched on `sub`, roles and region taken from the identity provider."""

import pytest

from cas.accounts.oidc import CasOIDCBackend, region_from_claims, roles_from_claims
from cas.core.models import AuditEvent
from cas.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def backend(settings):
    settings.OIDC_RP_CLIENT_ID = "cas"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://idp.example/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://idp.example/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://idp.example/jwks"
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    return CasOIDCBackend()


def test_role_claims_map_to_our_roles():
    assert roles_from_claims({"roles": ["ROLE_CAS3_ASSESSOR", "reporter", "ROLE_UNRELATED"]}) == {
        Role.CAS3_ASSESSOR,
        Role.REPORTER,
    }
    assert roles_from_claims({"roles": "ROLE_CAS3_REFERRER ROLE_CAS2_ASSESSOR"}) == {
        Role.CAS3_REFERRER,
        Role.CAS2_ASSESSOR,
    }
    assert roles_from_claims({}) == set()


def test_region_from_region_code_name_or_delius_area():
    assert region_from_claims({"probation_region": "N51"})[0].name == "North West"
    assert region_from_claims({"probation_region": "Wales"})[0].delius_code == "N03"
    mapped, _ = region_from_claims({"probation_region": "N43"})
    assert mapped.is_national
    region, pdu = region_from_claims({"probation_region": "N03", "pdu": "N51LPLS"})
    assert region.name == "Wales" and pdu is None  # a PDU outside the region is ignored


def test_first_sign_in_creates_user_then_updates_from_claims(backend):
    claims = {
        "sub": "abc-123",
        "preferred_username": "j.jones",
        "email": "j.jones@justice.gov.uk",
        "given_name": "Jo",
        "family_name": "Jones",
        "roles": ["ROLE_CAS3_REFERRER"],
        "probation_region": "N51",
    }
    assert not backend.filter_users_by_claims(claims).exists()
    user = backend.create_user(claims)
    assert user.oidc_subject == "abc-123" and user.role_set == {Role.CAS3_REFERRER}
    assert user.region.name == "North West" and not user.has_usable_password()
    assert backend.filter_users_by_claims(claims).get() == user

    claims.update(roles=["ROLE_CAS3_ASSESSOR"], probation_region="N07")
    backend.update_user(user, claims)
    user.refresh_from_db()
    user.__dict__.pop("role_set", None)
    assert user.role_set == {Role.CAS3_ASSESSOR} and user.region.name == "London"
    assert AuditEvent.objects.filter(subject_id=str(user.pk), action__in=["user.created", "user.updated"]).count() == 2


def test_claims_without_sub_match_nobody(backend):
    assert not backend.filter_users_by_claims({"email": "x@justice.gov.uk"}).exists()
