"""Every view declares who may use it: `requires(Permission.X)` or `public`.

The URL-walking test fails for any view that declares neither, so a new page cannot ship without
a rule in the permission policy.

`requires` is also the one place a page turns a record the domain could not find for the user (a
`DomainError` with code "not_found", such as `cas.placements.access.BookingNotFound`) into the
service's 404 page, as the API turns it into a 404 problem (`cas/api/errors.py`).
"""

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.http import Http404

from cas.core import permissions
from cas.core.errors import DomainError
from cas.core.permissions import Permission


def requires(permission: Permission):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            permissions.check(request.user, permission)
            try:
                return view(request, *args, **kwargs)
            except DomainError as exc:
                if exc.code == "not_found":
                    raise Http404(exc.message) from None
                raise

        wrapped.cas_permission = permission
        return wrapped

    return decorator


def public(view):
    """Open to anyone, signed in or not (sign-in, health checks, legal pages)."""
    view = login_not_required(view)
    view.cas_public = True
    return view
