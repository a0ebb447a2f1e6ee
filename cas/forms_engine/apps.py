from django.apps import AppConfig


class FormsEngineConfig(AppConfig):
    name = "cas.forms_engine"
    label = "forms_engine"
