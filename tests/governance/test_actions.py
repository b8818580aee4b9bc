"""The secretary's and members' actions through HTTP: the whole meeting cycle, and who may do what."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from governance.models import AgendaItem, Attendance, Correction, Meeting, Paragraph
from tests.governance.conftest import agenda, begin, plan, record


def post(client, user, name, pk, data=None, **headers):
    client.force_login(user)
    return client.post(reverse(f"governance:{name}", args=[pk]), data or {}, headers=headers)


def test_the_whole_meeting_cycle_through_the_portal(
    client, board, django_capture_on_commit_callbacks, run_tasks
):
    secretary, member = board.secretary.user, board.region[0].user
    meeting = plan(board, timezone.now() + timedelta(days=30))
    response = post(
        client,
        member,
        "item_submit",
        meeting.pk,
        {"title": "Årsrapport", "kind": "decision", "proposal": "Godkänns."},
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=meeting)
    assert item.status == AgendaItem.Status.SUBMITTED
    assert post(client, secretary, "item_decide", item.pk, {"decision": "accepted"}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, secretary, "agenda_publish", meeting.pk).status_code == 302
    assert mail.outbox == []  # the request only queued the notice
    assert [r.task.name for r in run_tasks()] == ["agenda_members_notify_run"]
    assert {board.members[0].user.email} <= {m.to[0] for m in mail.outbox}
    presence = {
        f"m{m.pk}": Attendance.Presence.PRESENT for m in [board.chair, board.secretary, *board.members]
    }
    begin(meeting)  # the day of the meeting
    client.force_login(secretary)
    assert client.get(reverse("governance:attendance", args=[meeting.pk])).status_code == 200
    assert client.post(reverse("governance:attendance", args=[meeting.pk]), presence).status_code == 302
    paragraph = Paragraph.objects.get(meeting=meeting)
    post(
        client, secretary, "paragraph_save", paragraph.pk, {"notes": "Diskuterades.", "decision": "Godkänns."}
    )
    adjusters = {"adjusters": [str(member.pk)]}
    assert post(client, secretary, "adjustment_send", meeting.pk, adjusters).status_code == 302
    assert post(client, member, "adjust", meeting.pk).status_code == 302
    assert post(client, secretary, "protocol_publish", meeting.pk).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED
    client.logout()
    assert "Diskuterades." in client.get(meeting.get_absolute_url()).content.decode()


def test_late_agenda_is_refused_next_to_the_reason_field_and_allowed_with_a_reason(client, board):
    meeting = plan(board, timezone.now() + timedelta(days=3))
    response = post(client, board.secretary.user, "agenda_publish", meeting.pk)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_late_reason_error"' in html and 'aria-invalid="true"' in html
    response = post(client, board.secretary.user, "agenda_publish", meeting.pk, {"late_reason": "Extra möte"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.late_agenda_reason == "Extra möte"


def test_a_member_cannot_run_the_meeting(client, board):
    meeting = plan(board, timezone.now() + timedelta(days=30))
    assert post(client, board.region[0].user, "agenda_publish", meeting.pk).status_code == 403
    client.force_login(board.region[0].user)
    assert client.get(reverse("governance:attendance", args=[meeting.pk])).status_code == 403


def test_an_outsider_gets_404_for_a_meeting_that_is_not_public(client, board, karlskrona_official):
    meeting = plan(board, timezone.now() + timedelta(days=30))
    assert post(client, karlskrona_official, "item_submit", meeting.pk, {"title": "x"}).status_code == 404
    assert post(client, karlskrona_official, "agenda_publish", meeting.pk).status_code == 404


def test_an_outsider_cannot_submit_to_a_public_meeting(client, board, karlskrona_official):
    meeting = agenda(board, timezone.now() + timedelta(days=30), "Ett")
    response = post(
        client, karlskrona_official, "item_submit", meeting.pk, {"title": "x", "kind": "information"}
    )
    assert response.status_code == 403


def test_only_designated_adjusters_adjust(client, board):
    meeting = agenda(board, timezone.now() + timedelta(days=30), "Ett")
    record(board, meeting)
    post(
        client,
        board.secretary.user,
        "adjustment_send",
        meeting.pk,
        {"adjusters": [str(board.region[0].user.pk)]},
    )
    assert post(client, board.region[1].user, "adjust", meeting.pk).status_code == 403


def test_secretary_reorders_the_agenda_with_htmx(client, board):
    meeting = agenda(board, timezone.now() + timedelta(days=30), "Första", "Andra")
    second = meeting.items.get(title="Andra")
    response = post(
        client, board.secretary.user, "item_decide", second.pk, {"decision": "up"}, hx_request="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and html.index("Andra") < html.index("Första")


def test_a_correction_is_recorded_after_publication(client, board):
    meeting = agenda(board, timezone.now() + timedelta(days=30), "Ett")
    record(board, meeting)
    post(
        client,
        board.secretary.user,
        "adjustment_send",
        meeting.pk,
        {"adjusters": [str(board.region[0].user.pk)]},
    )
    post(client, board.region[0].user, "adjust", meeting.pk)
    paragraph = Paragraph.objects.get(meeting=meeting)
    before = paragraph.decision
    post(client, board.secretary.user, "paragraph_correct", paragraph.pk, {"text": "Rätt datum är 12 maj."})
    paragraph.refresh_from_db()
    assert paragraph.decision == before
    assert Correction.objects.get(paragraph=paragraph).text == "Rätt datum är 12 maj."


def test_secretary_plans_a_meeting_and_a_member_cannot(client, board):
    url = reverse("governance:meeting_new", args=[board.body.pk])
    client.force_login(board.region[0].user)
    assert client.get(url).status_code == 403
    client.force_login(board.secretary.user)
    assert client.post(url, {"starts_at": "2026-13-01T10:00"}).status_code == 400
    response = client.post(url, {"starts_at": "2027-02-12T09:00", "location": "Karlskrona"})
    assert response.status_code == 302
    meeting = Meeting.objects.get(body=board.body)
    assert timezone.localtime(meeting.starts_at).hour == 9


def test_my_bodies_lists_meetings_and_protocols_to_adjust(client, board):
    meeting = agenda(board, timezone.now() + timedelta(days=30), "Ett")
    record(board, meeting)
    adjuster = board.region[0].user
    post(client, board.secretary.user, "adjustment_send", meeting.pk, {"adjusters": [str(adjuster.pk)]})
    plan(board, timezone.now() + timedelta(days=60))
    client.force_login(adjuster)
    html = client.get(reverse("governance:mine")).content.decode()
    assert "Protokoll att justera" in html
    assert board.body.name in html


def test_secretary_follows_up_a_decision_and_a_member_cannot(client, board):
    from governance.models import Decision

    meeting = agenda(board, timezone.now() + timedelta(days=30), "Beslutsärende")
    record(board, meeting)
    adjuster = board.region[0].user
    post(client, board.secretary.user, "adjustment_send", meeting.pk, {"adjusters": [str(adjuster.pk)]})
    post(client, adjuster, "adjust", meeting.pk)
    decision = Decision.objects.get(body=board.body)
    data = {"status": "done", "due": "2027-01-31", "responsible_person": "SG Vuxna", "notes": "Klart."}
    assert post(client, board.region[1].user, "decision_follow_up", decision.pk, data).status_code == 403
    assert post(client, board.secretary.user, "decision_follow_up", decision.pk, data).status_code == 302
    decision.refresh_from_db()
    assert (decision.status, decision.responsible_person, str(decision.due)) == (
        "done",
        "SG Vuxna",
        "2027-01-31",
    )
    assert decision.history.first().history_user == board.secretary.user
