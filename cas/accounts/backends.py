"""Local sign-in with account lockout and per-address throttling."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

from cas.core import audit
from cas.core.middleware import client_ip


class AccountLocked(Exception):
    pass


class Throttled(Exception):
    pass


def _ip_key(request) -> str | None:
    ip = client_ip(request) if request is not None else None
    return f"signin-fail:{ip}" if ip else None


class LockoutModelBackend(ModelBackend):
    """Username and password sign-in that locks an account after repeated failures.

    The lock lives on the user row so it holds across processes; the per-address counter is a
    cache entry, a cheap brake on guessing across many accounts.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        key = _ip_key(request)
        if key and cache.get(key, 0) >= settings.CAS_IP_THROTTLE_ATTEMPTS:
            raise Throttled()
        user = get_user_model()._default_manager.filter(username__iexact=username).first()
        if user is not None and user.is_locked():
            audit.record_sign_in(user, "sign_in.refused_locked", username=username)
            raise AccountLocked()
        authenticated = super().authenticate(
            request, username=user.username if user else username, password=password, **kwargs
        )
        if authenticated is not None:
            if authenticated.failed_sign_in_count or authenticated.locked_until:
                authenticated.failed_sign_in_count = 0
                authenticated.locked_until = None
                authenticated.save(update_fields=["failed_sign_in_count", "locked_until"])
            return authenticated
        if key:
            cache.set(
                key,
                cache.get(key, 0) + 1,
                timeout=int(timedelta(minutes=settings.CAS_IP_THROTTLE_MINUTES).total_seconds()),
            )
        if user is not None:
            user.register_failed_sign_in()
            audit.record_sign_in(
                user,
                "sign_in.locked" if user.is_locked() else "sign_in.failed",
                username=username,
            )
        else:
            audit.record_sign_in(None, "sign_in.failed_unknown_user", username=username)
        return None
