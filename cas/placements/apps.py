from django.apps import AppConfig

from cas.core import tiers
from cas.placements import audit_actions  # noqa: F401 - declares the app's audit actions


class PlacementsConfig(AppConfig):
    name = "cas.placements"
    label = "placements"
    verbose_name = "Placements"

    def ready(self):
        # Bookings and their turnarounds keep bedspaces busy (archiving, voids, the calendar), and the
        # event types are declared. (Reporting reads bookings itself: placements registers nothing there.)
        # In ready(), not at the top: apps.py is imported before any app's models, and both modules
        # import them (AppRegistryNotReady).
        # The booking events are declared for every tier registered by then (referrals comes first in
        # INSTALLED_APPS).
        from cas.placements import events, occupancy, queries
        from cas.referrals import placement

        occupancy.register()
        # What a referrer may know of the booking made for their referral (its address and dates).
        placement.register_source(queries.referrer_placement)
        for tier in tiers.registered():
            events.register_tier(tier)
