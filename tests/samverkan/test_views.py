import re

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samverkan import services
from samverkan.models import Role, RoleAssignment
from samverkan.selectors import ACTING_SESSION_KEY
from tests.factories import county, organisation, person


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


# Start pages


def test_public_start_page_offers_login_and_the_counties(client, db):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="sv"' in html
    assert "Logga in" in html
    assert "Blekinge län" in html


def test_start_page_says_who_you_are_and_whom_you_act_for(login, karlskrona_official):
    html = login(karlskrona_official).get("/").content.decode()
    assert karlskrona_official.get_full_name() in html
    assert "agerar för <strong>Karlskrona kommun</strong>" in html
    assert "Som tjänsteperson" in html
    assert "Som administratör" not in html


def test_start_page_orients_an_administrator(login, blekinge_admin):
    html = login(blekinge_admin).get("/").content.decode()
    assert "Som administratör" in html
    assert reverse("role_people") in html


def test_start_page_orients_a_chair(login, lsvo_chair):
    assert "Som ordförande" in login(lsvo_chair).get("/").content.decode()


def test_swedish_is_the_default_even_for_an_english_browser(client, db):
    response = client.get("/", headers={"accept-language": "en-GB,en;q=0.9"})
    assert 'lang="sv"' in response.content.decode()
    assert response["Content-Language"] == "sv"


def test_english_can_be_chosen(client, db):
    response = client.get(reverse("language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert 'lang="en"' in html
    assert "Svenska" in html
    assert "Log in" in html


def test_the_language_switch_goes_back_only_to_the_portal_and_ignores_unknown_languages(client, db):
    away = client.get(reverse("language"), {"language": "en", "next": "https://evil.example/"})
    assert away.status_code == 302 and away["Location"] == "/"
    assert "no-store" in away["Cache-Control"]
    back = client.get(reverse("language"), {"language": "xx", "next": "/lan/?a=1"})
    assert back["Location"] == "/lan/?a=1" and "django_language" not in back.cookies
    assert client.post(reverse("language"), {"language": "en"}).status_code == 405


def test_the_language_form_is_a_get_without_a_csrf_token(client, db):
    html = client.get("/lan/").content.decode()
    form = re.search(r'<form class="language"[^>]*>.*?</form>', html, re.S).group(0)
    assert 'method="get"' in form and "csrfmiddlewaretoken" not in form


# Public reference pages


def test_county_pages_are_public(client, db):
    assert client.get(reverse("county_list")).status_code == 200
    response = client.get(reverse("county_detail", args=["10"]))
    assert response.status_code == 200
    assert "Ronneby kommun" in response.content.decode()


def test_unknown_county_is_404(client, db):
    assert client.get(reverse("county_detail", args=["99"])).status_code == 404


def test_county_page_query_count_does_not_grow_with_units(client, db, django_assert_max_num_queries):
    ronneby = organisation("1081")
    ronneby.units.create(name="Enhet 1")
    client.get(reverse("county_detail", args=["10"]))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("county_detail", args=["10"]))
    for n in range(2, 30):
        ronneby.units.create(name=f"Enhet {n}")
    organisation("1080").units.create(name="Socialförvaltningen")
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("county_detail", args=["10"]))


def test_accessibility_statement_is_public(client, db):
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    assert "Digg" in response.content.decode()


# Acting for an organisation


def test_official_cannot_act_for_another_municipality(login, karlskrona_official):
    client = login(karlskrona_official)
    response = client.post(reverse("acting_organisation_set"), {"organisation": organisation("1081").pk})
    assert response.status_code == 403
    assert ACTING_SESSION_KEY not in client.session


def test_acting_for_an_unknown_organisation_is_404(login, karlskrona_official):
    response = login(karlskrona_official).post(reverse("acting_organisation_set"), {"organisation": 999999})
    assert response.status_code == 404


def test_official_of_two_organisations_switches_between_them(login, db):
    both = person(
        "1080", (Role.OFFICIAL, organisation("1080")), (Role.OFFICIAL, organisation("1081")), username="tva"
    )
    client = login(both)
    response = client.post(reverse("acting_organisation_set"), {"organisation": organisation("1081").pk})
    assert response.status_code == 302
    assert "agerar för <strong>Ronneby kommun</strong>" in client.get("/").content.decode()


def test_acting_choice_is_get_only_refused(login, karlskrona_official):
    assert login(karlskrona_official).get(reverse("acting_organisation_set")).status_code == 405


# Role administration


def test_role_admin_list_is_forbidden_for_an_official(login, karlskrona_official):
    assert login(karlskrona_official).get(reverse("role_people")).status_code == 403


def test_role_admin_lists_people_of_own_county_only(login, blekinge_admin, ronneby_official, kalmar_official):
    html = login(blekinge_admin).get(reverse("role_people")).content.decode()
    assert ronneby_official.get_full_name() in html
    assert kalmar_official.get_full_name() not in html


def test_person_of_another_county_is_invisible_to_the_admin(login, blekinge_admin, kalmar_official):
    response = login(blekinge_admin).get(reverse("role_person", args=[kalmar_official.pk]))
    assert response.status_code == 404


def test_person_page_is_invisible_to_an_official(login, karlskrona_official, ronneby_official):
    response = login(karlskrona_official).get(reverse("role_person", args=[ronneby_official.pk]))
    assert response.status_code == 404


def test_admin_assigns_a_role_through_the_form(login, blekinge_admin, ronneby_official):
    client = login(blekinge_admin)
    url = reverse("role_person", args=[ronneby_official.pk])
    response = client.post(
        url, {"role": "editor", "scope": f"county:{county('10').pk}", "reason": "Ny redaktör"}
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=ronneby_official, role=Role.EDITOR)
    assert assignment.history.get().history_user == blekinge_admin
    assert User.objects.get(pk=ronneby_official.pk).has_perm("samverkan.edit_agreements", county("10"))


def test_admin_cannot_assign_a_role_in_another_county(login, blekinge_admin, ronneby_official):
    client = login(blekinge_admin)
    response = client.post(
        reverse("role_person", args=[ronneby_official.pk]),
        {"role": "official", "scope": f"organisation:{organisation('0880').pk}", "reason": "Fel"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Välj ett giltigt alternativ" in html
    assert 'aria-invalid="true"' in html
    assert (
        not RoleAssignment.objects.filter(user=ronneby_official, role=Role.OFFICIAL)
        .exclude(scope_id=organisation("1081").pk)
        .exists()
    )


def test_role_form_keeps_input_and_explains_a_missing_reason(login, blekinge_admin, ronneby_official):
    response = login(blekinge_admin).post(
        reverse("role_person", args=[ronneby_official.pk]),
        {"role": "editor", "scope": f"county:{county('10').pk}", "reason": ""},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html
    assert "Detta fält måste fyllas i." in html
    assert f'value="county:{county("10").pk}" selected' in html


def test_admin_removes_a_role_with_a_reason(login, blekinge_admin, ronneby_official):
    assignment = RoleAssignment.objects.get(user=ronneby_official)
    response = login(blekinge_admin).post(
        reverse("role_remove", args=["tilldelning", assignment.pk]), {"reason": "Slutat"}
    )
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert RoleAssignment.history.filter(id=assignment.pk, history_type="-").get().history_change_reason == (
        "Slutat"
    )


def test_removing_a_role_in_another_county_is_404(login, blekinge_admin, kalmar_official):
    assignment = RoleAssignment.objects.get(user=kalmar_official)
    response = login(blekinge_admin).post(
        reverse("role_remove", args=["tilldelning", assignment.pk]), {"reason": "x"}
    )
    assert response.status_code == 404
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_county_admin_role_cannot_be_removed_by_a_county_admin(login, blekinge_admin, db):
    other_admin = person("1080", (Role.COUNTY_ADMIN, county("10")), username="annan")
    assignment = RoleAssignment.objects.get(user=other_admin)
    response = login(blekinge_admin).post(
        reverse("role_remove", args=["tilldelning", assignment.pk]), {"reason": "x"}
    )
    assert response.status_code == 403


def test_superuser_makes_a_county_admin(login, superuser, ronneby_official):
    response = login(superuser).post(
        reverse("role_person", args=[ronneby_official.pk]),
        {"role": "county_admin", "scope": f"county:{county('10').pk}", "reason": "Ny admin"},
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=ronneby_official, role=Role.COUNTY_ADMIN).exists()


def test_role_list_query_count_is_flat(login, blekinge_admin, lsvo, django_assert_max_num_queries):
    client = login(blekinge_admin)
    person("1081", (Role.OFFICIAL, organisation("1081")), (Role.MEMBER, lsvo))
    client.get(reverse("role_people"))  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("role_people")).status_code == 200
    for _ in range(30):
        person(
            "1080", (Role.OFFICIAL, organisation("1080")), (Role.MEMBER, lsvo), (Role.EDITOR, county("10"))
        )
    with django_assert_max_num_queries(len(few)):
        assert client.get(reverse("role_people")).status_code == 200


def test_person_page_query_count_is_flat(login, blekinge_admin, lsvo, django_assert_max_num_queries):
    client = login(blekinge_admin)
    target = person(
        "1081", (Role.OFFICIAL, organisation("1081")), (Role.MEMBER, lsvo), (Role.EDITOR, county("10"))
    )
    client.get(reverse("role_person", args=[target.pk]))  # warm caches
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("role_person", args=[target.pk]))
    for code in ["1080", "1082", "1083", "1060", "R10"]:
        services.role_assign(user=target, role=Role.OFFICIAL, scope=organisation(code), by=None, reason="x")
    services.role_assign(user=target, role=Role.CHAIR, scope=lsvo, by=None, reason="x")
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("role_person", args=[target.pk]))


def test_public_start_page_query_count_does_not_grow_with_agreements_and_bodies(
    client, db, django_assert_max_num_queries
):
    from tests.factories import BodyFactory, agreement

    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("home")).status_code == 200
    for code in ("10", "08", "22"):
        agreement(county=code)
        BodyFactory(county=county(code))
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("home"))


@pytest.mark.parametrize(
    ("role", "scope", "message"),
    [
        (
            "editor",
            "organisation:1081",
            "Rollen redaktör för länets överenskommelser gäller ett län – välj ett sådant i listan.",
        ),
        ("official", "county:10", "Rollen tjänsteperson gäller en organisation – välj en sådan i listan."),
    ],
)
def test_a_scope_of_the_wrong_kind_is_explained_with_the_nouns_gender(blekinge_admin, role, scope, message):
    from samverkan.forms import RoleAssignForm

    kind, code = scope.split(":")
    pk = county(code).pk if kind == "county" else organisation(code).pk
    form = RoleAssignForm({"role": role, "scope": f"{kind}:{pk}", "reason": "Ny"}, admin=blekinge_admin)
    assert not form.is_valid()
    assert form.errors["scope"] == [message]


def test_the_wrong_scope_message_for_a_body_says_ett_samverkansorgan():
    from samverkan.forms import WRONG_SCOPE

    assert str(WRONG_SCOPE["body"]) % {"role": "ordförande"} == (
        "Rollen ordförande gäller ett samverkansorgan – välj ett sådant i listan."
    )


def test_favicon_ico_leads_to_the_icon_and_every_page_links_it(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and "favicon" in response["Location"]
    assert 'rel="icon"' in client.get(reverse("home")).text


def test_a_county_page_leads_to_the_countys_agreements_bodies_and_statistics(client, db):
    html = client.get(reverse("county_detail", args=["10"])).text
    for name in ("agreements:list", "governance:directory", "deviations:statistics"):
        assert f'href="{reverse(name)}?lan=10"' in html


def test_htmx_never_copies_a_style_attribute_which_the_csp_would_refuse(client, db):
    import json
    import re

    html = client.get(reverse("home")).text
    config = json.loads(re.search(r"<meta name=\"htmx-config\" content='([^']*)'", html)[1])
    assert config["includeIndicatorStyles"] is False
    assert "style" not in config["attributesToSettle"]
