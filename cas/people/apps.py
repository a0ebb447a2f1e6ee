from django.apps import AppConfig

from cas.people import audit_actions  # noqa: F401 - declares the app's audit actions


class PeopleConfig(AppConfig):
    name = "cas.people"
    label = "people"
    verbose_name = "People"
