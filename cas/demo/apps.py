from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "cas.demo"
    label = "demo"
    verbose_name = "Demo data"
