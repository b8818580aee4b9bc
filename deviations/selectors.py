"""Reads for deviations and disputes: the lists, the case page and the yearly statistics."""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Aggregate, Count, F, FloatField, Func, Q, QuerySet
from django.db.models.functions import ExtractMonth
from django.http import Http404
from django.utils import timezone

from deviations import permissions
from deviations.models import FINAL_STATES, WAITING_STATES, Case, Event
from samverkan.models import County
from samverkan.permissions import AnyUser


def overdue_q(today: date) -> Q:
    """Open cases not started by the level's start deadline, or without feedback by its feedback deadline."""
    waiting = Q(state__in=WAITING_STATES, start_due__lt=today)
    no_feedback = Q(level_feedback_at__isnull=True, feedback_due__lt=today) & ~Q(state__in=FINAL_STATES)
    return waiting | no_feedback


def _listing(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.select_related("agreement", "reporting_organisation", "category", "handling_body").order_by(
        "-reported_at", "-pk"
    )


def with_overdue(cases: list[Case], today: date | None = None) -> list[Case]:
    """Mark each case (``case.overdue``) without another query."""
    today = today or timezone.localdate()
    for case in cases:
        case.overdue = case.is_open and (
            (case.state in WAITING_STATES and case.start_due and case.start_due < today)
            or (case.level_feedback_at is None and case.feedback_due and case.feedback_due < today)
        )
    return cases


@dataclass
class MyCases:
    reported: list[Case]
    concerning: list[Case]
    waiting: list[Case]


def my_cases(user: AnyUser, *, limit: int = 50) -> MyCases:
    """Open and recent cases reported by the user's organisations, concerning them, and waiting for the user
    to act at the current level."""
    organisations = permissions.reporting_organisations(user).filter(
        pk__in=permissions.core.organisations_acting_for(user).values("pk")
    )
    visible = permissions.cases_visible(user)
    reported = _listing(visible.filter(reporting_organisation__in=organisations))[:limit]
    concerning = _listing(visible.filter(concerned__in=organisations).distinct())[:limit]
    led = permissions.bodies_led_by(user)
    waiting = _listing(
        visible.exclude(state__in=FINAL_STATES)
        .filter(
            Q(level_handler="body", handling_body__in=led)
            | (
                ~Q(level_handler="body")
                & (Q(reporting_organisation__in=organisations) | Q(concerned__in=organisations))
            )
        )
        .distinct()
    )[:limit]
    return MyCases(*(with_overdue(list(q)) for q in (reported, concerning, waiting)))


def body_queue(body) -> list[Case]:
    """Open cases the body handles at their current level."""
    return with_overdue(
        list(_listing(Case.objects.filter(handling_body=body).exclude(state__in=FINAL_STATES)))
    )


def case_or_404(user: AnyUser, pk: int) -> Case:
    case = (
        permissions.cases_visible(user)
        .select_related(
            "agreement__county",
            "county",
            "reporting_organisation",
            "reporting_unit",
            "reported_by",
            "category",
            "section",
            "area",
            "duty",
            "target_group",
            "handling_body",
            "ladder__general_body",
        )
        .prefetch_related("concerned")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    return with_overdue([case])[0]


def timeline(case: Case) -> list[Event]:
    return list(case.events.select_related("by", "organisation").order_by("at", "pk"))


# --- Statistics -------------------------------------------------------------------------------------


class DaysBetween(Func):
    """Days (fractional) from the second timestamp to the first."""

    template = "EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0"
    arg_joiner = " - "
    output_field = FloatField()


class Median(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


@dataclass
class Statistics:
    county: County
    year: int
    total: int = 0
    deviations: int = 0
    disputes: int = 0
    open: int = 0
    overdue: int = 0
    median_days_to_feedback: float | None = None
    by_month: list[tuple[int, int]] = field(default_factory=list)
    by_category: list[tuple[str, int]] = field(default_factory=list)
    by_concerned: list[tuple[str, int]] = field(default_factory=list)
    by_section: list[tuple[str, int]] = field(default_factory=list)
    by_level: list[tuple[int, int]] = field(default_factory=list)
    by_area: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def overdue_share(self) -> float | None:
        return self.overdue / self.total if self.total else None


def year_range(year: int) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(date(year, 1, 1), time.min, tzinfo=zone),
        datetime.combine(date(year + 1, 1, 1), time.min, tzinfo=zone),
    )


def statistics(county: County, year: int, *, today: date | None = None) -> Statistics:
    """Aggregates over the county's cases reported in the year. Eight grouped queries, whatever the count."""
    today = today or timezone.localdate()
    start, end = year_range(year)
    cases = Case.objects.filter(county=county, reported_at__gte=start, reported_at__lt=end)
    totals = cases.aggregate(
        total=Count("pk"),
        deviations=Count("pk", filter=Q(kind=Case.Kind.DEVIATION)),
        disputes=Count("pk", filter=Q(kind=Case.Kind.DISPUTE)),
        open=Count("pk", filter=~Q(state__in=FINAL_STATES)),
        overdue=Count("pk", filter=Q(was_overdue=True) | overdue_q(today)),
        median=Median(
            DaysBetween(F("first_feedback_at"), F("reported_at")), filter=Q(first_feedback_at__isnull=False)
        ),
    )
    median = totals.pop("median")
    result = Statistics(county=county, year=year, median_days_to_feedback=median, **totals)
    if not result.total:
        return result

    def grouped(queryset, *keys):
        return [
            (*row[:-1], row[-1])
            for row in queryset.values_list(*keys).annotate(n=Count("pk")).order_by("-n", *keys)
        ]

    local_month = ExtractMonth("reported_at", tzinfo=timezone.get_current_timezone())
    result.by_month = list(
        cases.annotate(month=local_month).values_list("month").annotate(n=Count("pk")).order_by("month")
    )
    result.by_category = [
        (name or "–", n) for name, n in grouped(cases.filter(kind=Case.Kind.DEVIATION), "category__name")
    ]
    concerned = Case.concerned.through.objects.filter(case__in=cases)
    result.by_concerned = [
        (name, n)
        for name, n in concerned.values_list("organisation__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "organisation__name")
    ]
    result.by_section = [
        (f"{number} {title}".strip() if title else "–", n)
        for number, title, n in grouped(cases, "section__number", "section__title")
    ]
    result.by_level = sorted(grouped(cases, "level"))
    result.by_area = [
        (group or "–", area or "–", n)
        for group, area, n in grouped(cases.filter(area__isnull=False), "target_group__name", "area__name")
    ]
    return result


def counties_with_cases() -> QuerySet[County]:
    return County.objects.order_by("name")
