from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "cas.reference"
    label = "reference"
    verbose_name = "Reference data"
