"""Deployment checks for sign-in throttling (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def trusted_proxies(app_configs, **kwargs):
    # Behind the TLS proxy REMOTE_ADDR is the proxy's address: unless the proxy is listed, every user
    # shares one address, and the per-address limit brakes all of them at once.
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and not settings.TRUSTED_PROXIES:
        return [
            Warning(
                "BEHIND_TLS_PROXY is on but TRUSTED_PROXIES is empty: every client will appear to come from "
                "the proxy's address, for sign-in throttling and the audit.",
                hint="Set TRUSTED_PROXIES to the TLS proxy's address or CIDR range.",
                id="cas.W001",
            )
        ]
    return []
