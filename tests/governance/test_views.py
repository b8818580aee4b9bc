"""Governance pages: the public sees the directory, bodies, published agendas and protocols; members see
their body's unpublished material; outsiders get 404 for what is not public."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance import services
from governance.models import Meeting
from tests.factories import BodyFactory
from tests.governance.conftest import agenda, at, plan, record


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
