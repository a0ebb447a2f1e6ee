"""Test data builders shared by every test package. Use these, not ad-hoc model creation."""

import factory

from cas.accounts.models import RoleAssignment, User
from cas.core.roles import Role
from cas.reference.models import ProbationDeliveryUnit, ProbationRegion

TEST_PASSWORD = "Correct-horse-battery-9"


def region(code: str = "N51") -> ProbationRegion:
    return ProbationRegion.objects.get(delius_code=code)


def pdu(code: str) -> ProbationDeliveryUnit:
    return ProbationDeliveryUnit.objects.get(delius_code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@justice.gov.uk")
    region = factory.LazyFunction(lambda: region("N51"))
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            # A role of the test suite's own tier (tests/tiers/) is a plain code, not a `Role`.
            RoleAssignment.objects.create(user=self, role=Role(role) if role in Role.values else role)
        self.__dict__.pop("role_set", None)


def make_user(*roles: Role, region_code: str = "N51", **kwargs) -> User:
    return UserFactory(roles=roles, region=region(region_code), **kwargs)
