from datetime import timedelta

import feedparser
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from governance import services
from tests.governance.conftest import agenda, plan, record


def publish_protocol(board, meeting):
    record(board, meeting)
    user = board.region[0].user
    services.protocol_send_for_adjustment(meeting=meeting, adjusters=[user], by=board.secretary.user)
    services.protocol_adjust(meeting=meeting, by=user)
    return services.protocol_publish(meeting=meeting, by=board.secretary.user)


def test_body_calendar_parses_and_lists_public_meetings_only(client, board):
    public = agenda(board, timezone.now() + timedelta(days=30), "Ett")
    plan(board, timezone.now() + timedelta(days=60))  # planned: not public
    response = client.get(reverse("governance:body_calendar", args=[board.body.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["uid"]) for e in events] == [f"meeting-{public.pk}@samverkan"]
    assert events[0].decoded("dtstart") == public.starts_at.replace(microsecond=0)


def test_members_see_planned_meetings_in_their_own_calendar(client, board):
    planned = plan(board, timezone.now() + timedelta(days=60))
    client.force_login(board.region[0].user)
    events = Calendar.from_ical(client.get(reverse("governance:my_calendar")).content).walk("VEVENT")
    assert f"meeting-{planned.pk}@samverkan" in [str(e["uid"]) for e in events]


def test_personal_calendar_needs_a_login(client, db):
    response = client.get(reverse("governance:my_calendar"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_atom_feed_of_published_protocols_parses(client, board):
    meeting = publish_protocol(board, agenda(board, timezone.now() + timedelta(days=30), "Ett"))
    response = client.get(reverse("governance:protocol_feed", args=["10"]))
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    assert feed.version == "atom10"
    assert [entry.link.endswith(meeting.get_absolute_url()) for entry in feed.entries] == [True]


def test_unknown_county_feed_is_404(client, db):
    assert client.get(reverse("governance:protocol_feed", args=["99"])).status_code == 404
