import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from samverkan import selectors, services
from samverkan.models import Role, RoleAssignment
from tests.factories import UserFactory, county, organisation


def test_assigning_the_official_role_lets_the_user_act_for_the_organisation(db, blekinge_admin):
    user = UserFactory()
    ronneby = organisation("1081")
    services.role_assign(user=user, role=Role.OFFICIAL, scope=ronneby, by=blekinge_admin, reason="Ny")
    user = User.objects.get(pk=user.pk)  # fresh permission cache
    assert user.has_perm("samverkan.act_for_organisation", ronneby)
    assert not user.groups.exists()


def test_assignment_is_recorded_in_history_with_who_and_why(db, blekinge_admin):
    user = UserFactory()
    held = services.role_assign(
        user=user, role=Role.EDITOR, scope=county("10"), by=blekinge_admin, reason="Ny redaktör"
    )
    record = RoleAssignment.objects.get(pk=held.held_id).history.get()
    assert record.history_type == "+"
    assert record.history_user == blekinge_admin
    assert record.history_change_reason == "Ny redaktör"


def test_assigning_a_role_twice_keeps_one_assignment(db):
    user = UserFactory()
    first = services.role_assign(user=user, role=Role.EDITOR, scope=county("10"), by=None, reason="a")
    second = services.role_assign(user=user, role=Role.EDITOR, scope=county("10"), by=None, reason="b")
    assert first == second
    assert RoleAssignment.objects.filter(user=user).count() == 1


def test_a_role_cannot_be_scoped_to_the_wrong_kind_of_object(db):
    with pytest.raises(ValidationError):
        services.role_assign(
            user=UserFactory(), role=Role.OFFICIAL, scope=county("10"), by=None, reason="fel"
        )
    assert not RoleAssignment.objects.exists()


def test_removing_a_role_withdraws_the_permission_and_keeps_the_history(db, blekinge_admin):
    user = UserFactory()
    karlskrona = organisation("1080")
    held = services.role_assign(user=user, role=Role.OFFICIAL, scope=karlskrona, by=None, reason="a")
    services.role_end(held=held, by=blekinge_admin, reason="Slutat")
    user = User.objects.get(pk=user.pk)
    assert not user.has_perm("samverkan.act_for_organisation", karlskrona)
    deleted = RoleAssignment.history.filter(history_type="-").get()
    assert (deleted.history_user, deleted.history_change_reason) == (blekinge_admin, "Slutat")


def test_removing_one_of_two_official_roles_keeps_the_other(db):
    user = UserFactory()
    first = services.role_assign(
        user=user, role=Role.OFFICIAL, scope=organisation("1080"), by=None, reason="a"
    )
    services.role_assign(user=user, role=Role.OFFICIAL, scope=organisation("1081"), by=None, reason="a")
    services.role_end(held=first, by=None, reason="b")
    assert fresh_user(user).has_perm("samverkan.act_for_organisation", organisation("1081"))


def fresh_user(user):
    return User.objects.get(pk=user.pk)


def test_person_is_created_with_a_profile(db):
    user = services.person_create(
        username="ny", password=None, organisation=organisation("1081"), title="Chef", by=None, reason="Test"
    )
    assert user.profile.organisation.code == "1081"
    assert not user.has_usable_password()


def test_login_is_blocked_after_the_limit_of_failures(db):
    for _ in range(3):
        services.login_failure_record(username="rut", ip_address="10.0.0.1")
    assert selectors.login_is_blocked(username="RUT", ip_address="10.9.9.9", limit=3, window_seconds=60)
    assert not selectors.login_is_blocked(username="karin", ip_address="10.9.9.9", limit=3, window_seconds=60)


def test_a_successful_login_forgets_earlier_failures(db):
    services.login_failure_record(username="rut", ip_address=None)
    services.login_success_record(username="rut", window_seconds=60)
    assert not selectors.login_is_blocked(username="rut", ip_address=None, limit=1, window_seconds=60)
