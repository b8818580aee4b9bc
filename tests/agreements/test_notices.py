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


def test_one_failing_address_does_not_stop_the_others(blekinge_editor, monkeypatch):
    from samverkan.models import Role
    from tests.factories import county, person

    second = person("R10", (Role.EDITOR, county("10")), username="editor2")
    second.email = "andra@example.se"
    second.save(update_fields=["email"])
    agreement()
    real_send = mail.get_connection().send_messages
    failing = blekinge_editor.email

    def send_messages(self, messages):
        if any(failing in m.to for m in messages):
            raise OSError("Mail server refused")
        return real_send(messages)

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", send_messages)
    assert notice_alerts_send(today=date(2024, 12, 1)) == 1
    assert [m.to for m in mail.outbox] == [["andra@example.se"]]
    assert NoticeAlert.objects.get().recipients == 2
