from django.apps import AppConfig

from cas.reference import audit_actions  # noqa: F401 - declares the app's audit actions


class ReferenceConfig(AppConfig):
    name = "cas.reference"
    label = "reference"
    verbose_name = "Reference data"
