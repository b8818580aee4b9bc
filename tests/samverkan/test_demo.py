"""The demo world as ``make run`` loads it. Loaded once for the module and rolled back at its end; each test
runs in a savepoint of its own (tests/shared.py). Loading it in other conditions: test_demo_loading.py."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import override_settings

from samverkan.demo.loader import USERS
from samverkan.models import Role, RoleAssignment
from samverkan.roles import scope_county
from samverkan.selectors import roles_by_user
from tests.shared import built_once, load_demo


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, load_demo, media_root=tmp_path_factory.mktemp("demo-media")):
        yield


@pytest.fixture
def demo(demo_world, db):
    """The demo world, the same for every test of the module."""


def test_demo_has_a_user_for_every_role_in_each_seed_county(demo):
    for county_code in ["10", "08", "22"]:
        roles = set()
        for held in (
            h
            for user_roles in roles_by_user(User.objects.values_list("pk", flat=True)).values()
            for h in user_roles
        ):
            if scope_county(held.scope).code == county_code:
                roles.add(held.role)
        assert roles == set(Role.values) - {Role.VICE_CHAIR}, county_code


def test_demo_load_is_idempotent(demo):
    from governance.models import Meeting, Membership

    counts = (RoleAssignment.objects.count(), Membership.objects.count(), Meeting.objects.count())
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=io.StringIO())
    assert (RoleAssignment.objects.count(), Membership.objects.count(), Meeting.objects.count()) == counts
    body_roles = {Role.CHAIR, Role.SECRETARY, Role.MEMBER}
    assert counts[0] >= sum(1 for u in USERS for role, _scope in u.roles if role not in body_roles)


def test_demo_has_a_year_of_lsvo_meetings_with_one_protocol_awaiting_adjustment(demo):
    from governance.models import Decision, Meeting

    statuses = list(Meeting.objects.filter(body__abbreviation="LSVO").values_list("status", flat=True))
    assert statuses.count(Meeting.Status.PUBLISHED) >= 8
    assert statuses.count(Meeting.Status.IN_ADJUSTMENT) == 1
    assert Decision.objects.filter(status=Decision.Status.OPEN).exists()


def test_demo_users_can_log_in_with_the_demo_password(client, demo):
    assert client.login(username="tjansteperson.ronneby", password="samverkan-demo")


def test_demo_procedural_items_are_no_decisions_to_follow_up(demo):
    from governance.models import AgendaItem, Decision, Paragraph

    procedural = Paragraph.objects.filter(item__kind=AgendaItem.Kind.PROCEDURAL)
    assert set(procedural.values_list("title", flat=True)) == {
        "Mötets öppnande",
        "Val av justerare",
        "Mötets avslutande",
    }
    assert not Decision.objects.filter(paragraph__in=procedural).exists()
    assert Decision.objects.exists()
