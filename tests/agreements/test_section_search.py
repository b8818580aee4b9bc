"""Search also finds what an agreement says in its sections, listed below the duties."""

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from agreements import selectors
from agreements import services as agreement_services
from agreements.importer import parse_data
from tests.factories import agreement_data


def imported(*, section_text: str, duty_text: str = "", **kwargs):
    """A small agreement whose section 1.1 says ``section_text`` (and whose first duty ``duty_text``)."""
    data = agreement_data(**kwargs)
    data["version"]["sections"][0]["sections"][0]["text"] = section_text
    if duty_text:
        data["version"]["target_groups"][0]["responsibility_areas"][0]["duties"][0]["text"] = duty_text
    parsed = parse_data(data, "test.yaml")
    return agreement_services.agreement_version_import(parsed=parsed, source="test.yaml", by=None)


def search(client, q: str):
    return client.get(reverse("agreements:search"), {"q": q, "lan": ""})


def test_a_body_named_only_in_a_sections_text_is_found(client, db):
    imported(section_text="Frågan lyfts till Länsstyrgruppen när parterna inte är överens.")
    html = search(client, "Länsstyrgruppen").content.decode()
    assert 'id="sections-title"' in html
    assert "#avsnitt-1.1" in html
    assert "<mark>Länsstyrgruppen</mark>" in html
    assert [hit.section.number for hit in selectors.section_search(AnonymousUser(), "länsstyrgruppen")] == [
        "1.1"
    ]


def test_sections_are_listed_after_the_duties(client, db):
    imported(section_text="Samordningsteamet beskrivs här.", duty_text="Samordningsteamet kallar till möte.")
    html = search(client, "samordningsteamet").content.decode()
    assert "<mark>Samordningsteamet</mark> kallar till möte" in html
    assert html.index('id="results-title"') < html.index('id="sections-title"')


def test_a_draft_sections_text_is_not_found_by_the_public(client, db):
    imported(section_text="Hemligstyrgruppen träffas varje månad.", status="draft")
    assert 'id="sections-title"' not in search(client, "Hemligstyrgruppen").content.decode()
