"""Written views (skriftliga synpunkter): a member who cannot attend sends them before the meeting, on the
whole agenda or one item; the attendance form and the protocol take them in. The secretary sees them all, a
member their own, the public none until the protocol is published."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from governance import services
from governance.models import AgendaItem, Attendance, Meeting, WrittenViews
from tests.governance.conftest import Board, agenda, begin, plan, record

BEFORE = timedelta(days=2)


@pytest.fixture
def meeting(board) -> Meeting:
    return agenda(board, timezone.now() + timedelta(days=40), "Årsrapport", "Handlingsplan")


@pytest.fixture
def absent(board) -> User:
    """Rut from Ronneby cannot come to the meeting."""
    return board.municipal[2].user


def item(meeting: Meeting, title: str) -> AgendaItem:
    return meeting.items.get(title=title)


def send(meeting: Meeting, by: User, text: str, on: AgendaItem | None = None, **kwargs) -> WrittenViews:
    kwargs.setdefault("now", meeting.starts_at - BEFORE)
    return services.written_views_send(meeting=meeting, by=by, text=text, item=on, **kwargs)


def views_url(meeting: Meeting) -> str:
    return reverse("governance:written_views", args=[meeting.pk])


# --- Sending -----------------------------------------------------------------------------------------


def test_a_member_sends_views_on_the_whole_agenda_before_the_meeting(board, meeting, absent):
    views = send(meeting, absent, "  Jag kan inte delta men stöder förslagen.  ")
    assert (views.membership, views.item, views.text, views.sent_at) == (
        board.municipal[2],
        None,
        "Jag kan inte delta men stöder förslagen.",
        meeting.starts_at - BEFORE,
    )


def test_a_member_sends_views_on_one_item(meeting, absent):
    views = send(meeting, absent, "Tillstyrker.", item(meeting, "Handlingsplan"))
    assert views.item == item(meeting, "Handlingsplan")


def test_views_on_the_agenda_and_on_each_item_are_kept_apart(meeting, absent):
    send(meeting, absent, "Allmänt.")
    send(meeting, absent, "Om årsrapporten.", item(meeting, "Årsrapport"))
    send(meeting, absent, "Om handlingsplanen.", item(meeting, "Handlingsplan"))
    assert WrittenViews.objects.filter(meeting=meeting).count() == 3


def test_sending_again_replaces_the_text_and_the_history_keeps_the_old_one(meeting, absent):
    first = send(meeting, absent, "Första versionen.")
    again = send(meeting, absent, "Andra versionen.", now=meeting.starts_at - timedelta(days=1))
    assert again.pk == first.pk
    assert WrittenViews.objects.get().text == "Andra versionen."
    texts = list(
        again.history.order_by("history_date").values_list("text", "history_user", "history_change_reason")
    )
    assert texts == [
        ("Första versionen.", absent.pk, "Skriftliga synpunkter skickade"),
        ("Andra versionen.", absent.pk, "Skriftliga synpunkter skickade"),
    ]


def test_sending_again_on_an_item_replaces_only_that_item(meeting, absent):
    plan_item = item(meeting, "Handlingsplan")
    send(meeting, absent, "Allmänt.")
    send(meeting, absent, "Nej.", plan_item)
    send(meeting, absent, "Ja, efter eftertanke.", plan_item)
    assert sorted(WrittenViews.objects.values_list("text", flat=True)) == [
        "Allmänt.",
        "Ja, efter eftertanke.",
    ]


def test_views_can_be_sent_while_the_meeting_is_only_planned(board, absent):
    meeting = plan(board, timezone.now() + timedelta(days=40))
    assert send(meeting, absent, "Tidigt.").pk


def test_views_cannot_be_sent_once_the_meeting_has_started(meeting, absent):
    with pytest.raises(ValidationError, match="Mötet har börjat"):
        send(meeting, absent, "För sent.", now=meeting.starts_at)
    assert not WrittenViews.objects.exists()


def test_views_cannot_be_sent_after_the_meeting_is_held(board, meeting, absent):
    record(board, meeting)
    with pytest.raises(ValidationError, match="Protokoll under arbete"):
        send(meeting, absent, "Efteråt.")


def test_views_cannot_be_sent_to_a_cancelled_meeting(board, meeting, absent):
    services.meeting_cancel(meeting=meeting, by=board.secretary.user)
    with pytest.raises(ValidationError, match="Inställt"):
        send(meeting, absent, "Till ingen.")


def test_only_members_of_the_body_send_views(meeting, karlskrona_official, blekinge_admin):
    for outsider in (karlskrona_official, blekinge_admin):
        with pytest.raises(ValidationError, match="Bara organets ledamöter"):
            send(meeting, outsider, "Utifrån.")


def test_a_member_whose_term_ends_before_the_meeting_cannot_send_views(board, meeting, absent):
    services.membership_end(
        membership=board.municipal[2], ends_on=timezone.localdate(), by=None, reason="Avgår"
    )
    with pytest.raises(ValidationError, match="Bara organets ledamöter"):
        send(meeting, absent, "Jag slutar.")


def test_views_on_an_item_of_another_meeting_are_refused(board, meeting, absent):
    other = agenda(board, timezone.now() + timedelta(days=70), "Annat")
    with pytest.raises(ValidationError) as caught:
        send(meeting, absent, "Fel möte.", other.items.get())
    assert caught.value.message_dict == {"item": ["Ärendet hör inte till mötet."]}


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_blank_views_are_refused(meeting, absent, text):
    with pytest.raises(ValidationError) as caught:
        send(meeting, absent, text)
    assert caught.value.message_dict == {"text": ["Skriv dina synpunkter."]}


# --- Sending through the meeting page ----------------------------------------------------------------


def test_a_member_sends_views_from_the_meeting_page(client, meeting, absent):
    client.force_login(absent)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f'action="{views_url(meeting)}"' in page
    plan_item = item(meeting, "Handlingsplan")
    response = client.post(views_url(meeting), {"item": str(plan_item.pk), "text": "Tillstyrker."})
    assert response.status_code == 302
    assert WrittenViews.objects.get().item == plan_item
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Dina skriftliga synpunkter är skickade till sekreteraren." in page
    assert "Tillstyrker." in page


def test_views_on_the_whole_agenda_are_sent_with_an_empty_item(client, meeting, absent):
    client.force_login(absent)
    assert client.post(views_url(meeting), {"item": "", "text": "Allmänt."}).status_code == 302
    assert WrittenViews.objects.get().item is None


def test_blank_views_are_refused_on_the_page_with_a_message(client, meeting, absent):
    client.force_login(absent)
    response = client.post(views_url(meeting), {"item": "", "text": "  "})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_text_error"' in html and "Detta fält måste fyllas i." in html
    assert not WrittenViews.objects.exists()


def test_an_item_that_is_not_on_the_meeting_is_refused_on_the_page(client, board, meeting, absent):
    other = agenda(board, timezone.now() + timedelta(days=70), "Annat")
    client.force_login(absent)
    response = client.post(views_url(meeting), {"item": str(other.items.get().pk), "text": "Fel."})
    assert response.status_code == 400
    assert not WrittenViews.objects.exists()


def test_a_non_member_gets_403_for_a_public_meeting(client, meeting, karlskrona_official):
    client.force_login(karlskrona_official)
    assert client.post(views_url(meeting), {"text": "Utifrån."}).status_code == 403
    assert f'action="{views_url(meeting)}"' not in client.get(meeting.get_absolute_url()).content.decode()


def test_a_non_member_gets_404_for_a_meeting_that_is_not_public(client, board, karlskrona_official):
    meeting = plan(board, timezone.now() + timedelta(days=40))
    client.force_login(karlskrona_official)
    assert client.post(views_url(meeting), {"text": "Utifrån."}).status_code == 404


def test_the_public_is_sent_to_log_in(client, meeting):
    response = client.post(views_url(meeting), {"text": "Anonymt."})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_views_cannot_be_sent_from_the_page_once_the_meeting_has_started(client, board, absent):
    started = agenda(board, timezone.now() - timedelta(minutes=5), "Pågår")
    client.force_login(absent)
    assert client.post(views_url(started), {"text": "För sent."}).status_code == 403
    assert f'action="{views_url(started)}"' not in client.get(started.get_absolute_url()).content.decode()


def test_sending_views_is_a_post(client, meeting, absent):
    client.force_login(absent)
    assert client.get(views_url(meeting)).status_code == 405


# --- Who sees them before the meeting ----------------------------------------------------------------


def test_the_secretary_sees_all_views_a_member_their_own_and_the_public_none(client, board, meeting, absent):
    send(meeting, absent, "Ruts synpunkter.")
    send(meeting, board.region[2].user, "Regionens synpunkter.", item(meeting, "Årsrapport"))
    url = meeting.get_absolute_url()

    client.force_login(board.secretary.user)
    html = client.get(url).content.decode()
    assert "Ruts synpunkter." in html and "Regionens synpunkter." in html

    client.force_login(absent)
    html = client.get(url).content.decode()
    assert "Ruts synpunkter." in html and "Regionens synpunkter." not in html

    client.force_login(board.region[0].user)
    html = client.get(url).content.decode()
    assert "Ruts synpunkter." not in html and "Regionens synpunkter." not in html

    client.logout()
    html = client.get(url).content.decode()
    assert "Ruts synpunkter." not in html and "Regionens synpunkter." not in html


# --- Attendance and protocol -------------------------------------------------------------------------


def test_the_attendance_form_preselects_absent_with_written_views(client, board, meeting, absent):
    send(meeting, absent, "Jag kan inte komma.")
    begin(meeting)
    client.force_login(board.secretary.user)
    response = client.get(reverse("governance:attendance", args=[meeting.pk]))
    form = response.context["form"]
    assert form[f"m{board.municipal[2].pk}"].initial == Attendance.Presence.WRITTEN_VIEWS
    assert form[f"m{board.municipal[3].pk}"].initial == Attendance.Presence.PRESENT
    html = response.content.decode()
    assert '<option value="written_views" selected>' in html
    assert html.count("Har skickat skriftliga synpunkter.") == 1


def presence_all_but(board: Board, absent: User) -> dict[int, str]:
    return {m.pk: Attendance.Presence.PRESENT for m in board.members if m.user != absent}


def attendance_of(meeting: Meeting, user: User) -> Attendance:
    return meeting.attendance.get(membership__user=user)


def test_meeting_record_copies_the_views_sent_and_marks_the_member_absent_with_views(board, meeting, absent):
    send(meeting, absent, "Allmänt stöd.")
    send(meeting, absent, "Tillstyrker planen.", item(meeting, "Handlingsplan"))
    send(meeting, absent, "Godkänn rapporten.", item(meeting, "Årsrapport"))
    services.meeting_record(
        meeting=meeting,
        now=meeting.starts_at,
        presence=presence_all_but(board, absent),
        by=board.secretary.user,
    )
    attendance = attendance_of(meeting, absent)
    assert attendance.presence == Attendance.Presence.WRITTEN_VIEWS
    assert attendance.written_views == (
        "Allmänt stöd.\n\nÅrsrapport: Godkänn rapporten.\n\nHandlingsplan: Tillstyrker planen."
    )


def test_a_member_who_sent_views_but_came_is_recorded_present_without_them(board, meeting, absent):
    send(meeting, absent, "Kanske kommer jag ändå.")
    presence = {m.pk: Attendance.Presence.PRESENT for m in board.members}
    services.meeting_record(
        meeting=meeting, now=meeting.starts_at, presence=presence, by=board.secretary.user
    )
    attendance = attendance_of(meeting, absent)
    assert (attendance.presence, attendance.written_views) == (Attendance.Presence.PRESENT, "")


def test_views_given_to_the_secretary_otherwise_take_precedence(board, meeting, absent):
    send(meeting, absent, "Från portalen.")
    services.meeting_record(
        meeting=meeting,
        now=meeting.starts_at,
        presence=presence_all_but(board, absent),
        written_views={board.municipal[2].pk: "Från e-post."},
        by=board.secretary.user,
    )
    assert attendance_of(meeting, absent).written_views == "Från e-post."


def test_members_absent_without_views_stay_absent(board, meeting, absent):
    services.meeting_record(
        meeting=meeting,
        now=meeting.starts_at,
        presence=presence_all_but(board, absent),
        by=board.secretary.user,
    )
    attendance = attendance_of(meeting, absent)
    assert (attendance.presence, attendance.written_views) == (Attendance.Presence.ABSENT, "")


def test_written_views_do_not_make_a_meeting_quorate(board, absent):
    """Three of four municipal members send views instead of coming: the municipal side lacks a majority."""
    meeting = agenda(board, timezone.now() + timedelta(days=40), "Årsrapport")
    for membership in board.municipal[1:]:
        send(meeting, membership.user, "Kan inte komma.")
    presence = {m.pk: Attendance.Presence.PRESENT for m in [*board.region, board.municipal[0]]}
    services.meeting_record(
        meeting=meeting, now=meeting.starts_at, presence=presence, by=board.secretary.user
    )
    meeting.refresh_from_db()
    assert meeting.quorate is False
    assert meeting.attendance.filter(presence=Attendance.Presence.WRITTEN_VIEWS).count() == 3


def test_the_attendance_form_records_the_views_into_the_protocol(client, board, meeting, absent):
    send(meeting, absent, "Tillstyrker allt.")
    begin(meeting)
    client.force_login(board.secretary.user)
    url = reverse("governance:attendance", args=[meeting.pk])
    initial = {name: field.initial for name, field in client.get(url).context["form"].fields.items()}
    assert client.post(url, initial).status_code == 302
    client.force_login(board.region[0].user)
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "frånvarande, skriftliga synpunkter" in html
    assert '<div class="written-views">Tillstyrker allt.</div>' in html
