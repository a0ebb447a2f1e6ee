from django.apps import AppConfig

from cas.premises import audit_actions  # noqa: F401 - declares the app's audit actions


class PremisesConfig(AppConfig):
    name = "cas.premises"
    label = "premises"
