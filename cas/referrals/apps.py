from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "cas.referrals"
    label = "referrals"

    def ready(self):
        # Register the form definitions, email templates and event types (registries filled on import).
        from cas.referrals import emails, events  # noqa: F401
        from cas.referrals.cas3 import definition  # noqa: F401
