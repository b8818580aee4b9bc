"""Loading the demo in other conditions than test_demo.py's shared world: in production, and on a given
day."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings


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
