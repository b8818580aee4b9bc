"""Factories for tests. Reference counties and organisations come from the data migration; factories make
the rest and give roles through the real service, so permissions are what production would grant."""

import factory
from django.contrib.auth.models import User

from governance.models import Body
from samverkan import services
from samverkan.models import County, Organisation, Profile

PASSWORD = "testlösenord-som-räcker"


def county(code: str) -> County:
    return County.objects.get(code=code)


def organisation(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.se")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    county = factory.LazyFunction(lambda: county("10"))
    name = factory.Sequence(lambda n: f"Samverkansgrupp {n}")
    abbreviation = factory.Sequence(lambda n: f"SG{n}")
    level = Body.Level.TACTICAL


def person(org_code: str | None = None, *roles: tuple[str, object], username: str | None = None) -> User:
    """A user working at the organisation with the given code, holding the given (role, scope) pairs."""
    user = UserFactory(**({"username": username} if username else {}))
    org = organisation(org_code) if org_code else None
    Profile.objects.create(user=user, organisation=org, title="Handläggare")
    for role, scope in roles:
        services.role_assign(user=user, role=role, scope=scope, by=None, reason="Test")
    return user
