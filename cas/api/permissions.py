"""DRF adapter for the permission policy: each API view names its `permission`."""

from rest_framework.permissions import BasePermission

from cas.core.permissions import has_permission


class PolicyPermission(BasePermission):
    message = "You do not have permission to do this."

    def has_permission(self, request, view) -> bool:
        permission = getattr(view, "permission", None)
        if permission is None:
            # Deny by default: an endpoint without a declared rule is a bug, and the access
            # matrix test fails on it.
            return False
        return has_permission(request.user, permission)
