"""The annual cycle (årshjul): rules give the dates of a body's meetings and recurring duties; the secretary
generates a year from them, and everyone sees the year month by month."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance import services
from governance.models import Body, CycleDuty, CycleRule, Meeting
from tests.factories import BodyFactory
from tests.governance.conftest import Board, at, plan

STOCKHOLM = ZoneInfo("Europe/Stockholm")
YEAR = 2027
THURSDAY, FRIDAY = 3, 4
MONTHS = ["Januari", "Februari", "Mars", "April", "Maj", "Juni", "Juli", "Augusti", "September", "Oktober"]
MONTHS += ["November", "December"]


def rule(**fields) -> CycleRule:
    """An unsaved rule, for computing dates."""
    return CycleRule(**{"kind": CycleRule.Kind.MEETING, "title": "Möte", **fields})


def meeting_rule(body: Body, **fields) -> CycleRule:
    """The LSVO meetings: the second Thursday in February, March and September at nine, in Karlskrona."""
    fields = {
        "kind": CycleRule.Kind.MEETING,
        "title": "Möte i LSVO",
        "months": [2, 3, 9],
        "week": 2,
        "weekday": THURSDAY,
        "time": time(9),
        "location": "Region Blekinge, Karlskrona",
        **fields,
    }
    return services.cycle_rule_create(body=body, by=None, **fields)


def duty_rule(body: Body, **fields) -> CycleRule:
    fields = {
        "kind": CycleRule.Kind.DUTY,
        "title": "Årsrapport till PSVO",
        "description": "Sammanställ avvikelser och tvister.",
        "months": [3],
        "day": 31,
        **fields,
    }
    return services.cycle_rule_create(body=body, by=None, **fields)


def local_starts(body: Body) -> list[datetime]:
    return [timezone.localtime(m.starts_at) for m in body.meetings.order_by("starts_at")]


def year_url(body: Body, year: int = YEAR) -> str:
    return reverse("governance:annual_cycle", args=[body.pk, year])


# --- Dates from rules --------------------------------------------------------------------------------


def test_a_day_of_the_month_is_capped_at_the_end_of_shorter_months():
    assert rule(months=[1, 2, 4, 12], day=31).dates(2027) == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 4, 30),
        date(2027, 12, 31),
    ]


def test_february_has_29_days_in_a_leap_year():
    assert rule(months=[2], day=30).dates(2028) == [date(2028, 2, 29)]
    assert rule(months=[2], day=29).dates(2100) == [date(2100, 2, 28)]  # not a leap year


def test_the_nth_weekday_of_the_month():
    second_thursday = rule(months=[2, 3, 9], week=2, weekday=THURSDAY)
    assert second_thursday.dates(2027) == [
        date(2027, 2, 11),
        date(2027, 3, 11),
        date(2027, 9, 9),
    ]
    first_monday = rule(months=[6], week=1, weekday=0)
    assert first_monday.dates(2026) == [date(2026, 6, 1)]
    fourth_sunday = rule(months=[2], week=4, weekday=6)
    assert fourth_sunday.dates(2026) == [date(2026, 2, 22)]


def test_the_last_weekday_of_the_month():
    last_friday = rule(months=[1, 5, 12], week=-1, weekday=FRIDAY)
    assert last_friday.dates(2027) == [
        date(2027, 1, 29),
        date(2027, 5, 28),
        date(2027, 12, 31),
    ]


def test_months_are_taken_in_order_once_each():
    assert rule(months=[12, "3", 3], day=1).dates(2027) == [
        date(2027, 3, 1),
        date(2027, 12, 1),
    ]


def test_a_rule_describes_itself_in_words():
    assert rule(months=[3, 2, 9], week=2, weekday=THURSDAY, time=time(9)).describe() == (
        "andra torsdagen i månaden (feb, mar, sep) kl. 09:00"
    )
    assert rule(months=[11], week=-1, weekday=FRIDAY).describe() == "sista fredagen i månaden (nov)"
    assert rule(months=[3], day=31).describe() == "den 31 (mar)"


# --- Checking rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"months": [], "day": 1}, {"months": ["Ange månader mellan 1 och 12."]}),
        ({"months": [0], "day": 1}, {"months": ["Ange månader mellan 1 och 12."]}),
        ({"months": [3, 13], "day": 1}, {"months": ["Ange månader mellan 1 och 12."]}),
        ({"months": ["mars"], "day": 1}, {"months": ["Ange månader mellan 1 och 12."]}),
        ({"months": [3]}, {"day": ["Ange en dag i månaden, eller vecka och veckodag."]}),
        ({"months": [3], "day": 0}, {"day": ["Ange en dag i månaden, eller vecka och veckodag."]}),
        ({"months": [3], "day": 32}, {"day": ["Dagen ska vara 1–31."]}),
        (
            {"months": [3], "weekday": THURSDAY},
            {"week": ["Vecka ska vara 1–4 eller -1 (sista), veckodag 0–6 (måndag–söndag)."]},
        ),
        (
            {"months": [3], "week": 5, "weekday": THURSDAY},
            {"week": ["Vecka ska vara 1–4 eller -1 (sista), veckodag 0–6 (måndag–söndag)."]},
        ),
        (
            {"months": [3], "week": 1, "weekday": 7},
            {"week": ["Vecka ska vara 1–4 eller -1 (sista), veckodag 0–6 (måndag–söndag)."]},
        ),
        (
            {"months": [13]},
            {
                "months": ["Ange månader mellan 1 och 12."],
                "day": ["Ange en dag i månaden, eller vecka och veckodag."],
            },
        ),
    ],
)
def test_invalid_rules_are_refused_with_a_message_per_field(lsvo, fields, errors):
    with pytest.raises(ValidationError) as caught:
        services.cycle_rule_create(body=lsvo, by=None, kind=CycleRule.Kind.DUTY, title="Uppgift", **fields)
    assert caught.value.message_dict == errors
    assert not CycleRule.objects.exists()


def test_a_valid_rule_is_saved_with_who_made_it(lsvo, blekinge_admin):
    made = services.cycle_rule_create(
        body=lsvo, by=blekinge_admin, kind=CycleRule.Kind.DUTY, title="Handlingsplaner", months=[10], day=15
    )
    record = made.history.get()
    assert (record.history_user, record.history_change_reason) == (
        blekinge_admin,
        "Regel i årshjulet tillagd",
    )


# --- Generating a year -------------------------------------------------------------------------------


def test_generating_creates_the_meetings_and_duties_of_the_year(board):
    meeting_rule(board.body)
    duty_rule(board.body)
    assert services.annual_cycle_generate(body=board.body, year=YEAR, by=board.secretary.user) == (3, 1)
    assert local_starts(board.body) == [
        datetime(2027, 2, 11, 9, tzinfo=STOCKHOLM),
        datetime(2027, 3, 11, 9, tzinfo=STOCKHOLM),  # before summer time
        datetime(2027, 9, 9, 9, tzinfo=STOCKHOLM),  # summer time
    ]
    assert set(board.body.meetings.values_list("location", "status")) == {
        ("Region Blekinge, Karlskrona", Meeting.Status.PLANNED)
    }
    duty = CycleDuty.objects.get()
    assert (duty.body, duty.title, duty.description, duty.due, duty.status) == (
        board.body,
        "Årsrapport till PSVO",
        "Sammanställ avvikelser och tvister.",
        date(2027, 3, 31),
        CycleDuty.Status.PLANNED,
    )
    assert duty.history.get().history_user == board.secretary.user


def test_a_meeting_rule_without_a_time_meets_at_one_in_the_afternoon(board):
    meeting_rule(board.body, months=[5], time=None)
    services.annual_cycle_generate(body=board.body, year=YEAR, by=None)
    assert local_starts(board.body) == [datetime(2027, 5, 13, 13, tzinfo=STOCKHOLM)]


def test_generating_twice_creates_nothing_new(board):
    meeting_rule(board.body)
    duty_rule(board.body)
    services.annual_cycle_generate(body=board.body, year=YEAR, by=None)
    assert services.annual_cycle_generate(body=board.body, year=YEAR, by=None) == (0, 0)
    assert (board.body.meetings.count(), CycleDuty.objects.count()) == (3, 1)


def test_a_date_that_already_has_a_meeting_of_the_body_is_left_alone(board):
    existing = plan(board, at(2027, 3, 11, 14))
    meeting_rule(board.body)
    assert services.annual_cycle_generate(body=board.body, year=YEAR, by=None) == (2, 0)
    assert local_starts(board.body) == [
        datetime(2027, 2, 11, 9, tzinfo=STOCKHOLM),
        datetime(2027, 3, 11, 14, tzinfo=STOCKHOLM),
        datetime(2027, 9, 9, 9, tzinfo=STOCKHOLM),
    ]
    assert board.body.meetings.filter(pk=existing.pk).exists()


def test_a_meeting_just_after_midnight_counts_for_its_swedish_date(board):
    plan(board, at(2027, 2, 11, 0, 30))  # 23:30 the day before in UTC
    meeting_rule(board.body)
    assert services.annual_cycle_generate(body=board.body, year=YEAR, by=None) == (2, 0)


def test_a_meeting_of_another_body_does_not_block_the_date(board, lsvo):
    other = BodyFactory(name="Samverkansgrupp Barn och unga")
    services.meeting_plan(body=other, starts_at=at(2027, 2, 11, 9), location="", by=None)
    meeting_rule(board.body)
    assert services.annual_cycle_generate(body=board.body, year=YEAR, by=None) == (3, 0)


def test_another_year_is_generated_separately(board):
    duty_rule(board.body)
    services.annual_cycle_generate(body=board.body, year=YEAR, by=None)
    assert services.annual_cycle_generate(body=board.body, year=YEAR + 1, by=None) == (0, 1)
    assert list(CycleDuty.objects.values_list("due", flat=True)) == [date(2027, 3, 31), date(2028, 3, 31)]


def test_a_rule_that_became_invalid_stops_the_generation_and_nothing_is_created(board):
    meeting_rule(board.body)
    broken = duty_rule(board.body)
    CycleRule.objects.filter(pk=broken.pk).update(months=[14])
    with pytest.raises(ValidationError):
        services.annual_cycle_generate(body=board.body, year=YEAR, by=None)
    assert (board.body.meetings.count(), CycleDuty.objects.count()) == (0, 0)


def test_marking_a_duty_done_and_undone_is_recorded(board):
    duty_rule(board.body)
    services.annual_cycle_generate(body=board.body, year=YEAR, by=None)
    duty = CycleDuty.objects.get()
    services.cycle_duty_mark(duty=duty, done=True, by=board.secretary.user)
    assert CycleDuty.objects.get().status == CycleDuty.Status.DONE
    services.cycle_duty_mark(duty=duty, done=False, by=board.secretary.user)
    assert CycleDuty.objects.get().status == CycleDuty.Status.PLANNED
    marks = duty.history.filter(history_change_reason="Uppgift i årshjulet markerad").order_by("history_date")
    assert [(h.status, h.history_user) for h in marks] == [
        (CycleDuty.Status.DONE, board.secretary.user),
        (CycleDuty.Status.PLANNED, board.secretary.user),
    ]


# --- The year page -----------------------------------------------------------------------------------


@pytest.fixture
def year(board) -> Board:
    """LSVO with its rules and the year generated."""
    meeting_rule(board.body)
    duty_rule(board.body)
    services.annual_cycle_generate(body=board.body, year=YEAR, by=None)
    return board


def test_the_year_lists_every_month_with_its_entries(client, year):
    client.force_login(year.region[0].user)
    response = client.get(year_url(year.body))
    assert response.status_code == 200
    months = response.context["months"]
    assert [number for number, _name, _entries in months] == list(range(1, 13))
    by_month = {number: [(e.day, e.kind, e.title) for e in entries] for number, _name, entries in months}
    assert by_month[3] == [
        (date(2027, 3, 11), "meeting", "Möte 09:00, Region Blekinge, Karlskrona"),
        (date(2027, 3, 31), "duty", "Årsrapport till PSVO"),
    ]
    assert by_month[1] == []
    html = response.content.decode()
    for name in MONTHS:
        assert f">{name}</h2>" in html
    assert html.count("Inget planerat.") == 9
    assert "Sammanställ avvikelser och tvister." in html
    meeting = year.body.meetings.get(starts_at__date=date(2027, 2, 11))
    assert f'href="{meeting.get_absolute_url()}"' in html


def test_the_public_sees_the_duties_but_not_the_planned_meetings(client, year):
    response = client.get(year_url(year.body))
    assert response.status_code == 200
    entries = [e for _number, _name, found in response.context["months"] for e in found]
    assert [(e.day, e.kind) for e in entries] == [(date(2027, 3, 31), "duty")]


def test_only_the_secretary_is_offered_the_rule_and_generate_forms(client, year, karlskrona_official):
    generate = f'action="{reverse("governance:cycle_generate", args=[year.body.pk, YEAR])}"'
    add_rule = f'action="{reverse("governance:cycle_rule_add", args=[year.body.pk, YEAR])}"'
    client.force_login(year.secretary.user)
    html = client.get(year_url(year.body)).content.decode()
    assert generate in html and add_rule in html
    assert "andra torsdagen i månaden (feb, mar, sep) kl. 09:00" in html
    for user in (year.region[0].user, year.chair.user, karlskrona_official, None):
        if user:
            client.force_login(user)
        else:
            client.logout()
        html = client.get(year_url(year.body)).content.decode()
        assert generate not in html and add_rule not in html and "Markera som klar" not in html


@pytest.mark.parametrize("year_number", [1999, 2101])
def test_a_year_far_away_is_404(client, lsvo, year_number):
    assert client.get(year_url(lsvo, year_number)).status_code == 404


def test_an_unknown_body_has_no_year(client, db):
    assert client.get(reverse("governance:annual_cycle", args=[999999, YEAR])).status_code == 404


def test_the_body_page_links_to_this_years_cycle(client, lsvo):
    html = client.get(lsvo.get_absolute_url()).content.decode()
    assert year_url(lsvo, timezone.localdate().year) in html


def post(client, user: User | None, name: str, *args, data=None):
    if user:
        client.force_login(user)
    return client.post(reverse(f"governance:{name}", args=args), data or {})


def test_the_secretary_generates_the_year_from_the_page(client, board):
    meeting_rule(board.body)
    duty_rule(board.body)
    response = post(client, board.secretary.user, "cycle_generate", board.body.pk, YEAR)
    assert response.status_code == 302 and response.url == year_url(board.body)
    assert (board.body.meetings.count(), CycleDuty.objects.count()) == (3, 1)
    html = client.get(response.url).content.decode()
    assert "Årshjulet är genererat: 3 nya möten, 1 nya uppgifter." in html


def test_a_member_or_outsider_cannot_generate(client, board, karlskrona_official):
    meeting_rule(board.body)
    assert post(client, board.region[0].user, "cycle_generate", board.body.pk, YEAR).status_code == 403
    assert post(client, board.chair.user, "cycle_generate", board.body.pk, YEAR).status_code == 403
    assert post(client, karlskrona_official, "cycle_generate", board.body.pk, YEAR).status_code == 403
    client.logout()
    response = post(client, None, "cycle_generate", board.body.pk, YEAR)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not board.body.meetings.exists()


def test_a_county_administrator_generates_like_the_secretary(client, board, blekinge_admin, kalmar_admin):
    meeting_rule(board.body)
    assert post(client, kalmar_admin, "cycle_generate", board.body.pk, YEAR).status_code == 403
    assert post(client, blekinge_admin, "cycle_generate", board.body.pk, YEAR).status_code == 302
    assert board.body.meetings.count() == 3


def test_generating_is_a_post(client, board):
    client.force_login(board.secretary.user)
    assert client.get(reverse("governance:cycle_generate", args=[board.body.pk, YEAR])).status_code == 405


def test_the_secretary_adds_a_rule_from_the_page(client, board):
    data = {
        "kind": "meeting",
        "title": "Möte",
        "months": ["2", "9"],
        "week": "-1",
        "weekday": "1",
        "time": "10:00",
    }
    response = post(client, board.secretary.user, "cycle_rule_add", board.body.pk, YEAR, data=data)
    assert response.status_code == 302
    added = CycleRule.objects.get()
    assert (added.body, added.months, added.week, added.weekday, added.time) == (
        board.body,
        [2, 9],
        -1,
        1,
        time(10),
    )
    assert added.history.get().history_user == board.secretary.user


def test_a_bad_rule_is_refused_with_messages_next_to_the_fields(client, board):
    data = {"kind": "duty", "title": "Uppgift", "months": ["3"]}
    response = post(client, board.secretary.user, "cycle_rule_add", board.body.pk, YEAR, data=data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_day_error"' in html
    assert "Ange en dag i månaden, eller vecka och veckodag." in html
    assert not CycleRule.objects.exists()


def test_a_rule_without_months_is_refused(client, board):
    data = {"kind": "duty", "title": "Uppgift", "day": "15"}
    response = post(client, board.secretary.user, "cycle_rule_add", board.body.pk, YEAR, data=data)
    assert response.status_code == 400
    assert 'id="id_months_error"' in response.content.decode()
    assert not CycleRule.objects.exists()


def test_a_member_cannot_add_a_rule(client, board):
    data = {"kind": "duty", "title": "Uppgift", "months": ["3"], "day": "15"}
    assert (
        post(client, board.region[0].user, "cycle_rule_add", board.body.pk, YEAR, data=data).status_code
        == 403
    )
    assert not CycleRule.objects.exists()


def test_the_secretary_marks_a_duty_done_and_undone_from_the_page(client, year):
    duty = CycleDuty.objects.get()
    response = post(client, year.secretary.user, "cycle_duty", duty.pk, data={"done": "1"})
    assert response.status_code == 302 and response.url == year_url(year.body)
    duty.refresh_from_db()
    assert duty.status == CycleDuty.Status.DONE
    assert "Markera som ej klar" in client.get(response.url).content.decode()
    post(client, year.secretary.user, "cycle_duty", duty.pk, data={"done": "0"})
    duty.refresh_from_db()
    assert duty.status == CycleDuty.Status.PLANNED
    assert duty.history.count() == 3


def test_a_member_cannot_mark_a_duty(client, year, karlskrona_official):
    duty = CycleDuty.objects.get()
    assert post(client, year.region[0].user, "cycle_duty", duty.pk, data={"done": "1"}).status_code == 403
    assert post(client, karlskrona_official, "cycle_duty", duty.pk, data={"done": "1"}).status_code == 403
    duty.refresh_from_db()
    assert duty.status == CycleDuty.Status.PLANNED


def test_an_unknown_duty_is_404(client, board):
    assert post(client, board.secretary.user, "cycle_duty", 999999, data={"done": "1"}).status_code == 404


# --- The year as a Word document ---------------------------------------------------------------------


def test_the_year_as_a_word_document_is_cached_publicly_only_for_the_public(client, year):
    url = reverse("governance:cycle_docx", args=[year.body.pk, YEAR])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="arshjul-LSVO-{YEAR}.docx"'
    assert response["Cache-Control"] == "public, max-age=300"
    client.force_login(year.region[0].user)
    assert client.get(url)["Cache-Control"] == "private, no-cache"


@pytest.mark.parametrize("year_number", [0, 1999, 2101, 99999])
def test_a_year_far_away_has_no_word_document_and_cannot_be_generated(client, board, year_number):
    meeting_rule(board.body)
    assert client.get(reverse("governance:cycle_docx", args=[board.body.pk, year_number])).status_code == 404
    assert post(client, board.secretary.user, "cycle_generate", board.body.pk, year_number).status_code == 404
    assert not board.body.meetings.exists()


# --- Query counts ------------------------------------------------------------------------------------


def fill_year(board: Board, meetings: int, duties: int) -> None:
    for n in range(meetings):
        plan(board, at(YEAR, 1 + n % 12, 1 + n // 12, 10))
    for n in range(duties):
        CycleDuty.objects.create(
            body=board.body, title=f"Uppgift {n}", due=date(YEAR, 1 + n % 12, 1 + n // 12)
        )


@pytest.mark.parametrize("persona", ["secretary", "member", "public"])
def test_year_page_query_count_is_flat(client, board, persona):
    user = {"secretary": board.secretary.user, "member": board.region[0].user, "public": None}[persona]
    if user:
        client.force_login(user)
    meeting_rule(board.body)
    duty_rule(board.body)
    fill_year(board, 2, 2)
    url = year_url(board.body)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(24):
        plan(board, at(YEAR, 1 + n % 12, 15 + n // 12, 10))
        CycleDuty.objects.create(body=board.body, title=f"Fler {n}", due=date(YEAR, 1 + n % 12, 20 + n // 12))
    meeting_rule(board.body, title="Extra", months=[4, 5])
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len([e for _n, _name, found in response.context["months"] for e in found]) > 24
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
