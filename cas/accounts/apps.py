from django.apps import AppConfig

from cas.accounts import audit_actions  # noqa: F401 - declares the app's audit actions


class AccountsConfig(AppConfig):
    name = "cas.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        # Registers the deployment checks. In ready(), as Django asks: apps.py is imported before any
        # app's models, so a module imported at its top could not use models (AppRegistryNotReady).
        from cas.accounts import checks  # noqa: F401
