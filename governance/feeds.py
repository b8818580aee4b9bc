"""Calendar (iCalendar) and news (Atom) feeds of public meetings and protocols."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event

from governance import permissions, selectors
from governance.models import Meeting
from samverkan.models import County

MEETING_MINUTES = 180  # assumed length of a meeting, for calendars


def _calendar(name: str, meetings) -> HttpResponse:
    calendar = Calendar()
    calendar.add("prodid", "-//Samverkan//sv")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    base = settings.SITE_URL.rstrip("/")
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@samverkan")
        event.add("summary", str(meeting.body))
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.starts_at + timedelta(minutes=MEETING_MINUTES))
        event.add("dtstamp", timezone.now())
        if meeting.location:
            event.add("location", meeting.location)
        event.add("url", base + meeting.get_absolute_url())
        event.add("status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED")
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="samverkan.ics"'
    return response


@require_safe
def body_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """The body's meetings that the requester may see."""
    body = selectors.body_or_404(pk)
    meetings = permissions.meetings_visible(request.user).filter(body=body).select_related("body__county")
    return _calendar(str(body), meetings.order_by("starts_at"))


@login_required
@require_safe
def my_calendar(request: HttpRequest) -> HttpResponse:
    """The meetings of every body the user belongs to."""
    bodies = permissions.bodies_member_of(request.user)
    meetings = Meeting.objects.filter(body__in=bodies).select_related("body__county").order_by("starts_at")
    return _calendar(_("Mina möten i Samverkan"), meetings)


class ProtocolFeed(Feed):
    """Published protocols of a county's bodies, newest first."""

    feed_type = Atom1Feed

    def get_object(self, request, code):
        return get_object_or_404(County, code=code)

    def title(self, county):
        return _("Publicerade protokoll – %(county)s") % {"county": county.name}

    def link(self, county):
        return f"/organ/?lan={county.code}"

    def subtitle(self, county):
        return _("Protokoll från samverkansorganen i %(county)s") % {"county": county.name}

    def items(self, county):
        return (
            Meeting.objects.filter(body__county=county, status=Meeting.Status.PUBLISHED)
            .select_related("body__county")
            .order_by("-protocol_published_at")[:50]
        )

    def item_title(self, meeting):
        return _("Protokoll %(body)s %(date)s") % {
            "body": meeting.body,
            "date": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d"),
        }

    def item_description(self, meeting):
        return _("Protokollet från mötet i %(body)s är justerat och publicerat.") % {
            "body": meeting.body.name
        }

    def item_pubdate(self, meeting):
        return meeting.protocol_published_at

    def item_updateddate(self, meeting):
        return meeting.protocol_published_at
