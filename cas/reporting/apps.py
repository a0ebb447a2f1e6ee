from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "cas.reporting"
    label = "reporting"
    verbose_name = "Reporting"

    def ready(self):
        # Reports register themselves when their module is imported.
        from cas.reporting import reports  # noqa: F401
