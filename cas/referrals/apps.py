from django.apps import AppConfig

from cas.referrals import audit_actions  # noqa: F401 - declares the app's audit actions


class ReferralsConfig(AppConfig):
    name = "cas.referrals"
    label = "referrals"

    def ready(self):
        # Register the form definitions, email templates and event types (registries filled on import).
        # In ready(), not at the top: apps.py is imported before any app's models, and the event types
        # import them (AppRegistryNotReady).
        # Each tier's profile (CAS2, CAS3) registers itself with `cas.core.tiers` the same way.
        from cas.referrals.cas2 import definition as cas2_definition  # noqa: F401
        from cas.referrals.cas2 import emails as cas2_emails  # noqa: F401
        from cas.referrals.cas2 import events as cas2_events  # noqa: F401
        from cas.referrals.cas2 import tier as cas2_tier  # noqa: F401
        from cas.referrals.cas3 import definition, emails, events, tier  # noqa: F401
