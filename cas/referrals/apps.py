from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "cas.referrals"
    label = "referrals"

    def ready(self):
        # Register the form definitions and email templates (both are registries filled on import).
        from cas.referrals import emails  # noqa: F401
        from cas.referrals.cas3 import definition  # noqa: F401
