"""The review cycle of an agreement: how often it is followed up and by when the next review is due."""

from datetime import date

from django.core import mail
from django.urls import reverse

from agreements.models import Agreement, NoticeAlert
from agreements.notices import notice_alerts_send
from agreements.selectors import notice_watch_rows
from tests.factories import agreement, agreement_data


def with_review(version, **fields) -> Agreement:
    Agreement.objects.filter(pk=version.agreement_id).update(**fields)
    return Agreement.objects.get(pk=version.agreement_id)


def test_a_review_is_due_in_its_last_three_months_and_late_after_its_date(db):
    deal = with_review(agreement(), review_due=date(2027, 3, 31))
    assert deal.review_state(date(2026, 12, 30)) == ""
    assert deal.review_state(date(2026, 12, 31)) == "due"
    assert deal.review_state(date(2027, 3, 31)) == "due"
    assert deal.review_state(date(2027, 4, 1)) == "overdue"
    assert with_review(agreement(county="08"), review_due=None).review_state(date(2027, 4, 1)) == ""


def test_the_agreement_page_shows_the_cycle_and_a_late_review(client, db):
    deal = with_review(agreement(), review_every_years=2, review_due=date(2020, 6, 30))
    html = client.get(reverse("agreements:detail", args=[deal.pk])).content.decode()
    assert "minst vart 2:e år" in html
    assert "30 juni 2020" in html and "försenad" in html


def test_the_watch_list_and_the_reminders_include_a_due_review(blekinge_editor):
    deal = with_review(agreement(), review_due=date(2025, 3, 31))
    rows = notice_watch_rows([deal], date(2025, 2, 1))
    assert [(row.what, row.next_date, row.late) for row in rows if row.what == "review"] == [
        ("review", date(2025, 3, 31), False)
    ]
    late = [row for row in notice_watch_rows([deal], date(2025, 4, 2)) if row.what == "review"]
    assert late[0].late
    mail.outbox.clear()
    assert notice_alerts_send(today=date(2025, 3, 1)) >= 1
    assert any("ska följas upp senast 2025-03-31" in m.subject for m in mail.outbox)
    assert NoticeAlert.objects.filter(what="review").count() == 1


def test_the_import_format_takes_the_review_fields(db):
    from agreements import services
    from agreements.importer import parse_data

    data = agreement_data(title="Med uppföljning")
    data["agreement"]["review_every_years"] = 1
    data["agreement"]["review_due"] = "2027-06-30"
    version = services.agreement_version_import(parsed=parse_data(data, "t.yaml"), source="t.yaml", by=None)
    assert (version.agreement.review_every_years, version.agreement.review_due) == (1, date(2027, 6, 30))


def test_the_api_gives_the_review_fields(client, db):
    deal = with_review(agreement(), review_every_years=1, review_due=date(2027, 6, 30))
    body = client.get(f"/api/v1/agreements/{deal.pk}").json()
    assert (body["review_every_years"], body["review_due"]) == (1, "2027-06-30")
