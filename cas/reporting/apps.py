from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "cas.reporting"
    label = "reporting"
    verbose_name = "Reporting"
