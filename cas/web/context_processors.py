from django.conf import settings
from django.middleware.csp import get_nonce

from cas.web.navigation import navigation_for


def layout(request) -> dict:
    # Names used by the GOV.UK template itself (cspNonce, assetPath) are set here because
    # top-level {% set %} in a child template never reaches the parent template.
    return {
        "service_name": settings.SERVICE_NAME,
        "navigation": navigation_for(request),
        # str() generates the lazy nonce now: the template tests it for truth before using it.
        "cspNonce": str(get_nonce(request)) if get_nonce(request) is not None else "",
        # A folder, not a file: the manifest storage names files only, and collectstatic keeps the
        # unhashed copies the GOV.UK template's favicon and icon links ask for under it.
        "assetPath": f"{settings.STATIC_URL}vendor/govuk-frontend/assets",
    }
