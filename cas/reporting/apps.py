from django.apps import AppConfig

from cas.reporting import audit_actions  # noqa: F401 - declares the app's audit actions


class ReportingConfig(AppConfig):
    name = "cas.reporting"
    label = "reporting"
    verbose_name = "Reporting"

    def ready(self):
        # Reports register themselves when their module is imported. In ready(), not at the top:
        # apps.py is imported before any app's models, and the reports import them (AppRegistryNotReady).
        from cas.reporting import reports  # noqa: F401
