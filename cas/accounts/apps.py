from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cas.accounts"
    label = "accounts"
    verbose_name = "Accounts"
