"""An agreement is linked to the body of its county that adopted it: found by name or abbreviation on import,
or set by hand. The agreement page links to the body and the body page lists what it adopted."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements import selectors, services
from agreements.importer import parse_data
from agreements.models import Agreement, AgreementVersion
from tests.factories import BodyFactory, agreement_data, county


def imported(adopted_by: str | None, *, county_code: str = "10", title: str = "Överenskommelse om samarbete"):
    data = agreement_data(county=county_code, title=title)
    data["agreement"]["adopted_by"] = adopted_by
    if adopted_by is None:
        del data["agreement"]["adopted_by"]
    parsed = parse_data(data, "test.yaml")
    return services.agreement_version_import(parsed=parsed, source="test.yaml", by=None).agreement


def template_url(body, kind: str) -> str:
    return reverse("governance:body_template", args=[body.pk, kind])


@pytest.fixture
def kalmar_lsvo(db):
    """A body in Kalmar with the same abbreviation as Blekinge's LSVO."""
    return BodyFactory(county=county("08"), name="Länsgemensam ledning i samverkan", abbreviation="LSVO")


# --- Finding the body on import ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "adopted_by", ["LSVO", "lsvo", "Ledningssamverkan vård och omsorg", "LEDNINGSSAMVERKAN VÅRD OCH OMSORG"]
)
def test_import_links_the_body_named_or_abbreviated_in_adopted_by(lsvo, adopted_by):
    assert imported(adopted_by).adopting_body == lsvo


def test_import_links_only_a_body_of_the_agreements_own_county(lsvo, kalmar_lsvo):
    assert imported("LSVO").adopting_body == lsvo
    assert imported("LSVO", county_code="08", title="Kalmars överenskommelse").adopting_body == kalmar_lsvo


def test_a_body_of_another_county_is_never_linked(kalmar_lsvo):
    assert imported("LSVO").adopting_body is None
    assert imported("Länsgemensam ledning i samverkan", title="Annan").adopting_body is None


@pytest.mark.parametrize("adopted_by", [None, "", "Regionstyrelsen och kommunfullmäktige", "LSV"])
def test_no_body_is_linked_when_adopted_by_names_none(lsvo, adopted_by):
    assert imported(adopted_by).adopting_body is None


def test_the_find_ignores_surrounding_space(lsvo):
    assert selectors.adopting_body_find(lsvo.county, "  LSVO \n") == lsvo
    assert selectors.adopting_body_find(lsvo.county, "") is None


def test_a_new_version_imported_keeps_the_link(lsvo):
    first = imported("LSVO")
    data = agreement_data(version=2)
    services.agreement_version_import(parsed=parse_data(data, "v2.yaml"), source="v2.yaml", by=None)
    first.refresh_from_db()
    assert first.adopting_body == lsvo
    assert first.versions.count() == 2


# --- Setting the body by hand ------------------------------------------------------------------------


def test_the_body_is_set_by_hand_with_history(lsvo, blekinge_editor):
    linked = imported("Regionstyrelsen")
    services.agreement_adopting_body_set(agreement=linked, body=lsvo, by=blekinge_editor)
    linked.refresh_from_db()
    assert (linked.adopting_body, linked.adopted_by) == (lsvo, "Regionstyrelsen")
    last = linked.history.latest("history_date")
    assert (last.history_user, last.history_change_reason) == (blekinge_editor, "Antagande organ angivet")


def test_setting_the_body_fills_in_adopted_by_when_empty(lsvo):
    linked = services.agreement_adopting_body_set(agreement=imported(""), body=lsvo, by=None)
    linked.refresh_from_db()
    assert linked.adopted_by == "Ledningssamverkan vård och omsorg"


def test_a_body_of_another_county_is_refused(lsvo, kalmar_lsvo):
    linked = imported("LSVO")
    with pytest.raises(ValidationError) as caught:
        services.agreement_adopting_body_set(agreement=linked, body=kalmar_lsvo, by=None)
    assert caught.value.message_dict == {"adopting_body": ["Organet ska höra till överenskommelsens län."]}
    linked.refresh_from_db()
    assert linked.adopting_body == lsvo


def test_the_link_can_be_removed(lsvo):
    linked = services.agreement_adopting_body_set(agreement=imported("LSVO"), body=None, by=None)
    linked.refresh_from_db()
    assert (linked.adopting_body, linked.adopted_by) == (None, "LSVO")


# --- Pages -------------------------------------------------------------------------------------------


def test_the_agreement_page_links_to_the_body_that_adopted_it(client, lsvo):
    linked = imported("LSVO")
    html = client.get(linked.get_absolute_url()).content.decode()
    assert f'<a href="{lsvo.get_absolute_url()}">LSVO</a>' in html


def test_the_agreement_page_shows_adopted_by_as_text_without_a_body(client, db):
    linked = imported("Regionstyrelsen")
    html = client.get(linked.get_absolute_url()).content.decode()
    assert "<dd>Regionstyrelsen</dd>" in html


def test_the_body_page_lists_the_agreements_it_adopted(client, lsvo):
    first = imported("LSVO", title="Överenskommelse om barn och unga")
    second = imported("Ledningssamverkan vård och omsorg", title="Överenskommelse om vuxna")
    imported("Regionstyrelsen", title="Överenskommelse om äldre")
    html = client.get(lsvo.get_absolute_url()).content.decode()
    assert "Överenskommelser som organet har antagit" in html
    assert f'<a href="{first.get_absolute_url()}">Överenskommelse om barn och unga</a>' in html
    assert f'<a href="{second.get_absolute_url()}">Överenskommelse om vuxna</a>' in html
    assert "Överenskommelse om äldre" not in html
    assert html.index("barn och unga") < html.index("om vuxna")


def test_the_body_page_does_not_show_agreements_the_visitor_may_not_read(client, lsvo, blekinge_editor):
    data = agreement_data(title="Ny överenskommelse under arbete", status="draft")
    version = services.agreement_version_import(parsed=parse_data(data, "utkast.yaml"), source="x", by=None)
    assert version.status == AgreementVersion.Status.DRAFT and version.agreement.adopting_body == lsvo
    assert "Ny överenskommelse under arbete" not in client.get(lsvo.get_absolute_url()).content.decode()
    client.force_login(blekinge_editor)
    assert "Ny överenskommelse under arbete" in client.get(lsvo.get_absolute_url()).content.decode()


def test_the_body_page_without_adopted_agreements_has_no_such_list(client, lsvo):
    assert (
        "Överenskommelser som organet har antagit" not in client.get(lsvo.get_absolute_url()).content.decode()
    )


def test_the_body_page_links_to_its_templates(client, lsvo):
    html = client.get(lsvo.get_absolute_url()).content.decode()
    for kind in ["foredragning", "uppdragsbeskrivning", "kallelse", "protokoll", "arshjul", "projektplan"]:
        assert template_url(lsvo, kind) in html
    response = client.get(template_url(lsvo, "kallelse"))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    assert client.get(template_url(lsvo, "okand")).status_code == 404


def test_the_body_page_query_count_stays_flat_with_many_adopted_agreements(client, lsvo):
    imported("LSVO", title="Första")
    url = lsvo.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(6):
        imported("LSVO", title=f"Överenskommelse {n}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert Agreement.objects.filter(adopting_body=lsvo).count() == 7
    assert len(many) == len(few)
