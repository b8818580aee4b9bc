"""The open data API for bodies and meetings: only published agendas and protocols, members' functions
but never their names or contact data."""

from datetime import timedelta

from django.utils import timezone

from governance import services
from governance.models import AgendaItem
from tests.governance.conftest import agenda, plan, record, submit

API = "/api/v1"


def publish_protocol(board, meeting):
    record(board, meeting)
    user = board.region[0].user
    services.protocol_send_for_adjustment(meeting=meeting, adjusters=[user], by=board.secretary.user)
    services.protocol_adjust(meeting=meeting, by=user)
    return services.protocol_publish(meeting=meeting, by=board.secretary.user)


def test_body_lists_seats_and_members_functions_without_names_or_addresses(client, board):
    board.chair.function = "Socialchef"
    board.chair.save(update_fields=["function"])
    data = client.get(f"{API}/bodies/{board.body.pk}").json()
    assert data["name"] == "Ledningssamverkan vård och omsorg"
    assert {"role": "chair", "function": "Socialchef"}.items() <= data["members"][0].items()
    assert data["members"][0]["organisation"]["name"] == "Sölvesborgs kommun"
    for n, membership in enumerate(board.memberships()):  # names that no place or body name contains
        membership.user.last_name = f"Hemlignamn{n}"
        membership.user.save(update_fields=["last_name"])
    text = client.get(f"{API}/bodies/{board.body.pk}").content.decode()
    for membership in board.memberships():
        assert membership.user.email not in text
        assert membership.user.last_name not in text
        assert membership.user.username not in text


def test_bodies_filter_by_county_and_level(client, board):
    assert client.get(f"{API}/bodies?county=10").json()["count"] == 1
    assert client.get(f"{API}/bodies?county=08").json()["count"] == 0
    assert client.get(f"{API}/bodies?level=tactical").json()["count"] == 1
    assert client.get(f"{API}/bodies?level=political").json()["count"] == 0


def test_a_planned_meeting_and_its_agenda_are_invisible(client, board):
    planned = plan(board, timezone.now() + timedelta(days=60))
    submit(board, planned, "Hemligt förslag")
    assert client.get(f"{API}/meetings").json()["count"] == 0
    assert client.get(f"{API}/meetings/{planned.pk}").status_code == 404


def test_a_published_agenda_shows_accepted_items_only_and_no_protocol(client, board):
    meeting = plan(board, timezone.now() + timedelta(days=40))
    for title, decision in [
        ("Årsrapport", AgendaItem.Status.ACCEPTED),
        ("Ej aktuellt", AgendaItem.Status.REJECTED),
    ]:
        services.agenda_item_decide(
            item=submit(board, meeting, title), decision=decision, by=board.secretary.user
        )
    services.agenda_publish(
        meeting=meeting, by=board.secretary.user, now=meeting.agenda_deadline - timedelta(days=1)
    )
    record(board, meeting)  # a protocol draft exists, but is not published
    data = client.get(f"{API}/meetings/{meeting.pk}").json()
    assert [item["title"] for item in data["agenda"]] == ["Årsrapport"]
    assert data["protocol"] is None
    assert data["protocol_public"] is False


def test_a_published_protocol_has_paragraphs_and_attendance_by_function(client, board):
    meeting = publish_protocol(board, agenda(board, timezone.now() + timedelta(days=30), "Budget"))
    data = client.get(f"{API}/meetings/{meeting.pk}").json()
    assert data["protocol"]["paragraphs"][0]["title"] == "Budget"
    assert "present" in {a["presence"] for a in data["protocol"]["attendance"]}
    assert "name" not in data["protocol"]["attendance"][0]
    assert board.region[0].user.email not in str(data)


def test_meetings_filter_by_body_county_protocol_and_dates(client, board, lsvo):
    published = publish_protocol(board, agenda(board, timezone.now() + timedelta(days=30), "Ett"))
    agenda_only = agenda(board, timezone.now() + timedelta(days=50), "Två")

    def ids(query):
        return [m["id"] for m in client.get(f"{API}/meetings?{query}").json()["items"]]

    assert ids("") == [agenda_only.pk, published.pk]
    assert ids(f"body={lsvo.pk}&county=10") == [agenda_only.pk, published.pk]
    assert ids("county=08") == []
    assert ids("protocol_published=true") == [published.pk]
    assert ids("protocol_published=false") == [agenda_only.pk]
    day = timezone.localtime(agenda_only.starts_at).date()
    assert ids(f"since={day}") == [agenda_only.pk]
    assert ids(f"until={day - timedelta(days=1)}") == [published.pk]


def test_a_conditional_request_for_an_unchanged_meeting_gets_304(client, board):
    meeting = publish_protocol(board, agenda(board, timezone.now() + timedelta(days=30), "Ett"))
    first = client.get(f"{API}/meetings/{meeting.pk}")
    assert first["Last-Modified"]
    assert (
        client.get(f"{API}/meetings/{meeting.pk}", headers={"if-none-match": first["ETag"]}).status_code
        == 304
    )
    again = client.get(f"{API}/meetings/{meeting.pk}", headers={"if-modified-since": first["Last-Modified"]})
    assert again.status_code == 304


def test_meeting_list_and_detail_take_flat_queries(client, board, django_assert_max_num_queries):
    meetings = [agenda(board, timezone.now() + timedelta(days=30), "Ett")]

    def count(url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small_list, small_detail = count(f"{API}/meetings"), count(f"{API}/meetings/{meetings[0].pk}")
    for days in (35, 40, 45):
        meetings.append(agenda(board, timezone.now() + timedelta(days=days), "Ett", "Två", "Tre"))
    with django_assert_max_num_queries(small_list):
        client.get(f"{API}/meetings")
    with django_assert_max_num_queries(small_detail):
        client.get(f"{API}/meetings/{meetings[-1].pk}")
