"""Changing users: every write goes through here, inside one transaction, with an audit record."""

import hashlib
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.urls import reverse

from cas.accounts import throttle, totp
from cas.accounts.models import ApiToken, RoleAssignment, User
from cas.core import audit, clock
from cas.core.concurrency import check_and_bump
from cas.core.errors import DomainError
from cas.core.roles import Role
from cas.events.notifications import send_email

AUDITED_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "phone_number",
    "region",
    "pdu",
    "prison",
    "is_active",
)


def _snapshot(user: User) -> dict:
    data = audit.snapshot(user, AUDITED_FIELDS)
    data["roles"] = sorted(user.role_assignments.values_list("role", flat=True))
    return data


def _check_scope(region, pdu) -> None:
    if pdu is not None and (region is None or pdu.region_id != region.pk):
        raise DomainError("The PDU must belong to the user's probation region", field="pdu")


def _set_roles(user: User, roles: Iterable[Role], actor: User | None) -> None:
    wanted = {Role(r) for r in roles}
    current = set(user.role_assignments.values_list("role", flat=True))
    user.role_assignments.exclude(role__in=wanted).delete()
    RoleAssignment.objects.bulk_create([RoleAssignment(user=user, role=r, granted_by=actor) for r in wanted - current])
    user.__dict__.pop("role_set", None)


@transaction.atomic
def create_user(
    actor: User | None,
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    roles: Iterable[Role],
    region=None,
    pdu=None,
    phone_number: str = "",
    prison=None,
    password: str | None = None,
    send_welcome: bool = False,
) -> User:
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError("A user with this username already exists", field="username")
    _check_scope(region, pdu)
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        region=region,
        pdu=pdu,
        phone_number=phone_number,
        prison=prison,
    )
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        # Single sign-on users, or an administrator sets a password later.
        user.set_unusable_password()
    user.save()
    _set_roles(user, roles, actor)
    audit.record_change(actor, "user.created", user, before=None, after=_snapshot(user))
    if send_welcome and user.email:
        send_email(
            "account_created",
            to=user.email,
            personalisation={
                "name": user.get_full_name() or user.username,
                "username": user.username,
                "sign_in_url": f"{settings.SERVICE_URL}{reverse('accounts:sign-in')}",
            },
            reference=f"user:{user.pk}",
            actor=actor,
        )
    return user


@transaction.atomic
def update_user(
    actor: User | None, user: User, *, roles: Iterable[Role] | None = None, version: int | None = None, **fields
) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    check_and_bump(user, version)
    before = _snapshot(user)
    for name, value in fields.items():
        if name not in AUDITED_FIELDS or name in {"username", "is_active"}:
            raise ValueError(f"update_user cannot change {name}")
        setattr(user, name, value)
    _check_scope(user.region, user.pdu)
    if actor is not None and actor.pk == user.pk and roles is not None and Role.ADMIN not in set(roles):
        raise DomainError("You cannot remove your own administrator role", field="roles")
    user.save()
    if roles is not None:
        _set_roles(user, roles, actor)
    audit.record_change(actor, "user.updated", user, before=before, after=_snapshot(user))
    return user


@transaction.atomic
def set_active(actor: User | None, user: User, active: bool) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    if actor is not None and actor.pk == user.pk and not active:
        raise DomainError("You cannot deactivate your own account")
    before = _snapshot(user)
    user.is_active = active
    user.version += 1
    user.save()
    if active:
        throttle.unlock(user.username)
    audit.record_change(
        actor, "user.reactivated" if active else "user.deactivated", user, before=before, after=_snapshot(user)
    )
    return user


@transaction.atomic
def unlock(actor: User | None, user: User) -> User:
    """Forget the failed sign-ins counted against the user's username (`throttle.py`): it can be tried
    again at once, from any browser."""
    user = User.objects.select_for_update().get(pk=user.pk)
    locked = throttle.is_locked(user.username)
    forgotten = throttle.unlock(user.username)
    audit.record_change(
        actor,
        "user.unlocked",
        user,
        before={"locked": locked, "failed_sign_ins": forgotten},
        after={"locked": False, "failed_sign_ins": 0},
    )
    return user


@transaction.atomic
def set_password(actor: User | None, user: User, password: str) -> None:
    validate_password(password, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record_change(actor, "user.password_set", user, before=None, after=None, detail="Password changed")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_api_token(actor: User | None, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; the plain token is returned once and never stored."""
    if not name.strip():
        raise DomainError("Enter a name for the token", field="name")
    token = "cas_" + secrets.token_urlsafe(32)
    api_token = ApiToken.objects.create(
        user=user, name=name.strip()[:100], prefix=token[4:12], key_hash=hash_token(token), created_by=actor
    )
    audit.record_change(actor, "api_token.created", user, before=None, after={"token": str(api_token)})
    return api_token, token


@transaction.atomic
def revoke_api_token(actor: User | None, api_token: ApiToken) -> ApiToken:
    api_token = ApiToken.objects.select_for_update().get(pk=api_token.pk)
    if api_token.revoked_at is None:
        api_token.revoked_at = clock.now()
        api_token.save(update_fields=["revoked_at"])
        audit.record_change(
            actor, "api_token.revoked", api_token.user, before={"token": str(api_token)}, after={"token": None}
        )
    return api_token


def start_second_factor(user: User) -> str:
    """A new, not yet confirmed secret for the user's authenticator app."""
    User.objects.filter(pk=user.pk).update(totp_secret=totp.generate_secret(), totp_enabled_at=None)
    user.refresh_from_db(fields=["totp_secret", "totp_enabled_at"])
    return user.totp_secret


def check_second_factor_code(user: User, code: str) -> bool:
    """True, and the code is used up, when it matches the user's current secret."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        step = totp.matching_step(locked.totp_secret, code) if locked.totp_secret else None
        if step is None or (locked.totp_last_step is not None and step <= locked.totp_last_step):
            return False
        locked.totp_last_step = step
        locked.save(update_fields=["totp_last_step"])
        return True


@transaction.atomic
def enable_second_factor(actor: User, code: str) -> None:
    if not check_second_factor_code(actor, code):
        raise DomainError("The code is not right. Enter the 6-digit code your app shows now", field="code")
    User.objects.filter(pk=actor.pk).update(totp_enabled_at=clock.now())
    audit.record_change(
        actor, "user.second_factor_enabled", actor, before={"second_factor": False}, after={"second_factor": True}
    )


@transaction.atomic
def disable_second_factor(actor: User, user: User) -> None:
    before = {"second_factor": user.has_second_factor}
    User.objects.filter(pk=user.pk).update(totp_secret="", totp_enabled_at=None, totp_last_step=None)
    audit.record_change(actor, "user.second_factor_disabled", user, before=before, after={"second_factor": False})
