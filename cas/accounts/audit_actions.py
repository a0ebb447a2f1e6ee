"""The audit actions of user accounts and signing in (see `cas.core.audit_actions`)."""

from cas.core.audit_actions import declare

declare(
    "Users and API tokens",
    {
        "user.created": "An administrator created a user account.",
        "user.updated": "An administrator changed a user's details, roles or region.",
        "user.deactivated": "An administrator deactivated a user: they can no longer sign in.",
        "user.reactivated": "An administrator reactivated a user: they can sign in again.",
        "user.unlocked": "An administrator unlocked a user locked out after failed sign-ins.",
        "user.password_set": "A user's password was set or changed.",
        "user.second_factor_enabled": "A user turned on signing in with a code from an authenticator app.",
        "user.second_factor_disabled": "Signing in with a code was turned off for a user.",
        "api_token.created": "An administrator created an API token for a system's user.",
        "api_token.revoked": "An administrator revoked an API token: it no longer works.",
    },
)

declare(
    "Signing in",
    {
        "sign_in.succeeded": "A user signed in.",
        "sign_in.failed": "Someone tried to sign in as a user with the wrong password.",
        "sign_in.failed_unknown_user": "Someone tried to sign in with a username that does not exist.",
        "sign_in.second_factor_failed": "A user entered a wrong code from their authenticator app.",
        "sign_in.locked": "Too many failed sign-ins: the user is locked out for a while.",
        "sign_in.locked_unknown_user": "Too many failed sign-ins with a username that does not exist: it is locked.",
        "sign_in.refused_locked": "A sign-in was refused because the user is locked out.",
        "sign_in.refused_throttled": "A sign-in was refused because too many failed from the same address.",
    },
)
