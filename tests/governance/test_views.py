"""Governance pages: the public sees the directory, bodies, published agendas and protocols; members see
their body's unpublished material; outsiders get 404 for what is not public."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from governance import selectors, services
from governance.models import AgendaItem, Meeting
from tests.factories import BodyFactory
from tests.governance.conftest import agenda, at, begin, plan, record, submit


def adjusted_and_published(board, meeting: Meeting) -> Meeting:
    record(board, meeting)
    adjusters = [board.region[0].user]
    services.protocol_send_for_adjustment(meeting=meeting, adjusters=adjusters, by=board.secretary.user)
    services.protocol_adjust(meeting=meeting, by=adjusters[0])
    return services.protocol_publish(meeting=meeting, by=board.secretary.user)


def test_directory_shows_the_reporting_chart_of_a_county(client, board):
    child = BodyFactory(name="Samverkansgrupp Vuxna", parent=board.body)
    html = client.get(reverse("governance:directory") + "?lan=10").content.decode()
    assert board.body.name in html and child.name in html
    assert html.index(board.body.name) < html.index(child.name)


def test_body_page_lists_members_and_seats_for_the_public(client, board):
    response = client.get(board.body.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert board.secretary.user.get_full_name() in html
    assert board.secretary.user.email not in html  # no private contact data


def test_unknown_body_is_404(client, db):
    assert client.get(reverse("governance:body", args=[999999])).status_code == 404


def test_planned_meeting_is_invisible_to_the_public_and_outsiders_but_not_to_members(
    client, board, karlskrona_official
):
    meeting = plan(board, timezone.now() + timedelta(days=40))
    url = meeting.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(karlskrona_official)
    assert client.get(url).status_code == 404
    client.force_login(board.region[0].user)
    assert client.get(url).status_code == 200


def test_published_agenda_is_public_but_submitted_items_are_not(client, board):
    meeting = agenda(board, timezone.now() + timedelta(days=40), "Årsrapport")
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Årsrapport" in html


def test_unpublished_protocol_is_shown_only_to_members(client, board):
    meeting = agenda(board, timezone.now() + timedelta(days=40), "Handlingsplan")
    record(board, meeting)
    url = meeting.get_absolute_url()
    assert "§ 1" not in client.get(url).content.decode()
    client.force_login(board.region[1].user)
    assert "§ 1" in client.get(url).content.decode()


def test_published_protocol_is_public_with_its_paragraphs(client, board):
    meeting = adjusted_and_published(
        board, agenda(board, timezone.now() + timedelta(days=40), "Handlingsplan")
    )
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "§ 1 Handlingsplan" in html
    assert "Protokoll" in html


def test_body_page_shows_past_meetings_twenty_at_a_time(client, board):
    start = timezone.now() - timedelta(days=2000)
    Meeting.objects.bulk_create(
        Meeting(body=board.body, starts_at=start + timedelta(days=30 * n), status=Meeting.Status.HELD)
        for n in range(25)
    )
    url = board.body.get_absolute_url()
    first = client.get(url)
    assert len(first.context["past"]) == 20 and first.context["past"].has_next()
    second = client.get(url + "?sida=2")
    assert len(second.context["past"]) == 5
    assert second.context["past"][0].starts_at < first.context["past"][19].starts_at


def test_body_page_query_count_is_flat(client, board, django_assert_max_num_queries):
    start = timezone.now() + timedelta(days=40)
    adjusted_and_published(board, agenda(board, start, "Ett"))
    url = board.body.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(1, 8):
        adjusted_and_published(board, agenda(board, start + timedelta(days=30 * n), f"Ärende {n}", "Annat"))
    with django_assert_max_num_queries(len(few)):
        client.get(url)


def test_meeting_page_query_count_is_flat(client, board, django_assert_max_num_queries):
    start = timezone.now() + timedelta(days=40)
    small = adjusted_and_published(board, agenda(board, start, "Ett"))
    client.get(small.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(small.get_absolute_url())
    titles = [f"Ärende {n}" for n in range(12)]
    large = adjusted_and_published(board, agenda(board, start + timedelta(days=30), *titles))
    with django_assert_max_num_queries(len(few)):
        client.get(large.get_absolute_url())


def test_directory_query_count_is_flat(client, board, django_assert_max_num_queries):
    url = reverse("governance:directory") + "?lan=10"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(20):
        BodyFactory(parent=board.body)
    with django_assert_max_num_queries(len(few)):
        client.get(url)


def test_my_bodies_page_query_count_is_flat(client, board, django_assert_max_num_queries):
    client.force_login(board.secretary.user)
    url = reverse("governance:mine")
    start = timezone.now() + timedelta(days=10)
    services.meeting_plan(body=board.body, starts_at=start, location="", by=None)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(1, 8):
        services.meeting_plan(body=board.body, starts_at=start + timedelta(days=n), location="", by=None)
        services.membership_add(  # the secretary sits in more bodies
            body=BodyFactory(),
            user=board.secretary.user,
            organisation=board.secretary.organisation,
            role="member",
            starts_on=board.secretary.starts_on,
            by=None,
            reason="Test",
        )
    with django_assert_max_num_queries(len(few)):
        client.get(url)


def test_meeting_history_is_for_members_and_the_secretary(client, board, karlskrona_official):
    from datetime import timedelta

    from django.utils import timezone

    meeting = services.meeting_plan(
        body=board.body, starts_at=timezone.now() + timedelta(days=30), location="", by=board.secretary.user
    )
    services.agenda_publish(meeting=meeting, by=board.secretary.user)
    url = reverse("governance:meeting_history", args=[meeting.pk])
    client.force_login(karlskrona_official)
    assert client.get(url).status_code == 403  # sees the published agenda, not its history
    client.force_login(board.secretary.user)
    page = client.get(url)
    assert page.status_code == 200 and "Kallelse skickad" in page.text


def adjusted(board, title: str, decision: str) -> Meeting:
    """A past meeting whose protocol is adjusted (its decision is in the register) but not published."""
    meeting = record(board, agenda(board, at(2026, 9, 10), title))
    services.paragraph_write(
        paragraph=meeting.paragraphs.get(), notes="", decision=decision, by=board.secretary.user
    )
    adjuster = board.region[0].user
    services.protocol_send_for_adjustment(meeting=meeting, adjusters=[adjuster], by=board.secretary.user)
    return services.protocol_adjust(meeting=meeting, by=adjuster)


def test_decisions_of_an_unpublished_protocol_are_not_in_the_public_register(
    client, board, karlskrona_official
):
    adjusted(board, "Budget", "Budgeten för 2027 antas.")
    assert "Budgeten för 2027 antas." not in client.get(board.body.get_absolute_url()).content.decode()
    client.force_login(karlskrona_official)
    assert "Budgeten för 2027 antas." not in client.get(board.body.get_absolute_url()).content.decode()


def test_members_see_the_decisions_of_an_adjusted_protocol_before_it_is_published(client, board):
    adjusted(board, "Budget", "Budgeten för 2027 antas.")
    client.force_login(board.region[1].user)
    assert "Budgeten för 2027 antas." in client.get(board.body.get_absolute_url()).content.decode()


@pytest.mark.real_caches_skip(
    "publishes through the service, between two page loads: the POST that does it in the portal makes the "
    "pages stale (InvalidationMiddleware), a direct call does not"
)
def test_the_register_shows_a_decision_to_the_public_once_its_protocol_is_published(client, board):
    meeting = adjusted(board, "Budget", "Budgeten för 2027 antas.")
    assert "Budgeten för 2027 antas." not in client.get(board.body.get_absolute_url()).content.decode()
    services.protocol_publish(meeting=meeting, by=board.secretary.user)
    assert "Budgeten för 2027 antas." in client.get(board.body.get_absolute_url()).content.decode()


def test_project_plan_of_a_decision_of_an_unpublished_protocol_is_404_but_for_members(
    client, board, karlskrona_official
):
    from governance.models import Decision

    meeting = adjusted(board, "Budget", "Budgeten för 2027 antas.")
    url = reverse("governance:decision_plan", args=[Decision.objects.get(body=board.body).pk])
    assert client.get(url).status_code == 404
    client.force_login(karlskrona_official)
    assert client.get(url).status_code == 404
    client.force_login(board.region[1].user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"  # not for shared caches before publication
    services.protocol_publish(meeting=meeting, by=board.secretary.user)
    client.logout()
    assert client.get(url).status_code == 200


# --- What the pages say is true ----------------------------------------------------------------------


def test_the_public_sees_a_planned_meeting_among_the_coming_meetings(client, board):
    meeting = plan(board, timezone.now() + timedelta(weeks=6))
    html = client.get(board.body.get_absolute_url()).content.decode()
    coming = html[html.index("Kommande möten") : html.index("Tidigare möten")]
    assert "Inga möten" not in coming
    assert date_format(timezone.localtime(meeting.starts_at), "j F Y H:i") in coming
    assert "Planerat" in coming
    assert meeting.get_absolute_url() not in coming  # nothing to open until the agenda is sent


def test_the_public_opens_a_coming_meeting_once_its_agenda_is_sent(client, board):
    meeting = agenda(board, timezone.now() + timedelta(weeks=6), "Årsrapport")
    html = client.get(board.body.get_absolute_url()).content.decode()
    assert meeting.get_absolute_url() in html[html.index("Kommande möten") : html.index("Tidigare möten")]


def test_a_cancelled_meeting_is_not_listed_for_the_public(client, board):
    meeting = plan(board, timezone.now() + timedelta(weeks=6))
    services.meeting_cancel(meeting=meeting, by=board.secretary.user)
    html = client.get(board.body.get_absolute_url()).content.decode()
    assert "Inga möten" in html[html.index("Kommande möten") : html.index("Tidigare möten")]


def test_the_agenda_of_a_planned_meeting_is_not_printed_for_the_public(board):
    meeting = plan(board, timezone.now() + timedelta(weeks=6))
    item = submit(board, meeting, "Hemligt förslag")
    services.agenda_item_decide(item=item, decision="accepted", by=board.secretary.user)
    assert list(selectors.meeting_agenda(meeting, unpublished=False)) == []
    assert list(selectors.meeting_agenda(meeting, unpublished=True)) == [item]


def test_quorum_is_not_shown_to_the_public_before_the_protocol_is_published(client, board):
    meeting = record(board, agenda(board, timezone.now() - timedelta(hours=2), "Budget"), board.region[:1])
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Beslutfört" not in html and "utan beslutförhet" not in html
    client.force_login(board.region[1].user)
    assert "Nej – beslut är fattade utan beslutförhet" in client.get(meeting.get_absolute_url()).text


def test_quorum_is_shown_to_the_public_with_the_published_protocol(client, board):
    meeting = adjusted_and_published(board, agenda(board, timezone.now() - timedelta(days=2), "Budget"))
    assert "Beslutfört" in client.get(meeting.get_absolute_url()).text


def test_the_meeting_page_offers_attendance_only_once_the_meeting_has_begun(client, board):
    meeting = agenda(board, timezone.now() + timedelta(weeks=6), "Budget")
    attendance = reverse("governance:attendance", args=[meeting.pk])
    client.force_login(board.secretary.user)
    html = client.get(meeting.get_absolute_url()).text
    assert attendance not in html and "registreras när mötet har börjat" in html
    begin(meeting)
    assert attendance in client.get(meeting.get_absolute_url()).text


def test_attendance_of_a_meeting_that_has_not_begun_is_refused(client, board):
    meeting = agenda(board, timezone.now() + timedelta(weeks=6), "Budget")
    url = reverse("governance:attendance", args=[meeting.pk])
    client.force_login(board.secretary.user)
    page = client.get(url)
    assert page.status_code == 200 and "<form" not in page.text.split("<main", 1)[1]
    assert "Mötet har inte börjat än" in page.text
    presence = {f"m{m.pk}": "present" for m in board.members}
    response = client.post(url, presence, follow=True)
    assert "Mötet har inte börjat än" in response.text
    meeting.refresh_from_db()
    assert (meeting.status, meeting.paragraphs.exists()) == (Meeting.Status.AGENDA_PUBLISHED, False)


def test_the_protocol_names_its_chair_secretary_and_adjusters(client, board):
    meeting = adjusted_and_published(board, agenda(board, timezone.now() - timedelta(days=2), "Budget"))
    html = client.get(meeting.get_absolute_url()).text
    protocol = html[html.index("<h2>Protokoll</h2>") :]
    for role, person in [
        ("Ordförande", board.chair.user),
        ("Sekreterare", board.secretary.user),
        ("Justerare", board.region[0].user),
    ]:
        assert f"<dt>{role}</dt><dd>{person.get_full_name()}" in protocol


def in_adjustment(board) -> Meeting:
    meeting = record(board, agenda(board, timezone.now() - timedelta(days=2), "Budget"))
    adjusters = [board.region[0].user]
    return services.protocol_send_for_adjustment(
        meeting=meeting, adjusters=adjusters, by=board.secretary.user
    )


def test_an_adjuster_asks_for_a_change_and_the_secretary_reads_it(client, board):
    meeting = in_adjustment(board)
    client.force_login(board.region[0].user)
    page = client.get(meeting.get_absolute_url()).text
    assert "Begär ändring" in page and reverse("governance:adjust_request_change", args=[meeting.pk]) in page
    url = reverse("governance:adjust_request_change", args=[meeting.pk])
    assert client.post(url, {"comment": "Beslutet i § 1 ska gälla från 1 maj."}).status_code == 302
    client.force_login(board.secretary.user)
    page = client.get(meeting.get_absolute_url()).text
    assert "begär ändring" in page and "Beslutet i § 1 ska gälla från 1 maj." in page
    assert "Skicka protokollet för justering" in page
    history = client.get(reverse("governance:meeting_history", args=[meeting.pk])).text
    assert "Justeraren begär ändring" in history


def test_a_change_request_without_a_comment_comes_back_with_the_error_next_to_the_field(client, board):
    meeting = in_adjustment(board)
    client.force_login(board.region[0].user)
    response = client.post(reverse("governance:adjust_request_change", args=[meeting.pk]), {"comment": " "})
    assert response.status_code == 400
    assert 'aria-describedby="id_comment_error' in response.text or "id_comment_error" in response.text
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.IN_ADJUSTMENT


def test_only_the_adjuster_may_ask_for_a_change(client, board):
    meeting = in_adjustment(board)
    url = reverse("governance:adjust_request_change", args=[meeting.pk])
    client.force_login(board.region[1].user)
    assert client.post(url, {"comment": "Fel."}).status_code == 403
    client.force_login(board.secretary.user)
    assert client.post(url, {"comment": "Fel."}).status_code == 403


def test_a_member_submits_a_procedural_item(client, board):
    meeting = plan(board, timezone.now() + timedelta(weeks=6))
    client.force_login(board.region[0].user)
    page = client.get(meeting.get_absolute_url()).text
    assert '<option value="procedural">Formalia</option>' in page
    data = {"title": "Val av justerare", "kind": "procedural", "proposal": "Att välja två justerare."}
    client.post(reverse("governance:item_submit", args=[meeting.pk]), data)
    assert meeting.items.get().kind == AgendaItem.Kind.PROCEDURAL
