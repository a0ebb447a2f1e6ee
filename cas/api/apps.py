from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "cas.api"
    label = "api"
    verbose_name = "JSON API"
