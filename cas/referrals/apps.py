from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "cas.referrals"
    label = "referrals"

    def ready(self):
        # Register the form definitions, email templates and event types (registries filled on import).
        # In ready(), not at the top: apps.py is imported before any app's models, and the event types
        # import them (AppRegistryNotReady).
        from cas.referrals import emails, events  # noqa: F401
        from cas.referrals.cas3 import definition  # noqa: F401
