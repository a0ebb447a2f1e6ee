from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "cas.placements"
    label = "placements"
    verbose_name = "Placements"

    def ready(self):
        # Bookings and their turnarounds keep bedspaces busy (archiving, voids, the calendar), the
        # official statistics count every booking with an arrival, the dashboard shows the booking
        # figures, and the event types are declared.
        from cas.placements import dashboard, events, occupancy, statistics  # noqa: F401

        occupancy.register()
        statistics.register()
        dashboard.register_figures()
