"""One truth for body roles: a chair, secretary or member given from /roller/ is a membership of the body,
so governance and deviations (which decide from memberships) let the person do what the role says."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deviations import permissions as case_permissions
from governance import permissions as body_permissions
from governance.models import Membership
from samverkan.models import Role, RoleAssignment
from samverkan.selectors import holders_of, roles_of
from tests.factories import BodyFactory, county, organisation, person


@pytest.fixture
def admin_client(client, blekinge_admin):
    client.force_login(blekinge_admin)
    return client


def give(client, user, role: str, body) -> object:
    return client.post(
        reverse("role_person", args=[user.pk]),
        {"role": role, "scope": f"body:{body.pk}", "reason": "Utsedd av LSVO"},
    )


def test_a_secretary_given_from_roller_can_run_the_bodys_meetings(admin_client, karlskrona_official, lsvo):
    assert not body_permissions.can_run_meetings(karlskrona_official, lsvo)
    response = give(admin_client, karlskrona_official, Role.SECRETARY, lsvo)
    assert response.status_code == 302
    membership = Membership.objects.get(user=karlskrona_official, body=lsvo)
    assert (membership.role, membership.organisation, membership.starts_on) == (
        Membership.Role.SECRETARY,
        organisation("1080"),
        timezone.localdate(),
    )
    assert membership.history.get().history_change_reason == "Utsedd av LSVO"
    assert body_permissions.can_run_meetings(karlskrona_official, lsvo)
    assert karlskrona_official in holders_of(Role.SECRETARY, lsvo)
    assert not RoleAssignment.objects.filter(user=karlskrona_official, role=Role.SECRETARY).exists()


def test_a_chair_given_from_roller_leads_the_body_and_may_report(admin_client, karlskrona_official, lsvo):
    give(admin_client, karlskrona_official, Role.CHAIR, lsvo)
    assert lsvo in case_permissions.bodies_led_by(karlskrona_official)
    assert case_permissions.can_report(karlskrona_official)


def test_the_start_page_shows_the_card_of_a_role_given_on_the_bodys_page(client, karlskrona_official, lsvo):
    from governance import services

    services.membership_add(
        body=lsvo,
        user=karlskrona_official,
        organisation=organisation("1080"),
        role=Membership.Role.SECRETARY,
        starts_on=timezone.localdate() - timedelta(days=30),
        by=None,
        reason="Vald",
    )
    client.force_login(karlskrona_official)
    html = client.get("/").content.decode()
    assert "Som sekreterare" in html
    assert "Sekreterare: LSVO" in html


def test_a_membership_is_listed_on_roller_and_ending_it_there_ends_the_membership(
    admin_client, karlskrona_official, lsvo
):
    from governance import services

    membership = services.membership_add(
        body=lsvo,
        user=karlskrona_official,
        organisation=organisation("1080"),
        role=Membership.Role.SECRETARY,
        starts_on=timezone.localdate() - timedelta(days=30),
        by=None,
        reason="Vald",
    )
    page = admin_client.get(reverse("role_person", args=[karlskrona_official.pk])).content.decode()
    remove_url = reverse("role_remove", args=["organ", membership.pk])
    assert remove_url in page
    response = admin_client.post(remove_url, {"reason": "Avgått"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.ends_on == timezone.localdate() - timedelta(days=1)
    assert membership.history.first().history_change_reason == "Avgått"
    assert not body_permissions.can_run_meetings(karlskrona_official, lsvo)
    assert (Role.SECRETARY, lsvo.pk) not in {(h.role, h.scope.pk) for h in roles_of(karlskrona_official)}


def test_ending_a_role_given_today_withdraws_the_membership_and_keeps_its_history(
    admin_client, karlskrona_official, lsvo
):
    give(admin_client, karlskrona_official, Role.MEMBER, lsvo)
    membership = Membership.objects.get(user=karlskrona_official, body=lsvo)
    admin_client.post(reverse("role_remove", args=["organ", membership.pk]), {"reason": "Fel person"})
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert Membership.history.filter(id=membership.pk, history_type="-").get().history_change_reason == (
        "Fel person"
    )


def test_a_body_role_in_another_county_cannot_be_ended_by_the_admin(admin_client, db):
    from governance import services

    kalmar_body = BodyFactory(county=county("08"), name="LLS", abbreviation="LLS")
    kalmar_person = person("0880", username="kalmarbo")
    membership = services.membership_add(
        body=kalmar_body,
        user=kalmar_person,
        organisation=organisation("0880"),
        role=Membership.Role.CHAIR,
        starts_on=timezone.localdate(),
        by=None,
        reason="Vald",
    )
    response = admin_client.post(reverse("role_remove", args=["organ", membership.pk]), {"reason": "x"})
    assert response.status_code == 404
    assert Membership.objects.filter(pk=membership.pk, ends_on__isnull=True).exists()


def test_an_unknown_kind_of_role_record_is_404(admin_client, karlskrona_official):
    response = admin_client.post(reverse("role_remove", args=["okant", 1]), {"reason": "x"})
    assert response.status_code == 404


def test_a_person_without_an_organisation_gets_a_message_next_to_the_field(client, superuser, lsvo):
    homeless = person(None, username="utan")
    client.force_login(superuser)
    response = give(client, homeless, Role.MEMBER, lsvo)
    assert response.status_code == 400
    assert "Personen har ingen organisation" in response.content.decode()
    assert not Membership.objects.filter(user=homeless).exists()


def test_giving_a_body_role_twice_keeps_one_membership(admin_client, karlskrona_official, lsvo):
    give(admin_client, karlskrona_official, Role.MEMBER, lsvo)
    give(admin_client, karlskrona_official, Role.MEMBER, lsvo)
    assert Membership.objects.filter(user=karlskrona_official, body=lsvo).count() == 1


def test_holders_of_answers_for_core_roles_over_several_scopes(karlskrona_official, ronneby_official, db):
    officials = holders_of(Role.OFFICIAL, [organisation("1080").pk, organisation("1081").pk])
    assert set(officials) == {karlskrona_official, ronneby_official}
    assert list(holders_of(Role.OFFICIAL, organisation("1080"))) == [karlskrona_official]


def test_holders_of_leaves_out_deactivated_people(karlskrona_official, db):
    karlskrona_official.is_active = False
    karlskrona_official.save(update_fields=["is_active"])
    assert not holders_of(Role.OFFICIAL, organisation("1080")).exists()


def test_holders_of_refuses_roles_recorded_in_different_places(lsvo, db):
    with pytest.raises(ValueError):
        holders_of([Role.EDITOR, Role.CHAIR], lsvo)
