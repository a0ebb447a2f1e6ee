from django.apps import AppConfig

from cas.privacy import audit_actions  # noqa: F401 - declares the app's audit actions


class PrivacyConfig(AppConfig):
    name = "cas.privacy"
    label = "privacy"
    verbose_name = "Privacy"
