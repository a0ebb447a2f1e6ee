from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "cas.privacy"
    label = "privacy"
    verbose_name = "Privacy"
