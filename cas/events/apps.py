from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "cas.events"
    label = "events"
