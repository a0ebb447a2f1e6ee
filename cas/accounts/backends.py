"""Local sign-in with the limits of `cas/accounts/throttle.py`: per username, per trusted device and
per client address, counted in the database."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from cas.accounts import throttle
from cas.accounts.throttle import AccountLocked, Throttled
from cas.core import audit

__all__ = ["AccountLocked", "LockoutModelBackend", "Throttled"]


class LockoutModelBackend(ModelBackend):
    """Username and password sign-in that refuses a username (known or not) after repeated failures.

    Raises AccountLocked or Throttled without checking the password when over a limit; the answers
    for a locked username are the same whether or not an account has it.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = get_user_model()._default_manager.filter(username__iexact=username).first()
        try:
            attempt = throttle.begin(request, username)
        except AccountLocked:
            audit.record_sign_in(user, "sign_in.refused_locked", username=username)
            raise
        except Throttled:
            audit.record_sign_in(user, "sign_in.refused_throttled", username=username)
            raise
        authenticated = super().authenticate(
            request, username=user.username if user else username, password=password, **kwargs
        )
        if authenticated is not None:
            if authenticated.has_second_factor:
                throttle.withdraw(attempt)  # the count is cleared once the code is right too
            else:
                throttle.succeeded(attempt)
            return authenticated
        locked = throttle.failed(attempt)
        if user is not None:
            audit.record_sign_in(user, "sign_in.locked" if locked else "sign_in.failed", username=username)
        else:
            audit.record_sign_in(
                None, "sign_in.locked_unknown_user" if locked else "sign_in.failed_unknown_user", username=username
            )
        return None
