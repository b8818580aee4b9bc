"""Views of the agreements app. Personas from tests/conftest.py, plus Kalle, who edits Kalmar's agreements.

The Blekinge agreement has an adopted version 1 that everybody may read; the ``draft`` fixture adds a
version 2 that only Blekinge's editors may see and change.
"""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements import services
from agreements.importer import parse_data
from agreements.models import (
    AgreementVersion,
    ChangeLogEntry,
    Duty,
    ResponsibilityArea,
    Section,
    Side,
    TargetGroup,
)
from agreements.validity import add_months
from samverkan.models import Role
from tests.factories import agreement, agreement_data, county, organisation, person

HX = {"HX-Request": "true"}
HJALPMEDLEN = "förskrivning av hjälpmedlen i särskilt boende"


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.fixture
def kalmar_editor(db):
    return person("R08", (Role.OFFICIAL, organisation("R08")), (Role.EDITOR, county("08")), username="kalle")


@pytest.fixture
def adopted(db) -> AgreementVersion:
    return agreement()


@pytest.fixture
def draft(adopted) -> AgreementVersion:
    return services.version_revision_create(agreement=adopted.agreement, by=None, reason="Revidering")


@pytest.fixture
def draft_only(db) -> AgreementVersion:
    """A new agreement that has nothing but a draft."""
    return agreement(title="Ny överenskommelse under arbete", status="draft")


def url(name: str, version: AgreementVersion, *args) -> str:
    return reverse(f"agreements:{name}", args=[version.agreement_id, version.number, *args])


def detail_url(version: AgreementVersion) -> str:
    return reverse("agreements:detail", args=[version.agreement_id])


def area_of(version: AgreementVersion, name: str = "Hjälpmedel") -> ResponsibilityArea:
    return ResponsibilityArea.objects.get(version=version, name=name)


def duty_of(version: AgreementVersion, text: str = HJALPMEDLEN) -> Duty:
    return Duty.objects.get(version=version, text=text)


def section_of(version: AgreementVersion, number: str = "1.1") -> Section:
    return Section.objects.get(version=version, number=number)


def adopt(version: AgreementVersion, *, on: date = date(2025, 1, 15)) -> None:
    services.version_adopt(
        version=version, adopted_on=on, decision_reference="LSVO 2025-01-15 § 3", change="Ändrad", by=None
    )


# The list


def test_list_shows_published_agreements_to_the_public(client, adopted, draft_only):
    response = client.get(reverse("agreements:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert adopted.agreement.title in html
    assert draft_only.agreement.title not in html


def test_list_shows_an_editor_the_agreements_that_are_still_drafts(login, blekinge_editor, draft_only):
    html = login(blekinge_editor).get(reverse("agreements:list")).content.decode()
    assert draft_only.agreement.title in html


def test_list_filters_by_county(client, adopted):
    kalmar = agreement(county="08", title="Kalmars överenskommelse")
    html = client.get(reverse("agreements:list"), {"lan": "08"}).content.decode()
    assert kalmar.agreement.title in html
    assert adopted.agreement.title not in html


# The agreement and its versions


def test_public_sees_the_adopted_version_of_an_agreement(client, adopted):
    response = client.get(detail_url(adopted))
    assert response.status_code == 200
    html = response.content.decode()
    assert adopted.agreement.title in html
    assert "Version 1 · Gällande" in html
    assert "Ny överenskommelse" in html  # change log
    assert "Skapa ny version" not in html


def test_public_does_not_see_that_a_draft_exists(client, draft):
    html = client.get(detail_url(draft)).content.decode()
    assert "Version 1 · Gällande" in html
    assert url("version", draft) not in html


def test_unknown_agreement_is_404(client, db):
    assert client.get(reverse("agreements:detail", args=[999999])).status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "karlskrona_official", "kalmar_editor"])
def test_agreement_with_only_a_draft_is_404_for_all_but_its_editors(request, client, draft_only, who):
    user = request.getfixturevalue(who)
    if user.is_authenticated:
        client.force_login(user)
    assert client.get(detail_url(draft_only)).status_code == 404
    assert client.get(url("version", draft_only)).status_code == 404
    assert client.get(url("table", draft_only, "vuxna")).status_code == 404


def test_agreement_with_only_a_draft_is_shown_to_its_editor(login, blekinge_editor, draft_only):
    response = login(blekinge_editor).get(detail_url(draft_only))
    assert response.status_code == 200
    assert "Utkast – inte antaget" in response.content.decode()


def test_editor_is_offered_to_start_a_revision(login, blekinge_editor, adopted):
    html = login(blekinge_editor).get(detail_url(adopted)).content.decode()
    assert "Skapa ny version" in html
    assert reverse("agreements:revision_create", args=[adopted.agreement_id]) in html


def test_editor_is_sent_to_the_existing_draft_instead_of_starting_another(login, blekinge_editor, draft):
    html = login(blekinge_editor).get(detail_url(draft)).content.decode()
    assert "Skapa ny version" not in html
    assert "Gå till utkastet" in html


def test_official_is_not_offered_editing(login, karlskrona_official, adopted):
    html = login(karlskrona_official).get(detail_url(adopted)).content.decode()
    assert "Skapa ny version" not in html


def test_public_sees_the_adopted_version_page(client, adopted):
    response = client.get(url("version", adopted))
    assert response.status_code == 200
    assert "1.1 Bakgrund" in response.content.decode()


def test_unknown_version_number_is_404(client, adopted):
    assert client.get(reverse("agreements:version", args=[adopted.agreement_id, 9])).status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "karlskrona_official", "kalmar_editor"])
def test_draft_version_page_is_404_for_all_but_its_editors(request, client, draft, who):
    user = request.getfixturevalue(who)
    if user.is_authenticated:
        client.force_login(user)
    assert client.get(url("version", draft)).status_code == 404


def test_draft_version_page_is_shown_to_its_editor_with_edit_links(login, blekinge_editor, draft):
    response = login(blekinge_editor).get(url("version", draft))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Utkast – inte antaget" in html
    assert url("adopt", draft) in html
    assert url("section_edit", draft, section_of(draft).pk) in html


def test_superseded_version_stays_public_as_history(client, adopted, draft):
    adopt(draft)
    response = client.get(url("version", adopted))
    assert response.status_code == 200
    assert "Detta är en tidigare version som har ersatts." in response.content.decode()
    assert "Version 2 · Gällande" in client.get(detail_url(adopted)).content.decode()


# Point in time


def test_point_in_time_before_the_agreement_says_no_version_was_in_force(client, adopted):
    html = client.get(detail_url(adopted), {"datum": "2020-01-01"}).content.decode()
    assert "Så här såg överenskommelsen ut den 1 januari 2020." in html
    assert "Ingen version gällde då." in html
    assert "Ännu inte giltig" in html
    assert "1.1 Bakgrund" not in html


def test_point_in_time_shows_the_version_in_force_that_day(client, adopted):
    html = client.get(detail_url(adopted), {"datum": "2024-01-01"}).content.decode()
    assert "Version 1 · Gällande" in html
    assert "Ingen version gällde då." not in html


def test_point_in_time_shows_the_earlier_version_as_in_force_on_a_day_before_the_revision(
    client, adopted, draft
):
    adopt(draft, on=date(2025, 1, 15))
    before = client.get(detail_url(adopted), {"datum": "2024-01-01"}).content.decode()
    assert "Version 1 · Gällande" in before
    assert "Ersatt" not in before
    after = client.get(detail_url(adopted), {"datum": "2025-01-15"}).content.decode()
    assert "Version 2 · Gällande" in after
    assert "Ersatt" in after


def test_point_in_time_never_shows_a_draft_even_to_its_editor(login, blekinge_editor, draft_only):
    html = login(blekinge_editor).get(detail_url(draft_only), {"datum": "2024-01-01"}).content.decode()
    assert "Ingen version gällde då." in html


# The responsibility table


def test_public_sees_the_responsibility_table_of_an_adopted_version(client, adopted):
    response = client.get(url("table", adopted, "vuxna"))
    assert response.status_code == 200
    html = response.content.decode()
    assert HJALPMEDLEN in html
    assert "HSL 8" in html
    assert reverse("agreements:law_detail", args=["LSS"]) in html
    assert "Samsjuklighet" in html


def test_table_of_an_unknown_target_group_is_404(client, adopted):
    assert client.get(url("table", adopted, "barn")).status_code == 404


def test_draft_table_is_404_for_the_public_and_shown_to_the_editor(client, login, blekinge_editor, draft):
    assert client.get(url("table", draft, "vuxna")).status_code == 404
    response = login(blekinge_editor).get(url("table", draft, "vuxna"))
    assert response.status_code == 200
    assert url("table_edit", draft, "vuxna") in response.content.decode()


def test_table_heads_the_municipal_column_with_the_officials_municipality(login, ronneby_official, adopted):
    html = login(ronneby_official).get(url("table", adopted, "vuxna")).content.decode()
    assert '<th scope="col" class="own">Ronneby kommun (kommunerna i Blekinge)</th>' in html


def test_table_heads_the_municipal_column_with_the_county_for_the_public(client, adopted):
    html = client.get(url("table", adopted, "vuxna")).content.decode()
    assert '<th scope="col">Kommunerna i Blekinge</th>' in html
    assert '<th scope="col">Region Blekinge</th>' in html
    assert "Ronneby kommun" not in html


def test_official_of_another_county_sees_the_general_headings(login, kalmar_official, adopted):
    html = login(kalmar_official).get(url("table", adopted, "vuxna")).content.decode()
    assert '<th scope="col">Kommunerna i Blekinge</th>' in html


def rows_shown(html: str, version: AgreementVersion) -> set[str]:
    return {
        area.name
        for area in ResponsibilityArea.objects.filter(version=version)
        if f'id="omrade-{area.pk}"' in html
    }


def test_table_filtered_by_law_shows_only_the_rows_citing_it(client, adopted):
    html = client.get(url("table", adopted, "vuxna"), {"lag": "LSS"}).content.decode()
    assert rows_shown(html, adopted) == {"Insatser enligt LSS"}
    assert HJALPMEDLEN not in html
    assert "Visa hela tabellen" in html


def test_table_filtered_by_law_keeps_only_the_duties_citing_it(client, db):
    data = agreement_data(title="Med blandade lagar")
    data["version"]["target_groups"][0]["responsibility_areas"][0]["duties"][0]["laws"] = ["SoL"]
    parsed = parse_data(data, "test.yaml")
    mixed = services.agreement_version_import(parsed=parsed, source="test.yaml", by=None)
    html = client.get(url("table", mixed, "vuxna"), {"lag": "HSL"}).content.decode()
    assert rows_shown(html, mixed) == {"Hjälpmedel"}
    assert "personer i ordinärt boende utan hemsjukvård" in html
    assert HJALPMEDLEN not in html


def test_table_filtered_by_a_law_nobody_cites_shows_no_rows(client, adopted):
    html = client.get(url("table", adopted, "vuxna"), {"lag": "LVM"}).content.decode()
    assert rows_shown(html, adopted) == set()
    assert "Inga ansvarsområden matchar filtret." in html


def test_table_filtered_by_area_shows_only_that_row(client, adopted):
    area = area_of(adopted, "Hjälpmedel")
    html = client.get(url("table", adopted, "vuxna"), {"omrade": area.pk}).content.decode()
    assert rows_shown(html, adopted) == {"Hjälpmedel"}
    assert "insatser enligt LSS 9 §" not in html


def test_table_ignores_an_area_of_another_version_in_the_filter(client, adopted, draft):
    html = client.get(url("table", adopted, "vuxna"), {"omrade": area_of(draft).pk}).content.decode()
    assert rows_shown(html, adopted) == {"Hjälpmedel", "Insatser enligt LSS"}


# Comparison, laws, areas across counties, search


def test_compare_shows_what_changed_between_published_versions(client, adopted, draft):
    services.duty_create(area=area_of(draft), side=Side.SHARED, text="gemensam rutin", by=None, reason="x")
    adopt(draft)
    response = client.get(reverse("agreements:compare", args=[adopted.agreement_id]), {"fran": 1, "till": 2})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ändringar från version 1 till version 2." in html
    assert "<ins>gemensam rutin</ins>" in html


def test_compare_does_not_reveal_a_draft_to_the_public(client, adopted, draft):
    services.duty_create(area=area_of(draft), side=Side.SHARED, text="hemlig ändring", by=None, reason="x")
    response = client.get(reverse("agreements:compare", args=[adopted.agreement_id]), {"fran": 1, "till": 2})
    assert response.status_code == 404  # the draft's number is as unknown as a number never used
    assert "hemlig ändring" not in response.content.decode()


def test_editor_compares_the_draft_with_the_adopted_version(login, blekinge_editor, adopted, draft):
    services.duty_create(area=area_of(draft), side=Side.SHARED, text="ny rutin", by=None, reason="x")
    response = login(blekinge_editor).get(
        reverse("agreements:compare", args=[adopted.agreement_id]), {"fran": 1, "till": 2}
    )
    assert "<ins>ny rutin</ins>" in response.content.decode()


def test_compare_of_an_agreement_with_only_a_draft_is_404_for_the_public(client, draft_only):
    assert client.get(reverse("agreements:compare", args=[draft_only.agreement_id])).status_code == 404


def test_law_register_is_public(client, adopted):
    response = client.get(reverse("agreements:law_list"))
    assert response.status_code == 200
    assert reverse("agreements:law_detail", args=["HSL"]) in response.content.decode()


def test_law_page_lists_the_duties_in_force_that_rest_on_it(client, adopted, draft_only):
    response = client.get(reverse("agreements:law_detail", args=["LSS"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "insatser enligt LSS 9 §" in html
    assert draft_only.agreement.title not in html


def test_unknown_law_is_404(client, db):
    assert client.get(reverse("agreements:law_detail", args=["XYZ"])).status_code == 404


def test_area_comparison_shows_the_area_across_counties(client, adopted):
    kalmar = agreement(county="08", title="Kalmars överenskommelse")
    response = client.get(reverse("agreements:area_compare"), {"omrade": "Hjälpmedel"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Blekinge: " in html
    assert "Kalmar: " in html
    assert url("table", kalmar, "vuxna") in html


def test_search_page_works_for_the_public_and_highlights_hits(client, adopted):
    response = client.get(reverse("agreements:search"), {"q": "hjälpmedel"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Träffar i 1 ansvarsfördelning" in html
    assert "förskrivning av <mark>hjälpmedlen</mark> i särskilt boende" in html
    assert url("table", adopted, "vuxna") in html


def test_search_page_searches_an_officials_own_county_until_they_choose_another(
    login, kalmar_official, adopted
):
    client = login(kalmar_official)
    assert (
        "Inga åtaganden matchar"
        in client.get(reverse("agreements:search"), {"q": "hjälpmedel"}).content.decode()
    )
    html = client.get(reverse("agreements:search"), {"q": "hjälpmedel", "lan": ""}).content.decode()
    assert "Träffar i 1 ansvarsfördelning" in html


def test_search_page_without_a_query_shows_only_the_form(client, db):
    response = client.get(reverse("agreements:search"))
    assert response.status_code == 200
    assert "Träffar" not in response.content.decode()


def test_search_page_says_when_nothing_matches(client, adopted):
    html = client.get(reverse("agreements:search"), {"q": "xylofonen"}).content.decode()
    assert "Inga åtaganden matchar sökningen." in html


def test_search_page_escapes_html_in_duties(client, adopted, draft):
    services.duty_create(
        area=area_of(draft),
        side=Side.SHARED,
        text="<script>alert(1)</script> hjälpmedel",
        by=None,
        reason="x",
    )
    adopt(draft)
    html = client.get(reverse("agreements:search"), {"q": "hjälpmedel"}).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>hjälpmedel</mark>" in html
    assert "<script>alert(1)" not in html


def test_search_page_searches_history_on_request(client, adopted, draft):
    services.duty_update(duty=duty_of(draft), side=Side.MUNICIPAL, text="förskrivning", by=None, reason="x")
    adopt(draft)
    assert (
        "Inga åtaganden matchar"
        in client.get(reverse("agreements:search"), {"q": "särskilt"}).content.decode()
    )
    html = client.get(reverse("agreements:search"), {"q": "särskilt", "historik": "on"}).content.decode()
    assert "version 1, Ersatt" in html


# Who may edit: anonymous → login, outsiders → 404, readers → 403, the county's editors on a draft → 200


def editing_gets(version: AgreementVersion) -> list[str]:
    return [
        url("table_edit", version, "vuxna"),
        url("section_edit", version, section_of(version).pk),
        url("adopt", version),
    ]


def editing_posts(version: AgreementVersion) -> list[tuple[str, dict]]:
    area, duty = area_of(version), duty_of(version)
    return [
        (reverse("agreements:revision_create", args=[version.agreement_id]), {"reason": "Försök"}),
        (url("area_add", version, "vuxna"), {"name": "Tandvård"}),
        (url("area_change", version, area.pk), {"action": "rename", f"area-{area.pk}-name": "Omdöpt"}),
        (url("area_change", version, area.pk), {"action": "delete"}),
        (url("duty_add", version, area.pk), {f"new-{area.pk}-side": "shared", f"new-{area.pk}-text": "nytt"}),
        (
            url("duty_change", version, duty.pk),
            {f"duty-{duty.pk}-side": "region", f"duty-{duty.pk}-text": "x"},
        ),
        (url("duty_change", version, duty.pk), {"action": "delete"}),
        (url("section_edit", version, section_of(version).pk), {"title": "Ny", "text": "Ny"}),
        (url("adopt", version), {"adopted_on": "2025-01-15", "decision_reference": "§ 1", "change": "x"}),
    ]


def snapshot() -> tuple:
    return (
        list(AgreementVersion.objects.order_by("pk").values_list("pk", "status")),
        list(ResponsibilityArea.objects.order_by("pk").values_list("pk", "name")),
        list(Duty.objects.order_by("pk").values_list("pk", "side", "text")),
        list(Section.objects.order_by("pk").values_list("pk", "title", "text")),
        ChangeLogEntry.objects.count(),
    )


def test_editing_asks_the_public_to_log_in(client, draft):
    before = snapshot()
    for path in editing_gets(draft):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("login")), path
    for path, data in editing_posts(draft):
        assert client.post(path, data).status_code == 302, path
    assert snapshot() == before


def test_editing_a_draft_is_hidden_from_an_official(login, karlskrona_official, draft):
    """The draft is invisible to all but its county's editors: 404, not 403."""
    client = login(karlskrona_official)
    before = snapshot()
    for path in editing_gets(draft):
        assert client.get(path).status_code == 404, path
    for path, data in editing_posts(draft):  # the agreement itself is public: revising it is forbidden
        assert client.post(path, data).status_code == (403 if path.endswith("/ny-version/") else 404), path
    assert snapshot() == before


def test_editing_is_hidden_from_the_editor_of_another_county(login, kalmar_editor, draft):
    client = login(kalmar_editor)
    before = snapshot()
    for path in editing_gets(draft):
        assert client.get(path).status_code == 404, path
    for path, data in editing_posts(draft):  # the agreement itself is public: revising it is forbidden
        assert client.post(path, data).status_code == (403 if path.endswith("/ny-version/") else 404), path
    assert snapshot() == before


def test_editing_an_agreement_the_outsider_cannot_see_is_404(login, kalmar_editor, draft_only):
    client = login(kalmar_editor)
    before = snapshot()
    for path in editing_gets(draft_only):
        assert client.get(path).status_code == 404, path
    for path, data in editing_posts(draft_only):
        assert client.post(path, data).status_code == 404, path
    assert snapshot() == before


def test_an_adopted_version_is_frozen_over_http_even_for_its_editor(login, blekinge_editor, adopted):
    client = login(blekinge_editor)
    before = snapshot()
    for path in editing_gets(adopted):
        assert client.get(path).status_code == 403, path
    for path, data in editing_posts(adopted)[1:]:  # [0] starts a revision, which is allowed
        assert client.post(path, data).status_code == 403, path
    assert snapshot() == before


def test_a_duty_of_the_adopted_version_cannot_be_changed_through_the_draft(
    login, blekinge_editor, adopted, draft
):
    duty = duty_of(adopted)
    response = login(blekinge_editor).post(
        url("duty_change", draft, duty.pk),
        {f"duty-{duty.pk}-side": "region", f"duty-{duty.pk}-text": "ändrad"},
    )
    assert response.status_code == 404
    duty.refresh_from_db()
    assert (duty.side, duty.text) == (Side.MUNICIPAL, HJALPMEDLEN)


def test_an_area_of_the_adopted_version_cannot_be_changed_through_the_draft(
    login, blekinge_editor, adopted, draft
):
    area = area_of(adopted)
    client = login(blekinge_editor)
    assert client.post(url("area_change", draft, area.pk), {"action": "delete"}).status_code == 404
    assert client.post(url("duty_add", draft, area.pk), {f"new-{area.pk}-side": "shared"}).status_code == 404
    assert ResponsibilityArea.objects.filter(pk=area.pk).exists()


def test_a_section_of_the_adopted_version_cannot_be_edited_through_the_draft(
    login, blekinge_editor, adopted, draft
):
    section = section_of(adopted)
    response = login(blekinge_editor).post(
        url("section_edit", draft, section.pk), {"title": "Ny", "text": "x"}
    )
    assert response.status_code == 404
    assert Section.objects.get(pk=section.pk).title == "Bakgrund"


def test_the_editor_opens_the_editing_pages_of_a_draft(login, blekinge_editor, draft):
    client = login(blekinge_editor)
    for path in editing_gets(draft):
        assert client.get(path).status_code == 200, path


def test_editing_endpoints_that_change_things_refuse_get(login, blekinge_editor, draft):
    client = login(blekinge_editor)
    for path, _data in editing_posts(draft):
        if path.endswith(("/anta/", f"/avsnitt/{section_of(draft).pk}/")):
            continue  # these show a form on GET
        assert client.get(path).status_code == 405, path


# Revising


def test_editor_starts_a_revision_and_is_taken_to_the_draft(login, blekinge_editor, adopted):
    response = login(blekinge_editor).post(
        reverse("agreements:revision_create", args=[adopted.agreement_id]), {"reason": "Ny lagstiftning"}
    )
    draft = adopted.agreement.versions.get(number=2)
    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()
    assert draft.status == AgreementVersion.Status.DRAFT
    assert draft.created_by == blekinge_editor
    assert draft.history.get().history_change_reason == "Ny lagstiftning"


def test_a_revision_needs_a_reason(login, blekinge_editor, adopted):
    response = login(blekinge_editor).post(reverse("agreements:revision_create", args=[adopted.agreement_id]))
    assert response.status_code == 302
    assert response["Location"] == detail_url(adopted)
    assert adopted.agreement.versions.count() == 1


def test_a_second_revision_is_refused_with_a_message(login, blekinge_editor, draft):
    client = login(blekinge_editor)
    response = client.post(
        reverse("agreements:revision_create", args=[draft.agreement_id]), {"reason": "Igen"}, follow=True
    )
    assert "Det finns redan ett utkast till en ny version." in response.content.decode()
    assert draft.agreement.versions.count() == 2


def test_editor_adds_a_duty(login, blekinge_editor, draft):
    area = area_of(draft)
    response = login(blekinge_editor).post(
        url("duty_add", draft, area.pk),
        {f"new-{area.pk}-side": "shared", f"new-{area.pk}-text": "gemensam rutin för hjälpmedel"},
    )
    assert response.status_code == 302
    assert response["Location"] == url("table_edit", draft, "vuxna")
    duty = Duty.objects.get(text="gemensam rutin för hjälpmedel")
    assert (duty.version, duty.area, duty.side) == (draft, area, Side.SHARED)
    assert duty.history.get().history_user == blekinge_editor


def test_editor_adds_a_duty_with_htmx_and_gets_the_editor_back(login, blekinge_editor, draft):
    area = area_of(draft)
    response = login(blekinge_editor).post(
        url("duty_add", draft, area.pk),
        {f"new-{area.pk}-side": "region", f"new-{area.pk}-text": "ny regional uppgift"},
        headers=HX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="editor"')
    assert "ny regional uppgift" in html
    assert Duty.objects.filter(version=draft, side=Side.REGION, text="ny regional uppgift").exists()


def test_a_duty_without_text_is_refused(login, blekinge_editor, draft):
    area = area_of(draft)
    response = login(blekinge_editor).post(
        url("duty_add", draft, area.pk),
        {f"new-{area.pk}-side": "shared", f"new-{area.pk}-text": ""},
        headers=HX,
    )
    assert response.status_code == 400
    assert Duty.objects.filter(version=draft).count() == 3


def test_editor_changes_a_duty(login, blekinge_editor, draft):
    duty = duty_of(draft)
    response = login(blekinge_editor).post(
        url("duty_change", draft, duty.pk),
        {"action": "save", f"duty-{duty.pk}-side": "region", f"duty-{duty.pk}-text": "regionen förskriver"},
    )
    assert response.status_code == 302
    duty.refresh_from_db()
    assert (duty.side, duty.text) == (Side.REGION, "regionen förskriver")
    assert duty.history.first().history_change_reason == "Ändrat åtagande"


def test_editor_changes_a_duty_with_htmx(login, blekinge_editor, draft):
    duty = duty_of(draft)
    response = login(blekinge_editor).post(
        url("duty_change", draft, duty.pk),
        {"action": "save", f"duty-{duty.pk}-side": "municipal", f"duty-{duty.pk}-text": "ändrad med htmx"},
        headers=HX,
    )
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert "ändrad med htmx" in response.content.decode()
    assert Duty.objects.get(pk=duty.pk).text == "ändrad med htmx"


def test_editor_deletes_a_duty(login, blekinge_editor, draft):
    duty = duty_of(draft)
    response = login(blekinge_editor).post(
        url("duty_change", draft, duty.pk), {"action": "delete"}, headers=HX
    )
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert not Duty.objects.filter(pk=duty.pk).exists()
    assert Duty.objects.filter(text=HJALPMEDLEN).count() == 1  # the adopted version keeps its own


def test_editor_adds_an_area(login, blekinge_editor, draft):
    response = login(blekinge_editor).post(url("area_add", draft, "vuxna"), {"name": "Tandvård"})
    assert response.status_code == 302
    area = area_of(draft, "Tandvård")
    assert area.target_group == TargetGroup.objects.get(version=draft)


def test_editor_adds_an_area_with_htmx(login, blekinge_editor, draft):
    response = login(blekinge_editor).post(url("area_add", draft, "vuxna"), {"name": "Tandvård"}, headers=HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "Tandvård" in html
    assert ResponsibilityArea.objects.filter(version=draft, name="Tandvård").exists()


def test_an_area_without_a_name_is_refused_with_the_error_next_to_the_field(login, blekinge_editor, draft):
    response = login(blekinge_editor).post(url("area_add", draft, "vuxna"), {"name": ""}, headers=HX)
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert ResponsibilityArea.objects.filter(version=draft).count() == 2


def test_editor_renames_moves_and_deletes_an_area(login, blekinge_editor, draft):
    client = login(blekinge_editor)
    area = area_of(draft, "Insatser enligt LSS")
    path = url("area_change", draft, area.pk)
    assert client.post(path, {"action": "rename", f"area-{area.pk}-name": "LSS-insatser"}).status_code == 302
    assert client.post(path, {"action": "up"}, headers=HX).status_code == 200
    names = ResponsibilityArea.objects.filter(version=draft).order_by("order").values_list("name", flat=True)
    assert list(names) == ["LSS-insatser", "Hjälpmedel"]
    assert client.post(path, {"action": "delete"}).status_code == 302
    assert not ResponsibilityArea.objects.filter(pk=area.pk).exists()
    assert not Duty.objects.filter(version=draft, text="insatser enligt LSS 9 §").exists()


def test_an_unknown_area_action_is_a_bad_request(login, blekinge_editor, draft):
    response = login(blekinge_editor).post(
        url("area_change", draft, area_of(draft).pk), {"action": "explode"}
    )
    assert response.status_code == 400


def test_editor_edits_a_section(login, blekinge_editor, draft):
    section = section_of(draft)
    response = login(blekinge_editor).post(
        url("section_edit", draft, section.pk), {"title": "Bakgrund och syfte", "text": "Ny text.\n\n- punkt"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{draft.get_absolute_url()}#avsnitt-1.1"
    section.refresh_from_db()
    assert (section.title, section.text) == ("Bakgrund och syfte", "Ny text.\n\n- punkt")


def test_a_section_without_a_title_is_refused(login, blekinge_editor, draft):
    response = login(blekinge_editor).post(url("section_edit", draft, section_of(draft).pk), {"title": ""})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert section_of(draft).title == "Bakgrund"


# Adopting


def test_editor_adopts_a_draft_which_supersedes_the_version_in_force(login, blekinge_editor, adopted, draft):
    response = login(blekinge_editor).post(
        url("adopt", draft),
        {
            "adopted_on": "2025-01-15",
            "decision_reference": "LSVO 2025-01-15 § 3",
            "change": "Nytt om tandvård",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()
    draft.refresh_from_db()
    adopted.refresh_from_db()
    assert draft.status == AgreementVersion.Status.ADOPTED
    assert (draft.adopted_on, draft.effective_from) == (date(2025, 1, 15), date(2025, 1, 15))
    assert adopted.status == AgreementVersion.Status.SUPERSEDED
    entry = ChangeLogEntry.objects.get(version=draft)
    assert (entry.change, entry.made_by) == ("Nytt om tandvård", blekinge_editor.get_full_name())


def test_adoption_without_a_decision_reference_shows_the_error_next_to_the_field(
    login, blekinge_editor, draft
):
    response = login(blekinge_editor).post(
        url("adopt", draft), {"adopted_on": "2025-01-15", "decision_reference": "", "change": "Ändrad"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert '<a href="#id_decision_reference">Beslutsreferens: Detta fält måste fyllas i.</a>' in html
    error = '<ul class="errorlist" id="id_decision_reference_error"><li>Detta fält måste fyllas i.</li></ul>'
    field = (
        '<input type="text" name="decision_reference" maxlength="200" required aria-invalid="true" '
        'aria-describedby="id_decision_reference_helptext id_decision_reference_error" '
        'id="id_decision_reference">'
    )
    assert f"{error}\n{field}" in html
    assert "Ändrad</textarea>" in html  # what was typed is kept
    draft.refresh_from_db()
    assert draft.status == AgreementVersion.Status.DRAFT
    assert not ChangeLogEntry.objects.filter(version=draft).exists()


def test_the_adoption_form_is_for_drafts_only(login, blekinge_editor, adopted):
    response = login(blekinge_editor).post(
        url("adopt", adopted), {"adopted_on": "2025-01-15", "decision_reference": "§ 1", "change": "x"}
    )
    assert response.status_code == 403
    assert ChangeLogEntry.objects.filter(version=adopted).count() == 1


# Notice watch


def agreement_ending_in(months: int, *, title: str, county_code: str = "10", extension_years: int | None = 2):
    today = timezone.localdate()
    data = agreement_data(title=title, county=county_code)
    data["agreement"].update(
        valid_from=add_months(today, -12).isoformat(),
        valid_to=add_months(today, months).isoformat(),
        notice_months=12,
        extension_years=extension_years,
    )
    data["version"].update(adopted_on=add_months(today, -13).isoformat(), effective_from=None)
    parsed = parse_data(data, "test.yaml")
    return services.agreement_version_import(parsed=parsed, source="test.yaml", by=None).agreement


def test_notice_watch_is_forbidden_for_an_official(login, karlskrona_official, adopted):
    assert login(karlskrona_official).get(reverse("agreements:notice_watch")).status_code == 403


def test_notice_watch_asks_the_public_to_log_in(client, db):
    assert client.get(reverse("agreements:notice_watch")).status_code == 302


def test_notice_watch_lists_an_agreement_whose_notice_deadline_is_near(login, blekinge_editor):
    soon = agreement_ending_in(18, title="Snart dags att säga upp")
    later = agreement_ending_in(60, title="Gäller länge")
    elsewhere = agreement_ending_in(18, title="I Kalmar", county_code="08")
    response = login(blekinge_editor).get(reverse("agreements:notice_watch"))
    assert response.status_code == 200
    html = response.content.decode()
    assert soon.title in html
    assert "Sista dag att säga upp" in html
    assert later.title not in html
    assert elsewhere.title not in html


def test_notice_watch_lists_an_agreement_that_ends_without_extension(login, blekinge_editor):
    ending = agreement_ending_in(6, title="Upphör snart", extension_years=None)
    html = login(blekinge_editor).get(reverse("agreements:notice_watch")).content.decode()
    assert ending.title in html
    assert "Överenskommelsen upphör" in html


def test_notice_watch_is_open_to_a_superuser(login, superuser, db):
    agreement_ending_in(18, title="Snart dags att säga upp")
    response = login(superuser).get(reverse("agreements:notice_watch"))
    assert response.status_code == 200
    assert "Snart dags att säga upp" in response.content.decode()


def test_notice_watch_shows_an_editor_of_a_county_without_agreements_an_empty_list(login, kalmar_editor):
    response = login(kalmar_editor).get(reverse("agreements:notice_watch"))
    assert response.status_code == 200
    assert "Inget att bevaka" in response.content.decode()


# Query counts stay flat as agreements grow


def more_agreements(count: int = 49) -> None:
    for n in range(count):
        agreement(title=f"Överenskommelse {n}")


def assert_flat(client, path: str, django_assert_max_num_queries, *, grow=more_agreements) -> None:
    assert client.get(path).status_code == 200  # warm caches (content types, session, permissions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(path).status_code == 200
    grow()
    with django_assert_max_num_queries(len(few)):
        assert client.get(path).status_code == 200


def test_agreement_list_query_count_is_flat(client, adopted, django_assert_max_num_queries):
    assert_flat(client, reverse("agreements:list"), django_assert_max_num_queries)
    assert "50 överenskommelser" in client.get(reverse("agreements:list")).content.decode()


def test_agreement_page_query_count_is_flat(login, blekinge_editor, draft, django_assert_max_num_queries):
    assert_flat(login(blekinge_editor), detail_url(draft), django_assert_max_num_queries)


def test_responsibility_table_query_count_is_flat(
    login, ronneby_official, adopted, django_assert_max_num_queries
):
    assert_flat(login(ronneby_official), url("table", adopted, "vuxna"), django_assert_max_num_queries)


def test_search_query_count_is_flat(client, adopted, django_assert_max_num_queries):
    path = reverse("agreements:search") + "?q=hjälpmedel"
    assert_flat(client, path, django_assert_max_num_queries)
    assert "Träffar i 20 ansvarsfördelningar" in client.get(path).content.decode()  # the first page's rows


def test_search_shows_its_rows_a_page_at_a_time_up_to_what_it_finds(client, adopted):
    more_agreements(49)

    def page(number: int | None) -> str:
        query = {"q": "hjälpmedel", **({"sida": number} if number else {})}
        return client.get(reverse("agreements:search"), query).content.decode()

    pages = [page(None), page(2), page(3)]
    # 60 duties at most: the 50 that say hjälpmedlen, then 10 found by their row's name, in rows already
    # found: 50 rows, 20 a page.
    rows = [re.findall(r'<h4><a href="([^"]+)"', html) for html in pages]
    assert [len(r) for r in rows] == [20, 20, 10]
    assert len({row for page_rows in rows for row in page_rows}) == 50  # no row on two pages
    assert 'rel="next"' in pages[0] and 'rel="prev"' not in pages[0]
    assert 'rel="next"' in pages[1] and 'rel="prev"' in pages[1]
    assert 'rel="next"' not in pages[2] and "sida=2" in pages[2]
    assert "Nämns i" not in pages[1]  # the sections are on the first page
    assert re.findall(r'<h4><a href="([^"]+)"', page(99)) == rows[2]  # past the last page: the last page


def test_search_results_grow_with_matching_agreements(client, adopted):
    more_agreements(4)
    html = client.get(reverse("agreements:search"), {"q": "hjälpmedel"}).content.decode()
    assert "Träffar i 5 ansvarsfördelningar" in html


def test_editor_reorders_duties_with_htmx(client, blekinge_editor):
    from agreements import services as agreement_services
    from agreements.models import Duty as DutyModel
    from tests.factories import agreement as make_agreement

    version = make_agreement()
    draft = agreement_services.version_revision_create(agreement=version.agreement, by=None, reason="r")
    area = ResponsibilityArea.objects.get(version=draft, name="Hjälpmedel")
    area.version = draft
    added = agreement_services.duty_create(
        area=area, side="municipal", text="nytt åtagande", by=None, reason="r"
    )
    client.force_login(blekinge_editor)
    url = reverse("agreements:duty_change", args=[version.agreement_id, draft.number, added.pk])
    response = client.post(url, {"action": "up"}, headers={"hx-request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    first = DutyModel.objects.filter(area=area, side="municipal").order_by("order").first()
    assert first.pk == added.pk


def test_law_page_query_count_is_flat(client, adopted, django_assert_max_num_queries):
    assert_flat(client, reverse("agreements:law_detail", args=["LSS"]), django_assert_max_num_queries)


def test_law_page_shows_the_references_a_page_at_a_time(client, adopted, settings):
    from agreements import views

    more_agreements(3)
    views.LAW_REFERENCES_PER_PAGE, before = 2, views.LAW_REFERENCES_PER_PAGE
    try:
        first = client.get(reverse("agreements:law_detail", args=["LSS"]))
        assert len(first.context["page"]) == 2 and first.context["page"].has_next()
    finally:
        views.LAW_REFERENCES_PER_PAGE = before


def test_agreement_list_comes_a_page_at_a_time_and_keeps_the_county(client, adopted):
    from agreements import views

    more_agreements(3)
    views.AGREEMENTS_PER_PAGE, before = 2, views.AGREEMENTS_PER_PAGE
    try:
        page = client.get(reverse("agreements:list"), {"lan": "10"})
        assert len(page.context["rows"]) == 2
        assert "?lan=10&amp;sida=2" in page.content.decode()
        assert "4 överenskommelser" in page.content.decode()
    finally:
        views.AGREEMENTS_PER_PAGE = before


def test_the_agreement_page_shows_purpose_and_common_goals(client, adopted):
    from agreements.models import Agreement

    Agreement.objects.filter(pk=adopted.agreement_id).update(
        purpose="Syftet är att samverka kring den enskilde.",
        common_goals="- Ingen ska falla mellan stolarna.",
    )
    html = client.get(detail_url(adopted)).content.decode()
    assert '<h2 id="purpose-title">Syfte och gemensamma mål</h2>' in html
    assert "Syftet är att samverka kring den enskilde." in html
    assert "<li>Ingen ska falla mellan stolarna.</li>" in html


def test_an_agreement_without_purpose_has_no_empty_purpose_heading(client, adopted):
    assert "purpose-title" not in client.get(detail_url(adopted)).content.decode()


def test_a_cell_the_agreement_leaves_empty_is_shown_empty_without_invented_text(client, adopted):
    html = client.get(url("table", adopted, "vuxna")).content.decode()
    row = html[html.index('<th scope="row">Insatser enligt LSS') :]
    row = row[: row.index("</tr>")]
    assert "insatser enligt LSS 9 §" in row
    assert "Inget åtagande" not in html
    assert row.count("<li") == 1  # the municipal duty only; the region's cell is empty
