from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cas.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from cas.accounts import checks  # noqa: F401  (registers the deployment checks)
