import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from samverkan.demo import USERS
from samverkan.models import Role, RoleAssignment


@pytest.fixture
def demo(db):
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=io.StringIO())


def test_demo_has_a_user_for_every_role_in_each_seed_county(demo):
    for county_code in ["10", "08", "22"]:
        roles = set()
        for assignment in RoleAssignment.objects.all():
            scope = assignment.scope
            code = scope.code if assignment.role in (Role.EDITOR, Role.COUNTY_ADMIN) else scope.county.code
            if code == county_code:
                roles.add(assignment.role)
        assert roles == set(Role.values), county_code


def test_demo_load_is_idempotent(demo):
    from governance.models import Meeting, Membership

    counts = (RoleAssignment.objects.count(), Membership.objects.count(), Meeting.objects.count())
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=io.StringIO())
    assert (RoleAssignment.objects.count(), Membership.objects.count(), Meeting.objects.count()) == counts
    assert counts[0] >= sum(len(u.roles) for u in USERS)


def test_demo_has_a_year_of_lsvo_meetings_with_one_protocol_awaiting_adjustment(demo):
    from governance.models import Decision, Meeting

    statuses = list(Meeting.objects.filter(body__abbreviation="LSVO").values_list("status", flat=True))
    assert statuses.count(Meeting.Status.PUBLISHED) >= 8
    assert statuses.count(Meeting.Status.IN_ADJUSTMENT) == 1
    assert Decision.objects.filter(status=Decision.Status.OPEN).exists()


def test_demo_users_can_log_in_with_the_demo_password(client, demo):
    assert client.login(username="tjansteperson.ronneby", password="samverkan-demo")


def test_demo_data_is_refused_in_production(db):
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")


def test_demo_loaded_before_a_meeting_gives_it_an_agenda_but_no_protocol(db, monkeypatch):
    """Loaded on 20 June 2026, the demo has protocols up to June's meeting and none after."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from governance.models import Meeting, Paragraph

    loaded = datetime(2026, 6, 20, 12, tzinfo=ZoneInfo("Europe/Stockholm"))
    monkeypatch.setattr(timezone, "now", lambda: loaded)
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=io.StringIO())
    lsvo = Meeting.objects.filter(body__abbreviation="LSVO", body__county__code="10")
    assert not Paragraph.objects.filter(meeting__starts_at__gt=loaded).exists()
    assert not lsvo.filter(starts_at__gt=loaded, quorate__isnull=False).exists()
    assert lsvo.filter(starts_at__gt=loaded, status=Meeting.Status.AGENDA_PUBLISHED).count() == 3
    assert lsvo.filter(starts_at__lt=loaded, status=Meeting.Status.PUBLISHED).count() >= 5


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
