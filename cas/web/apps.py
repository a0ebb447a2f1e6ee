from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "cas.web"
    label = "web"
    verbose_name = "Web interface"
