"""Sign-in throttling: limits on failed sign-ins, counted in the database so every worker process and
every node sees the same counts (a per-process cache let each of 4 gunicorn workers allow its own).

Three limits, all over a sliding window (see the accounts README for why):

- **Per username**: at most `CAS_LOCKOUT_THRESHOLD` failures in any `CAS_LOCKOUT_MINUTES`; past it, the
  username is locked until the oldest of them is that old. Counted on the username as typed
  (normalised), whether or not an account has it, so an unknown username locks and answers exactly as
  a real one does: the answers never tell which usernames exist.
- **Per trusted device**: a browser that has signed in to an account carries a signed cookie naming it
  (hashed) and a random device id. Its attempts at that account are limited by their own count (the
  same threshold), not the username's, so someone guessing at an account from elsewhere, or from the
  same office network, cannot lock its owner out of their own browser.
- **Per client address** (`cas.core.middleware.client_ip`, which believes X-Forwarded-For only from
  `TRUSTED_PROXIES`): past `CAS_IP_THROTTLE_ATTEMPTS` failures in `CAS_IP_THROTTLE_MINUTES` from
  browsers without a device cookie, further attempts from that address without one are refused; this
  slows one address spraying a common password across many usernames, without refusing the owners of
  those accounts on their own browsers.

Each attempt is written as a failure *before* the password is checked and counted after, so guesses
sent in parallel see each other (at most the threshold get checked); a right password, or a refusal,
deletes it again. Refused attempts do not count, so a lock ends on time. Rows older than the longest
window are deleted whenever a failure is written, so the table holds only what still counts.
"""

import hashlib
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing

from cas.accounts.models import SignInFailure
from cas.core import clock
from cas.core.middleware import client_ip

DEVICE_SALT = "cas.accounts.throttle.device"


class AccountLocked(Exception):
    """Too many failures for this username (or this device's attempts at it)."""


class Throttled(Exception):
    """Too many failures from this client address, and this browser is not trusted for the account."""


@dataclass(frozen=True)
class Attempt:
    username: str  # normalised
    address: str | None
    device: str  # the trusted-device id, "" for a browser without one for this username
    failure_id: int


def normalise(username: str) -> str:
    """One spelling per username for counting: `Alice`, `alice ` and `ＡＬＩＣＥ` count together."""
    return unicodedata.normalize("NFKC", username).strip().casefold()[:150]


def _lock_window(now):
    return now - timedelta(minutes=settings.CAS_LOCKOUT_MINUTES)


def _address_window(now):
    return now - timedelta(minutes=settings.CAS_IP_THROTTLE_MINUTES)


def _username_failures(username: str, device: str, now):
    failures = SignInFailure.objects.filter(username=username, occurred_at__gt=_lock_window(now))
    return failures.filter(device=device) if device else failures


# The trusted-device cookie --------------------------------------------------------------------------


def device_cookie_name() -> str:
    return "__Host-cas_device" if settings.SESSION_COOKIE_SECURE else "cas_device"


def _username_digest(username: str) -> str:
    # The cookie names the account by a digest only: a shared computer's cookies do not list usernames.
    return hashlib.sha256(username.encode()).hexdigest()[:32]


def trusted_device(request, username: str) -> str:
    """The device id from the request's device cookie when it was issued for `username`, else ""."""
    raw = request.COOKIES.get(device_cookie_name()) if request is not None else None
    if not raw:
        return ""
    try:
        data = signing.loads(raw, salt=DEVICE_SALT, max_age=timedelta(days=settings.CAS_DEVICE_COOKIE_DAYS))
    except signing.BadSignature:
        return ""
    if not isinstance(data, dict) or data.get("u") != _username_digest(normalise(username)):
        return ""
    device = data.get("d")
    return device if isinstance(device, str) and 0 < len(device) <= 32 else ""


def remember_device(request, response, user) -> None:
    """After a complete sign-in: this browser is trusted for `user` for CAS_DEVICE_COOKIE_DAYS more days
    (the same device id as before, if it had one, so its failure count carries on)."""
    device = trusted_device(request, user.username) or secrets.token_hex(16)
    value = signing.dumps({"u": _username_digest(normalise(user.username)), "d": device}, salt=DEVICE_SALT)
    response.set_cookie(
        device_cookie_name(),
        value,
        max_age=settings.CAS_DEVICE_COOKIE_DAYS * 24 * 3600,
        path="/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


# Attempts -----------------------------------------------------------------------------------------


def begin(request, username: str, *, check_address: bool = True) -> Attempt:
    """Count an attempt at `username` from this request's client before its password (or code) is
    checked. Raises AccountLocked or Throttled, counting nothing, when it is over a limit; otherwise
    the caller ends it with `succeeded` or `failed`."""
    now = clock.now()
    key = normalise(username)
    address = client_ip(request) if request is not None else None
    device = trusted_device(request, username)
    row = SignInFailure.objects.create(username=key, address=address, device=device, occurred_at=now)
    try:
        # ">": the count includes this attempt, so the threshold's worth before it are allowed.
        if _username_failures(key, device, now).count() > settings.CAS_LOCKOUT_THRESHOLD:
            raise AccountLocked()
        if check_address and not device and address is not None:
            from_address = SignInFailure.objects.filter(
                address=address, device="", occurred_at__gt=_address_window(now)
            ).count()
            if from_address > settings.CAS_IP_THROTTLE_ATTEMPTS:
                raise Throttled()
    except (AccountLocked, Throttled):
        row.delete()
        raise
    return Attempt(username=key, address=address, device=device, failure_id=row.pk)


def succeeded(attempt: Attempt) -> None:
    """The right password (or code) ends a run of wrong ones from the same kind of client: a trusted
    device clears its own failures only, so the owner signing in never resets a guesser's count."""
    SignInFailure.objects.filter(username=attempt.username, device=attempt.device).delete()


def withdraw(attempt: Attempt) -> None:
    """The password was right but a second step (the code) follows: this attempt stops counting, the
    earlier failures still count until the code is right too, so a guesser who has the password cannot
    reset the count by entering it again between wrong codes."""
    SignInFailure.objects.filter(pk=attempt.failure_id).delete()


def failed(attempt: Attempt) -> bool:
    """The attempt stays counted. True when it locked the username (for this client)."""
    now = clock.now()
    longest = max(settings.CAS_LOCKOUT_MINUTES, settings.CAS_IP_THROTTLE_MINUTES)
    SignInFailure.objects.filter(occurred_at__lte=now - timedelta(minutes=longest)).delete()
    return _username_failures(attempt.username, attempt.device, now).count() >= settings.CAS_LOCKOUT_THRESHOLD


def is_locked(username: str, request=None) -> bool:
    """Whether an attempt at `username` (from `request`'s browser, if given) would be refused as locked."""
    device = trusted_device(request, username) if request is not None else ""
    return _username_failures(normalise(username), device, clock.now()).count() >= settings.CAS_LOCKOUT_THRESHOLD


def unlock(username: str) -> int:
    """Forget every failure for `username` (an administrator's unlock). Returns how many."""
    deleted, _ = SignInFailure.objects.filter(username=normalise(username)).delete()
    return deleted
