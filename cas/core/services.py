"""The tiers of the Community Accommodation Service.

Every record that belongs to a tier carries one of these codes, so a person's journey across tiers
stays in one data model instead of three copied code paths.
"""

from django.db import models


class Service(models.TextChoices):
    CAS1 = "cas1", "CAS1: Approved Premises"
    CAS2 = "cas2", "CAS2: bail and Home Detention Curfew accommodation"
    CAS3 = "cas3", "CAS3: transitional accommodation"


SERVICE_CODES = tuple(Service.values)
