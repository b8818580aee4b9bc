"""Factories for tests. Reference counties and organisations come from the data migration; factories make
the rest and give roles through the real service, so permissions are what production would grant."""

import io

import docx
import factory
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from governance.models import Body, ReportingLine
from samverkan import services
from samverkan.models import County, Organisation, Profile
from tests.documents import pdf_bytes

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
        skip_postgeneration_save = True

    county = factory.LazyFunction(lambda: county("10"))
    name = factory.Sequence(lambda n: f"Samverkansgrupp {n}")
    abbreviation = factory.Sequence(lambda n: f"SG{n}")
    level = Body.Level.TACTICAL

    @factory.post_generation
    def parent(obj, create, extracted, **kwargs):
        """``BodyFactory(parent=other)``: the body reports to ``other``."""
        if create and extracted is not None:
            ReportingLine.objects.create(body=obj, reports_to=extracted)


def person(org_code: str | None = None, *roles: tuple[str, object], username: str | None = None) -> User:
    """A user working at the organisation with the given code, holding the given (role, scope) pairs."""
    user = UserFactory(**({"username": username} if username else {}))
    org = organisation(org_code) if org_code else None
    Profile.objects.create(user=user, organisation=org, title="Handläggare")
    for role, scope in roles:
        services.role_assign(user=user, role=role, scope=scope, by=None, reason="Test")
    return user


def agreement_data(
    *,
    county: str = "10",
    title: str = "Överenskommelse om samarbete",
    version: int = 1,
    status: str = "adopted",
    extra_area: str | None = None,
) -> dict:
    """A small agreement in the import format: two sections, one target group, two areas."""
    parties = {"10": (["R10"], ["1080", "1081"]), "08": (["R08"], ["0880"]), "22": (["R22"], ["2281"])}[
        county
    ]
    areas = [
        {
            "name": "Hjälpmedel",
            "duties": [
                {
                    "side": "municipal",
                    "text": "förskrivning av hjälpmedlen i särskilt boende",
                    "laws": ["HSL"],
                },
                {
                    "side": "region",
                    "text": "personer i ordinärt boende utan hemsjukvård",
                    "laws": ["HSL 8 kap. 7 §"],
                },
            ],
        },
        {
            "name": "Insatser enligt LSS",
            "duties": [{"side": "municipal", "text": "insatser enligt LSS 9 §", "laws": ["LSS 9 §"]}],
        },
    ]
    if extra_area:
        areas.append(
            {"name": extra_area, "duties": [{"side": "shared", "text": f"gemensamt om {extra_area}"}]}
        )
    return {
        "agreement": {
            "county": county,
            "title": title,
            "valid_from": "2023-06-01",
            "valid_to": "2026-12-31",
            "notice_months": 12,
            "extension_years": 2,
            "adopted_by": "LSVO",
            "parties": {"region": parties[0], "municipal": parties[1]},
        },
        "version": {
            "number": version,
            "status": status,
            "adopted_on": "2023-05-05" if status == "adopted" else None,
            "effective_from": "2023-06-01" if status == "adopted" else None,
            "change_log": [{"date": "2023-05-05", "change": "Ny överenskommelse"}],
            "sections": [
                {
                    "number": "1",
                    "title": "Allmänt",
                    "text": "Syftet.\n\n- punkt ett\n- punkt två",
                    "sections": [{"number": "1.1", "title": "Bakgrund", "text": "Lagen kräver samverkan."}],
                },
            ],
            "target_groups": [
                {
                    "key": "vuxna",
                    "name": "Vuxna med funktionsnedsättning",
                    "section": "1",
                    "description": "Vuxna.",
                    "responsibility_areas": areas,
                    "development_areas": [{"name": "Samsjuklighet", "owner_group": "Mitt i livet"}],
                },
            ],
        },
    }


def agreement(**kwargs):
    """Import a small agreement through the real importer and services; returns its first version."""
    from agreements import services as agreement_services
    from agreements.importer import parse_data

    parsed = parse_data(agreement_data(**kwargs), "test.yaml")
    return agreement_services.agreement_version_import(parsed=parsed, source="test.yaml", by=None)


def pdf_upload(name: str = "bilaga.pdf", content: bytes | None = None):
    """A real PDF (one page of text), unless ``content`` is given."""
    return SimpleUploadedFile(
        name, pdf_bytes("Bilaga") if content is None else content, content_type="application/pdf"
    )


def docx_upload(name: str = "underlag.docx", text: str = "Underlag"):
    """A real Word document, as a member would upload it."""
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")
