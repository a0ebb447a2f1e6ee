"""Every view declares who may use it: `requires(Permission.X)` or `public`.

The URL-walking test fails for any view that declares neither, so a new page cannot ship without
a rule in the permission policy.
"""

from functools import wraps

from django.contrib.auth.decorators import login_not_required

from cas.core import permissions
from cas.core.permissions import Permission


def requires(permission: Permission):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            permissions.check(request.user, permission)
            return view(request, *args, **kwargs)

        wrapped.cas_permission = permission
        return wrapped

    return decorator


def public(view):
    """Open to anyone, signed in or not (sign-in, health checks, legal pages)."""
    view = login_not_required(view)
    view.cas_public = True
    return view
