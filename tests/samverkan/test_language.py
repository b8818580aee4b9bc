"""Language: the catalogues are complete, the pages say which language they are in, and Swedish names, dates
and numbers follow Swedish rules (å ä ö after z, "24 november 2026", decimal comma)."""

from datetime import date
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.template import engines
from django.utils import translation

from agreements.models import Agreement
from governance.models import Body
from samverkan.models import County, Organisation
from tests.factories import BodyFactory, agreement, county

CATALOGUES = sorted(Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/django.po"))


def test_there_is_an_english_catalogue():
    assert Path(settings.BASE_DIR, "locale/en/LC_MESSAGES/django.po") in CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_every_text_in_the_catalogue_is_translated_and_none_is_fuzzy(path):
    catalogue = polib.pofile(str(path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated in {path}: {untranslated[:10]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {path}: {fuzzy[:10]}"


def test_the_interface_is_english_when_english_is_chosen():
    with translation.override("en"):
        assert translation.gettext("Överenskommelser") == "Agreements"
        assert translation.gettext("Vem ansvarar för …?") != "Vem ansvarar för …?"


def test_django_texts_missing_in_its_swedish_catalogue_are_swedish_here():
    with translation.override("sv"):
        assert str(BLANK_CHOICE_LABEL) == "– Välj –"


@pytest.mark.django_db
def test_the_page_is_marked_swedish_by_default_and_english_after_the_switch(client):
    page = client.get("/lan/")
    assert b'<html lang="sv">' in page.content
    assert b'<button type="submit" name="language" value="en" lang="en">English</button>' in page.content

    client.get("/sprak/", {"language": "en", "next": "/lan/"})
    page = client.get("/lan/")
    assert b'<html lang="en">' in page.content
    assert b'lang="sv">Svenska</button>' in page.content
    assert "<h1>Counties and organisations</h1>" in page.text


@pytest.mark.django_db
def test_municipalities_sort_in_swedish_order_with_a_ring_a_umlaut_and_o_umlaut_after_z():
    names = list(
        Organisation.objects.filter(county__code="12", kind=Organisation.Kind.MUNICIPALITY).values_list(
            "name", flat=True
        )
    )
    # Skåne has Ystad, then Åstorp, then Ängelholm, then Örkelljunga and Östra Göinge.
    tail = names[names.index("Ystads kommun") :]
    assert tail == [
        "Ystads kommun",
        "Åstorps kommun",
        "Ängelholms kommun",
        "Örkelljunga kommun",
        "Östra Göinge kommun",
    ]


@pytest.mark.django_db
def test_the_county_page_lists_organisations_in_swedish_order(client):
    page = client.get(county("12").get_absolute_url()).text
    positions = [
        page.index(name) for name in ("Ystads kommun", "Åstorps kommun", "Ängelholms kommun", "Östra Göinge")
    ]
    assert positions == sorted(positions)


@pytest.mark.django_db
def test_counties_sort_in_swedish_order():
    names = list(County.objects.values_list("name", flat=True))
    assert names[-3:] == ["Västra Götalands län", "Örebro län", "Östergötlands län"]


SWEDISH_ORDER = ["Zonens grupp", "Ålderns grupp", "Ärendenas grupp", "Örats grupp"]


@pytest.mark.django_db
def test_bodies_sort_in_swedish_order():
    for name in reversed(SWEDISH_ORDER):
        BodyFactory(name=name)
    assert list(Body.objects.filter(name__in=SWEDISH_ORDER).values_list("name", flat=True)) == SWEDISH_ORDER


@pytest.mark.django_db
def test_agreements_sort_in_swedish_order():
    for title in reversed(SWEDISH_ORDER):
        agreement(title=title)
    titles = Agreement.objects.filter(title__in=SWEDISH_ORDER).values_list("title", flat=True)
    assert list(titles) == SWEDISH_ORDER


def test_dates_and_numbers_are_written_the_swedish_way():
    template = engines["django"].from_string(
        '{{ day|date:"j F Y" }} · {{ size|filesizeformat }} · {{ share|floatformat:1 }}'
    )
    with translation.override("sv"):
        text = template.render({"day": date(2026, 11, 24), "size": 10 * 1024 * 1024, "share": 12.5})
    assert text == "24 november 2026 · 10,0\xa0MB · 12,5"
