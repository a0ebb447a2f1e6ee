from django.apps import AppConfig


class DatagenConfig(AppConfig):
    name = "cas.datagen"
    label = "datagen"
    verbose_name = "National-scale data generator"
