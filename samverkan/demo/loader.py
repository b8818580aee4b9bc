"""Demo content for the foundation: organisations from the seeds, units and one user per role in Blekinge,
Kalmar and Västernorrland. ``demo_load`` runs every registered demo loader (``registry.register_demo_loader``,
the core's own and each app's, by order); loaded by ``manage.py load_demo``; safe to run again."""

import os
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from samverkan import registry, services
from samverkan.models import County, Organisation, OrganisationUnit, Profile, Role

DEFAULT_DEMO_PASSWORD = "samverkan-demo"  # noqa: S105 (demo data only, refused when DEBUG is off)
REASON = "Demodata"

ASSOCIATIONS = [
    ("08", "Kommunförbundet Kalmar län", "Kommunförbundet"),
    ("22", "Kommunförbundet Västernorrland", "Kommunförbundet"),
]

UNITS = {
    "1081": ["Socialförvaltningen", "Utbildningsförvaltningen"],
    "1080": ["Socialförvaltningen", "Utbildningsförvaltningen"],
    "R10": ["Psykiatri och habilitering", "Primärvården"],
    "0880": ["Omsorgsförvaltningen"],
    "2281": ["Individ- och familjeomsorgen"],
}


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    organisation_code: str
    title: str
    roles: tuple[tuple[str, str], ...]  # (role, scope key): scope key is an org code, county code or body

    @property
    def email(self) -> str:
        return f"{self.username}@demo.samverkan.localhost"


def _u(username, first, last, org, title, *roles):
    return DemoUser(username, first, last, org, title, roles)


# Everybody is an official of their own organisation; the other roles come on top.
USERS = [
    _u(
        "tjansteperson.karlskrona",
        "Karin",
        "Lind",
        "1080",
        "Socialsekreterare",
        ("official", "1080"),
    ),
    _u("tjansteperson.ronneby", "Rut", "Holm", "1081", "Biståndshandläggare", ("official", "1081")),
    _u("tjansteperson.regionblekinge", "Rasmus", "Ek", "R10", "Kurator", ("official", "R10")),
    _u(
        "redaktor.blekinge",
        "Eva",
        "Berg",
        "R10",
        "Utvecklingsledare",
        ("official", "R10"),
        ("editor", "10"),
    ),
    _u(
        "admin.blekinge",
        "Ali",
        "Nasser",
        "R10",
        "Samordnare",
        ("official", "R10"),
        ("county_admin", "10"),
    ),
    _u(
        "ordforande.lsvo",
        "Olof",
        "Sand",
        "1082",
        "Socialchef",
        ("official", "1082"),
        ("chair", "LSVO"),
    ),
    _u(
        "sekreterare.lsvo",
        "Sara",
        "Ström",
        "R10",
        "Nämndsekreterare",
        ("official", "R10"),
        ("secretary", "LSVO"),
    ),
    _u(
        "ledamot.lsvo",
        "Maja",
        "Dahl",
        "1060",
        "Förvaltningschef",
        ("official", "1060"),
        ("member", "LSVO"),
    ),
    _u("tjansteperson.kalmar", "Klara", "Nord", "0880", "Enhetschef", ("official", "0880")),
    _u(
        "tjansteperson.regionkalmar",
        "Robin",
        "Åkesson",
        "R08",
        "Sjuksköterska",
        ("official", "R08"),
    ),
    _u(
        "redaktor.kalmar",
        "Elin",
        "Vik",
        "R08",
        "Utvecklingsledare",
        ("official", "R08"),
        ("editor", "08"),
    ),
    _u(
        "admin.kalmar",
        "Anton",
        "Björk",
        "R08",
        "Samordnare",
        ("official", "R08"),
        ("county_admin", "08"),
    ),
    _u(
        "ordforande.lls",
        "Oskar",
        "Lund",
        "0880",
        "Socialchef",
        ("official", "0880"),
        ("chair", "LLS"),
    ),
    _u(
        "sekreterare.lls",
        "Siri",
        "Falk",
        "R08",
        "Sekreterare",
        ("official", "R08"),
        ("secretary", "LLS"),
    ),
    _u(
        "ledamot.lls",
        "Malin",
        "Hed",
        "0882",
        "Omsorgschef",
        ("official", "0882"),
        ("member", "LLS"),
    ),
    _u("tjansteperson.sundsvall", "Sofia", "Ås", "2281", "Socialsekreterare", ("official", "2281")),
    _u("tjansteperson.regionvasternorrland", "Reza", "Karimi", "R22", "Läkare", ("official", "R22")),
    _u(
        "redaktor.vasternorrland",
        "Emil",
        "Norberg",
        "R22",
        "Utvecklingsledare",
        ("official", "R22"),
        ("editor", "22"),
    ),
    _u(
        "admin.vasternorrland",
        "Anna",
        "Öberg",
        "R22",
        "Samordnare",
        ("official", "R22"),
        ("county_admin", "22"),
    ),
    _u(
        "ordforande.beredningsgruppen",
        "Olle",
        "Sjöberg",
        "2280",
        "Socialchef",
        ("official", "2280"),
        ("chair", "Beredningsgruppen"),
    ),
    _u(
        "sekreterare.beredningsgruppen",
        "Stina",
        "Wik",
        "R22",
        "Sekreterare",
        ("official", "R22"),
        ("secretary", "Beredningsgruppen"),
    ),
    _u(
        "ledamot.beredningsgruppen",
        "Mats",
        "Grön",
        "2284",
        "Förvaltningschef",
        ("official", "2284"),
        ("member", "Beredningsgruppen"),
    ),
]


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


@transaction.atomic
def demo_load() -> registry.Demo:
    """Create or complete the whole demo (every registered loader, by order). Existing demo users keep
    their passwords."""
    demo = registry.Demo()
    for loader in registry.demo_loaders():
        loader(demo)
    return demo


def demo_organisations_load(demo: registry.Demo) -> None:
    """The associations and units; every county and organisation with a code becomes a role scope."""
    counties = {c.code: c for c in County.objects.all()}
    for county_code, name, short_name in ASSOCIATIONS:
        Organisation.objects.get_or_create(
            county=counties[county_code],
            name=name,
            defaults={"kind": Organisation.Kind.ASSOCIATION, "short_name": short_name},
        )
    organisations = {o.code: o for o in Organisation.objects.exclude(code="")}
    for code, names in UNITS.items():
        for name in names:
            OrganisationUnit.objects.get_or_create(organisation=organisations[code], name=name)
    demo.scopes.update({**organisations, **counties})


def demo_users_load(demo: registry.Demo) -> None:
    """One user per role (in the scopes loaded before) and the superuser; reports who they are."""
    organisations = {o.code: o for o in Organisation.objects.exclude(code="")}
    for spec in USERS:
        _demo_user(spec, organisations, demo.scopes)
    _superuser()
    demo.report.append(f"Demoanvändare (lösenord för alla: {demo_password()}):")
    width = max(len(u.username) for u in USERS)
    for user in USERS:
        roles = ", ".join(f"{role} {scope}" for role, scope in user.roles)
        demo.report.append(f"  {user.username.ljust(width)}  {roles}")
    demo.report.append(f"  {'superadmin'.ljust(width)}  superanvändare (allt, även /admin/)")


def _demo_user(spec: DemoUser, organisations: dict, scopes: dict) -> None:
    organisation = organisations[spec.organisation_code]
    user = User.objects.filter(username=spec.username).first()
    if user is None:
        user = services.person_create(
            username=spec.username,
            password=demo_password(),
            first_name=spec.first_name,
            last_name=spec.last_name,
            email=spec.email,
            organisation=organisation,
            title=spec.title,
            by=None,
            reason=REASON,
        )
    else:
        Profile.objects.get_or_create(user=user, defaults={"organisation": organisation, "title": spec.title})
    for role, scope_key in spec.roles:
        if registry.role_provider(role) is not None:
            continue  # a body role is a membership, with its term: the app's demo seats the person
        services.role_assign(user=user, role=Role(role), scope=scopes[scope_key], by=None, reason=REASON)


def _superuser() -> None:
    user = User.objects.filter(username="superadmin").first()
    if user is None:
        user = services.person_create(
            username="superadmin",
            password=demo_password(),
            first_name="Super",
            last_name="Admin",
            email="superadmin@demo.samverkan.localhost",
            by=None,
            reason=REASON,
        )
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
