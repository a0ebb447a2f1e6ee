from django.apps import AppConfig


class PremisesConfig(AppConfig):
    name = "cas.premises"
    label = "premises"
