from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "cas.referrals"
    label = "referrals"
