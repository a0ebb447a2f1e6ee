from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cas.core"
    label = "core"
    verbose_name = "Core"
