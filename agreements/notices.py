"""Reminders to editors about notice deadlines and end dates (run daily: manage.py send_notice_alerts).

Each agreement's coming deadline is announced 13, 6, 3 and 1 month(s) before, once per step; a day that
the command did not run is caught up the next time (only the nearest step is sent)."""

from datetime import date

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from agreements.models import Agreement, NoticeAlert
from agreements.selectors import notice_watch_rows
from agreements.validity import add_months
from samverkan.models import County, Role
from samverkan.selectors import holders_of
from samverkan.tasks import email_send

STEPS = (1, 3, 6, 13)  # months before the date, nearest first


def editors_of(county: County) -> list[User]:
    return list(holders_of(Role.EDITOR, county).exclude(email=""))


def _step(today: date, due: date) -> int | None:
    """The nearest reminder step that today has reached for a date that is due."""
    return next((months for months in STEPS if today >= add_months(due, -months)), None)


def notice_alerts_send(*, today: date) -> int:
    """Send the reminders due today; returns how many e-mails were sent."""
    agreements = list(Agreement.objects.select_related("county"))
    sent = 0
    for row in notice_watch_rows(agreements, today):
        months = _step(today, row.next_date)
        if months is None:
            continue
        with transaction.atomic():
            alert, created = NoticeAlert.objects.get_or_create(
                agreement=row.agreement, what=row.what, due=row.next_date, months_before=months
            )
            if not created:
                continue
            recipients = editors_of(row.agreement.county)
            if row.what == "notice":
                subject = _("Sista dag att säga upp %(title)s: %(date)s")
            elif row.what == "review":
                subject = _("%(title)s ska följas upp senast %(date)s")
            else:
                subject = _("%(title)s upphör %(date)s")
            subject = subject % {"title": row.agreement, "date": row.next_date.isoformat()}
            body = _("%(title)s (%(county)s)\n\n%(what)s: %(date)s.\n\nSe överenskommelsen: %(url)s\n") % {
                "title": row.agreement.title,
                "county": row.agreement.county.name,
                "what": subject,
                "date": row.next_date.isoformat(),
                "url": settings.SITE_URL.rstrip("/") + row.agreement.get_absolute_url(),
            }
            # The one e-mail path: each address on its own, a failing address logged and skipped.
            sent += email_send.call(
                subject=str(subject), body=str(body), to=[user.email for user in recipients]
            )
            alert.recipients = len(recipients)
            alert.save(update_fields=["recipients"])
    return sent
