"""Single sign-on through OpenID Connect (switched on by OIDC_ENABLED).

Users are matched on the `sub` claim. On every sign-in the identity provider's role and region
claims replace the user's roles and region, so access follows the provider.
"""

from django.conf import settings
from django.db import transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from cas.accounts import services
from cas.accounts.models import User
from cas.core.roles import Role
from cas.reference.models import ProbationAreaMapping, ProbationDeliveryUnit, ProbationRegion

# Identity-provider role names (HMPPS Auth style) accepted besides our own role codes.
ROLE_CLAIM_MAP = {
    "ROLE_CAS3_REFERRER": Role.CAS3_REFERRER,
    "ROLE_PROBATION": Role.CAS3_REFERRER,
    "ROLE_CAS3_ASSESSOR": Role.CAS3_ASSESSOR,
    "ROLE_CAS3_REPORTER": Role.REPORTER,
    "ROLE_CAS3_ADMIN": Role.ADMIN,
    "ROLE_CAS2_PRISON_BAIL_REFERRER": Role.CAS2_PRISON_REFERRER,
    "ROLE_CAS2_COURT_BAIL_REFERRER": Role.CAS2_COURT_REFERRER,
    "ROLE_POM": Role.CAS2_HDC_REFERRER,
    "ROLE_LICENCE_CA": Role.CAS2_HDC_REFERRER,
    "ROLE_CAS2_ASSESSOR": Role.CAS2_ASSESSOR,
    "ROLE_CAS1_REFERRER": Role.CAS1_REFERRER,
}


def roles_from_claims(claims: dict) -> set[Role]:
    raw = claims.get(settings.OIDC_ROLES_CLAIM) or []
    if isinstance(raw, str):
        raw = raw.replace(",", " ").split()
    roles = set()
    for value in raw:
        if value in Role.values:
            roles.add(Role(value))
        elif value.upper() in ROLE_CLAIM_MAP:
            roles.add(ROLE_CLAIM_MAP[value.upper()])
    return roles


def region_from_claims(claims: dict) -> tuple[ProbationRegion | None, ProbationDeliveryUnit | None]:
    code = (claims.get(settings.OIDC_REGION_CLAIM) or "").strip()
    region = None
    if code:
        region = (
            ProbationRegion.objects.filter(delius_code=code).first()
            or ProbationRegion.objects.filter(name__iexact=code).first()
        )
        if region is None:
            mapping = ProbationAreaMapping.objects.filter(delius_area_code=code).select_related("region").first()
            region = mapping.region if mapping else None
    pdu_code = (claims.get(settings.OIDC_PDU_CLAIM) or "").strip()
    pdu = ProbationDeliveryUnit.objects.filter(delius_code=pdu_code).first() if pdu_code else None
    if pdu is not None and (region is None or pdu.region_id != region.pk):
        pdu = None
    return region, pdu


class CasOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        sub = claims.get("sub")
        if not sub:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(oidc_subject=sub)

    @transaction.atomic
    def create_user(self, claims):
        region, pdu = region_from_claims(claims)
        user = services.create_user(
            None,
            username=(claims.get("preferred_username") or claims.get("email") or claims["sub"])[:150],
            first_name=claims.get("given_name", "")[:150],
            last_name=claims.get("family_name", "")[:150],
            email=claims.get("email", ""),
            roles=roles_from_claims(claims),
            region=region,
            pdu=pdu,
        )
        User.objects.filter(pk=user.pk).update(oidc_subject=claims["sub"])
        user.refresh_from_db()
        return user

    def update_user(self, user, claims):
        region, pdu = region_from_claims(claims)
        return services.update_user(
            None,
            user,
            roles=roles_from_claims(claims),
            region=region,
            pdu=pdu,
            email=claims.get("email", user.email),
        )
