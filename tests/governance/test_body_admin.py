"""A county administrator sets up the county's bodies in the browser: create, edit, end, seats, members."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from governance import services
from governance.models import Body, Membership, Seat
from samverkan import selectors as core_selectors
from samverkan.models import Role
from tests.factories import BodyFactory, county, organisation, person


def body_data(**changes) -> dict:
    data = {
        "name": "Samverkansgrupp Barn och unga",
        "abbreviation": "SG Barn",
        "level": Body.Level.TACTICAL,
        "agenda_notice_days": 7,
        "item_deadline_days": 7,
        "quorum_rule": Body.Quorum.MAJORITY,
    }
    return data | changes


# Who may


def test_the_new_body_page_is_404_for_another_countys_admin_and_an_official(
    login, kalmar_admin, karlskrona_official
):
    assert login(kalmar_admin).get(reverse("governance:body_new", args=["10"])).status_code == 404
    assert login(karlskrona_official).get(reverse("governance:body_new", args=["10"])).status_code == 404


def test_a_body_is_administered_only_by_its_countys_admins(
    client, login, lsvo, kalmar_admin, lsvo_chair, blekinge_admin
):
    url = reverse("governance:body_admin", args=[lsvo.pk])
    assert client.get(url).status_code == 302
    assert login(lsvo_chair).get(url).status_code == 403
    assert login(kalmar_admin).get(url).status_code == 403  # the body is public; administering it is not
    assert login(blekinge_admin).get(url).status_code == 200


def test_the_body_page_links_its_administration_for_its_admin_only(login, lsvo, blekinge_admin, lsvo_chair):
    admin_url = reverse("governance:body_admin", args=[lsvo.pk])
    assert admin_url in login(blekinge_admin).get(lsvo.get_absolute_url()).content.decode()
    assert admin_url not in login(lsvo_chair).get(lsvo.get_absolute_url()).content.decode()


# Creating and editing


def test_an_admin_creates_a_body_reporting_to_two_bodies(login, blekinge_admin):
    a, b = BodyFactory(name="Länsgrupp A"), BodyFactory(name="Länsgrupp B")
    response = login(blekinge_admin).post(
        reverse("governance:body_new", args=["10"]), body_data(parents=[a.pk, b.pk], valid_from="2027-01-01")
    )
    assert response.status_code == 302
    body = Body.objects.get(name="Samverkansgrupp Barn och unga")
    assert body.county == county("10")
    assert set(body.parents.all()) == {a, b}
    assert body.valid_from == date(2027, 1, 1)
    assert body.history.first().history_user == blekinge_admin


def test_a_body_of_another_county_is_not_a_parent_choice(login, blekinge_admin):
    kalmar = BodyFactory(county=county("08"), name="Kalmars grupp")
    response = login(blekinge_admin).post(
        reverse("governance:body_new", args=["10"]), body_data(parents=[kalmar.pk])
    )
    assert response.status_code == 400
    assert "parents" in response.context["form"].errors


def test_a_loop_is_refused_next_to_the_field_and_nothing_is_saved(login, blekinge_admin):
    top = BodyFactory(name="Topp")
    child = BodyFactory(name="Under", parent=top)
    response = login(blekinge_admin).post(
        reverse("governance:body_admin", args=[top.pk]), body_data(name="Topp", parents=[child.pk])
    )
    assert response.status_code == 400
    assert "inte rapportera till sig självt" in str(response.context["form"].errors["parents"])
    top.refresh_from_db()
    assert top.name == "Topp" and not top.parents.exists()


def test_a_duplicate_name_in_the_county_is_refused(login, blekinge_admin, lsvo):
    response = login(blekinge_admin).post(
        reverse("governance:body_new", args=["10"]), body_data(name=lsvo.name)
    )
    assert response.status_code == 400


# Ending


def test_an_ended_body_stays_readable_ends_its_terms_and_takes_no_meetings(login, blekinge_admin, lsvo):
    chair = services.member_seat(
        body=lsvo,
        user=person("1082"),
        organisation=organisation("1082"),
        role=Membership.Role.CHAIR,
        starts_on=date(2025, 1, 1),
        by=None,
        reason="Test",
    )
    yesterday = timezone.localdate() - timedelta(days=1)
    response = login(blekinge_admin).post(
        reverse("governance:body_end", args=[lsvo.pk]),
        {"last_day": yesterday.isoformat(), "reason": "Ny organisation"},
    )
    assert response.status_code == 302
    lsvo.refresh_from_db()
    assert lsvo.valid_to == yesterday
    chair.refresh_from_db()
    assert chair.ends_on == yesterday
    assert core_selectors.roles_of(chair.user) == []
    assert login(blekinge_admin).get(lsvo.get_absolute_url()).status_code == 200
    with pytest.raises(ValidationError):
        services.meeting_plan(body=lsvo, starts_at=timezone.now() + timedelta(days=30), location="", by=None)


# Seats and members


def test_an_admin_adds_and_removes_a_seat(login, blekinge_admin, lsvo):
    client = login(blekinge_admin)
    response = client.post(
        reverse("governance:seat_add", args=[lsvo.pk]),
        {"function": "Socialchef", "organisation": organisation("1081").pk, "count": 2},
    )
    assert response.status_code == 302
    seat = Seat.objects.get(body=lsvo, function="Socialchef")
    assert seat.count == 2
    client.post(reverse("governance:seat_remove", args=[seat.pk]))
    assert not Seat.objects.filter(pk=seat.pk).exists()


def test_a_seat_of_another_countys_organisation_is_refused(login, blekinge_admin, lsvo):
    response = login(blekinge_admin).post(
        reverse("governance:seat_add", args=[lsvo.pk]),
        {"function": "Chef", "organisation": organisation("0880").pk, "count": 1},
    )
    assert response.status_code == 400


def test_a_membership_gives_the_role_and_ending_it_takes_it_away(
    login, blekinge_admin, lsvo, ronneby_official
):
    client = login(blekinge_admin)
    today = timezone.localdate()
    response = client.post(
        reverse("governance:member_add", args=[lsvo.pk]),
        {
            "user": ronneby_official.pk,
            "role": Membership.Role.SECRETARY,
            "starts_on": (today - timedelta(days=10)).isoformat(),
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(body=lsvo, user=ronneby_official)
    assert membership.organisation == organisation("1081")  # their own, when none is chosen
    assert Role.SECRETARY in {h.role for h in core_selectors.roles_of(ronneby_official)}
    client.post(
        reverse("governance:membership_end", args=[membership.pk]),
        {"ends_on": (today - timedelta(days=1)).isoformat()},
    )
    assert Role.SECRETARY not in {h.role for h in core_selectors.roles_of(ronneby_official)}


def test_a_second_chair_for_the_same_period_is_refused(
    login, blekinge_admin, lsvo, lsvo_chair, ronneby_official
):
    response = login(blekinge_admin).post(
        reverse("governance:member_add", args=[lsvo.pk]),
        {
            "user": ronneby_official.pk,
            "role": Membership.Role.CHAIR,
            "starts_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 400
    assert "redan en ordförande" in str(response.context["member_form"].errors["role"])


def test_a_person_of_another_county_cannot_be_seated(login, blekinge_admin, lsvo, kalmar_official):
    response = login(blekinge_admin).post(
        reverse("governance:member_add", args=[lsvo.pk]),
        {
            "user": kalmar_official.pk,
            "role": Membership.Role.MEMBER,
            "starts_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 400
    assert "user" in response.context["member_form"].errors


def test_the_administration_page_takes_the_same_queries_for_more_members(
    login, blekinge_admin, lsvo, django_assert_max_num_queries
):
    client = login(blekinge_admin)
    url = reverse("governance:body_admin", args=[lsvo.pk])
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for code in ("1080", "1081", "1082", "1083"):
        services.member_seat(
            body=lsvo,
            user=person(code),
            organisation=organisation(code),
            role="member",
            starts_on=date(2025, 1, 1),
            by=None,
            reason="Test",
        )
        Seat.objects.create(body=lsvo, function="Chef", organisation=organisation(code))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_directory_offers_a_new_body_to_the_countys_admin(login, blekinge_admin, karlskrona_official):
    new = reverse("governance:body_new", args=["10"])
    assert new in login(blekinge_admin).get(reverse("governance:directory"), {"lan": "10"}).content.decode()
    assert (
        new
        not in login(karlskrona_official).get(reverse("governance:directory"), {"lan": "10"}).content.decode()
    )


def test_the_directory_opens_in_the_county_a_county_administrator_works_in(login, kalmar_admin):
    response = login(kalmar_admin).get(reverse("governance:directory"))
    assert response.context["county"] == county("08")
