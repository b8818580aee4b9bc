from datetime import date

from django.core import mail

from agreements.models import Agreement, NoticeAlert
from agreements.notices import notice_alerts_send
from tests.factories import agreement


def test_editors_get_one_reminder_per_step_before_the_notice_deadline(blekinge_editor, karlskrona_official):
    agreement()  # Blekinge terms: valid to 2026-12-31, 12 months' notice -> deadline 2025-12-31
    assert notice_alerts_send(today=date(2024, 11, 30)) == 0  # more than 13 months before
    assert notice_alerts_send(today=date(2024, 12, 1)) == 1
    assert mail.outbox[0].to == [blekinge_editor.email]
    assert "Sista dag att säga upp" in mail.outbox[0].subject
    assert notice_alerts_send(today=date(2024, 12, 2)) == 0  # the 13-month step was sent already
    assert notice_alerts_send(today=date(2025, 7, 1)) == 1  # 6 months before
    assert NoticeAlert.objects.count() == 2


def test_a_missed_day_is_caught_up_with_the_nearest_step(blekinge_editor):
    agreement()
    assert notice_alerts_send(today=date(2025, 12, 1)) == 1
    assert NoticeAlert.objects.get().months_before == 1


def test_terminated_agreement_reminds_of_its_end(blekinge_editor):
    version = agreement()
    Agreement.objects.filter(pk=version.agreement_id).update(notice_given_on=date(2025, 6, 1))
    assert notice_alerts_send(today=date(2026, 10, 1)) == 1
    assert "upphör" in mail.outbox[0].subject


def test_no_editor_means_no_mail_but_the_step_is_recorded(db):
    agreement()
    assert notice_alerts_send(today=date(2025, 12, 1)) == 0
    assert NoticeAlert.objects.get().recipients == 0
