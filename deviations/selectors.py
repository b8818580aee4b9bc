"""Reads for deviations and disputes: the lists, the case page and the yearly statistics."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Concat, Length
from django.db.models.lookups import StartsWith
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements import permissions as agreement_permissions
from agreements.models import Agreement, ResponsibilityArea, Section, TargetGroup
from deviations import permissions, rollup
from deviations.models import (
    FINAL_STATES,
    HANDLING_ACTIONS,
    Case,
    CaseRollup,
    Category,
    DaysBetween,
    Event,
    Ladder,
    LadderLevel,
    Position,
    overdue_sql,
)
from samverkan.concurrency import with_seen
from samverkan.history import HistoryEntry, history_of
from samverkan.models import County, Organisation
from samverkan.permissions import AnyUser, organisations_acting_for


def agreements_to_report_on(user: AnyUser) -> QuerySet[Agreement]:
    """The agreements the user may read in the counties of the organisations they may report for."""
    counties = permissions.reporting_organisations(user).values("county")
    return agreement_permissions.agreements_visible(user).filter(county__in=counties).select_related("county")


def _listing(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.select_related("agreement", "reporting_organisation", "category", "handling_body").order_by(
        "-reported_at", "-pk"
    )


@dataclass
class MyCases:
    reported: list[Case]
    concerning: list[Case]
    waiting: list[Case]


def my_cases(user: AnyUser, *, limit: int = 50) -> MyCases:
    """Recent cases reported by the user (or their organisations), concerning their organisations, and open
    cases waiting for the user to act at the current level.

    Each list's own condition is one of the reasons a case is visible (``permissions.cases_visible``), so
    the lists filter on it alone: the whole visibility test (an OR of subqueries over every case) would
    make PostgreSQL examine all cases of the installation on every request. The body branch also requires
    the body to be among the case's involved bodies, as visibility does. The user's organisations and led
    bodies are fetched first, so that the planner sees the few ids and uses the indexes.
    """
    if not user.is_authenticated:
        return MyCases([], [], [])
    organisations = list(organisations_acting_for(user).values_list("pk", flat=True))
    concerned = Case.concerned.through.objects.filter(organisation_id__in=organisations)
    concerning_ids = concerned.values("case_id")
    own = Q(reporting_organisation__in=organisations) | Q(reported_by=user)
    reported = _listing(Case.objects.filter(own))
    concerning = _listing(Case.objects.filter(pk__in=concerning_ids))
    led = list(permissions.bodies_led_by(user).values_list("pk", flat=True))
    involved_led = Case.involved_bodies.through.objects.filter(case_id=OuterRef("pk"), body_id__in=led)
    open_cases = Case.objects.exclude(state__in=FINAL_STATES)
    parties = open_cases.exclude(level_handler="body")
    # One indexed query per reason, each the latest ``limit``, instead of one OR that scans every case.
    waiting_ids = {
        pk
        for branch in (
            open_cases.filter(level_handler="body", handling_body__in=led).filter(Exists(involved_led)),
            parties.filter(reporting_organisation__in=organisations),
            parties.filter(pk__in=concerning_ids),
        )
        for pk in branch.order_by("-reported_at", "-pk").values_list("pk", flat=True)[:limit]
    }
    waiting = _listing(Case.objects.filter(pk__in=waiting_ids))
    return MyCases(*(list(q[:limit]) for q in (reported, concerning, waiting)))


def body_queue(body) -> list[Case]:
    """Open cases the body handles at their current level."""
    return list(_listing(Case.objects.filter(handling_body=body).exclude(state__in=FINAL_STATES)))


def case_or_404(user: AnyUser, pk: int) -> Case:
    case = (
        with_seen(permissions.cases_visible(user))  # the version the handlers' forms act on
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
    return case


def timeline(case: Case) -> list[Event]:
    return list(case.events.select_related("by", "organisation").order_by("at", "pk"))


def case_history(case: Case) -> list[HistoryEntry]:
    return history_of(
        (_("Ärendet"), Case.history.filter(id=case.pk), lambda r: case.reference),
        (_("Ståndpunkt"), Position.history.filter(case_id=case.pk), lambda r: str(_("Ståndpunkt"))),
    )


# --- Statistics -------------------------------------------------------------------------------------


class Median(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


@dataclass
class Statistics:
    county: County | None  # None: the whole country
    year: int
    total: int = 0
    deviations: int = 0
    disputes: int = 0
    open: int = 0
    overdue: int = 0
    median_days_to_feedback: Decimal | None = None  # rounded once, to one decimal: every output shows this
    by_month: list[tuple[int, int]] = field(default_factory=list)
    by_category: list[tuple[str, int]] = field(default_factory=list)
    by_concerned: list[tuple[str, int]] = field(default_factory=list)
    by_section: list[tuple[str, int]] = field(default_factory=list)
    by_level: list[tuple[int, int]] = field(default_factory=list)
    by_area: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def overdue_share(self) -> float | None:
        return self.overdue / self.total if self.total else None

    @property
    def overdue_percent(self) -> Decimal | None:
        """The overdue share in per cent, rounded once to one decimal (the page, CSV and PDF show this)."""
        return None if self.overdue_share is None else one_decimal(self.overdue_share * 100)


def one_decimal(value: float | None) -> Decimal | None:
    """``value`` rounded half up to one decimal, as people round: 15.45 → 15.5."""
    if value is None:
        return None
    return Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def year_range(year: int) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(date(year, 1, 1), time.min, tzinfo=zone),
        datetime.combine(date(year + 1, 1, 1), time.min, tzinfo=zone),
    )


# One pass over the county's cases of the year gives every grouping at once (GROUPING SETS); the median and
# the concerned organisations (a many-to-many) take one query each, and the names one query per kind.
GROUPINGS_SQL = """
SELECT GROUPING(month, category_id, section_id, level, target_group_id, area_id) AS grouping,
       month, category_id, section_id, level, target_group_id, area_id,
       COUNT(*) AS n,
       COUNT(*) FILTER (WHERE kind = %(deviation)s) AS deviations,
       COUNT(*) FILTER (WHERE state <> ALL(%(final)s)) AS open,
       COUNT(*) FILTER (WHERE was_overdue OR overdue_now) AS overdue
FROM (
    SELECT EXTRACT(MONTH FROM reported_at AT TIME ZONE %(zone)s)::int AS month,
           CASE WHEN kind = %(deviation)s THEN category_id END AS category_id,
           section_id, level, target_group_id, area_id,
           kind, state, was_overdue, ({overdue_now}) AS overdue_now
    FROM deviations_case
    WHERE (%(county)s::bigint IS NULL OR county_id = %(county)s)
      AND reported_at >= %(start)s AND reported_at < %(end)s
) AS cases
GROUP BY GROUPING SETS ((), (month), (category_id), (section_id), (level), (target_group_id, area_id))
"""
# GROUPING() sets one bit per column left out, the first column being the highest bit.
ALL_OUT, BY_MONTH, BY_CATEGORY, BY_SECTION, BY_LEVEL, BY_AREA = (
    0b111111,
    0b011111,
    0b101111,
    0b110111,
    0b111011,
    0b111100,
)


def _merged(pairs) -> list[tuple[str, int]]:
    """Sum counts per label (sections and areas of different versions may share a label), most first."""
    totals: dict = {}
    for label, n in pairs:
        totals[label] = totals.get(label, 0) + n
    return sorted(totals.items(), key=lambda item: (-item[1], item[0]))


def _target_group_of_section() -> Subquery:
    """The name of the target group whose chapter holds the section (4.3.3 lies in 4.3), so that the many
    sections titled "Ansvarsfördelning" can be told apart."""
    return Subquery(
        TargetGroup.objects.filter(
            StartsWith(OuterRef("number"), Concat("section_number", Value("."))),
            version=OuterRef("version"),
            section_number__gt="",
        )
        .order_by(Length("section_number").desc())
        .values("name")[:1]
    )


@dataclass(frozen=True)
class GroupRow:
    """One row of GROUPINGS_SQL, by column name."""

    grouping: int
    month: int | None
    category_id: int | None
    section_id: int | None
    level: int | None
    target_group_id: int | None
    area_id: int | None
    n: int
    deviations: int
    open: int
    overdue: int

    @classmethod
    def empty(cls) -> "GroupRow":
        return cls(ALL_OUT, None, None, None, None, None, None, 0, 0, 0, 0)

    @classmethod
    def one(cls, grouping: int, **values) -> "GroupRow":
        """A row of one grouping, the columns not given empty."""
        row = dict.fromkeys(("month", "category_id", "section_id", "level", "target_group_id", "area_id"))
        return cls(grouping=grouping, **(row | {"n": 0, "deviations": 0, "open": 0, "overdue": 0} | values))


def _in_county(county: County | None, field: str = "county") -> dict:
    """The filter to one county's rows, or none for the whole country (``county`` None)."""
    return {} if county is None else {field: county}


def statistics(county: County | None, year: int, *, today: date | None = None) -> Statistics:
    """Aggregates over the county's cases reported in the year (the whole country's when ``county`` is
    None), from the rollup (``deviations.rollup``, kept by the case services): a few hundred rows per county
    whatever the number of cases, plus two small live queries (cases overdue today that the daily job has
    not flagged yet, and the median)."""
    today = today or timezone.localdate()
    cells = CaseRollup.objects.filter(year=year, **_in_county(county)).values_list(
        "month", "dimension", "key", "n", "deviations", "open", "flagged_overdue"
    )
    totals = [0, 0, 0, 0]
    sums: dict[tuple[int, int], list[int]] = {}
    for month, dimension, key, n, deviations, open_, flagged in cells:
        if dimension == rollup.TOTAL:
            for i, value in enumerate((n, deviations, open_, flagged)):
                totals[i] += value
            sums.setdefault((rollup.TOTAL, month), [0, 0])[0] += n
        else:
            pair = sums.setdefault((dimension, key), [0, 0])
            pair[0] += n
            pair[1] += deviations

    def rows(dimension: int, grouping: int, field: str, *, by: str = "n") -> list[GroupRow]:
        found = []
        for (d, key), (n, deviations) in sums.items():
            if d == dimension and (n if by == "n" else deviations) > 0:
                found.append(GroupRow.one(grouping, **{field: key or None}, n=n, deviations=deviations))
        return found

    groups = {
        ALL_OUT: [
            GroupRow.one(ALL_OUT, n=totals[0], deviations=totals[1], open=totals[2], overdue=totals[3])
        ],
        BY_MONTH: [
            GroupRow.one(BY_MONTH, month=key, n=n)
            for (d, key), (n, _d) in sums.items()
            if d == rollup.TOTAL and n > 0
        ],
        BY_CATEGORY: rows(rollup.CATEGORY, BY_CATEGORY, "category_id", by="deviations"),
        BY_SECTION: rows(rollup.SECTION, BY_SECTION, "section_id"),
        BY_LEVEL: rows(rollup.LEVEL, BY_LEVEL, "level"),
        BY_AREA: rows(rollup.AREA, BY_AREA, "area_id"),
    }
    concerned = {key: n for (d, key), (n, _d) in sums.items() if d == rollup.CONCERNED and n > 0}
    names = Organisation.objects.filter(pk__in=concerned).order_by("name").values_list("pk", "name")
    by_concerned = sorted(((name, concerned[pk]) for pk, name in names), key=lambda item: -item[1])
    return _statistics_of(
        county, year, groups, by_concerned, live=lambda: _median_and_unflagged(county, year, today)
    )


def statistics_live(county: County | None, year: int, *, today: date | None = None) -> Statistics:
    """The same aggregates computed from the cases themselves (one pass with GROUPING SETS): what the
    rollup must equal (tests/deviations/test_rollup.py), and the benchmark's "before"."""
    today = today or timezone.localdate()
    start, end = year_range(year)
    params = {
        "county": county.pk if county else None,
        "start": start,
        "end": end,
        "today": today,
        "zone": timezone.get_current_timezone_name(),
        "deviation": Case.Kind.DEVIATION.value,
        "final": [str(state) for state in FINAL_STATES],
    }
    overdue_now, overdue_params = overdue_sql(today, connection)
    with connection.cursor() as cursor:
        cursor.execute(GROUPINGS_SQL.format(overdue_now=overdue_now), params | overdue_params)
        columns = [column.name for column in cursor.description]
        rows = [GroupRow(**dict(zip(columns, row, strict=True))) for row in cursor.fetchall()]
    groups: dict[int, list[GroupRow]] = {}
    for row in rows:
        groups.setdefault(row.grouping, []).append(row)
    concerned = Case.concerned.through.objects.filter(
        case__reported_at__gte=start, case__reported_at__lt=end, **_in_county(county, "case__county")
    )
    by_concerned = list(
        concerned.values_list("organisation__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "organisation__name")
    )
    return _statistics_of(county, year, groups, by_concerned, live=lambda: (_median_sorted(county, year), 0))


def _statistics_of(
    county: County | None,
    year: int,
    groups: dict[int, list[GroupRow]],
    by_concerned: list[tuple[str, int]],
    *,
    live: Callable[[], tuple[float | None, int]],
) -> Statistics:
    """The statistics from the grouped counts: names for the ids, sorted lists, and what ``live`` computes
    when there are cases: the median days to feedback, and the cases overdue today that the grouped counts
    do not hold yet (the rollup counts the flagged ones only), which are added to the overdue count."""
    totals = groups.get(ALL_OUT, [GroupRow.empty()])[0]
    result = Statistics(
        county=county,
        year=year,
        total=totals.n,
        deviations=totals.deviations,
        disputes=totals.n - totals.deviations,
        open=totals.open,
        overdue=totals.overdue,
    )
    if not totals.n:
        return result
    median, not_counted = live()
    result.overdue += not_counted
    result.median_days_to_feedback = one_decimal(median)
    result.by_month = sorted((row.month, row.n) for row in groups.get(BY_MONTH, []))
    result.by_level = sorted((row.level, row.n) for row in groups.get(BY_LEVEL, []))

    category_rows = [row for row in groups.get(BY_CATEGORY, []) if row.deviations]  # deviations only
    names = dict(
        Category.objects.filter(pk__in=[r.category_id for r in category_rows]).values_list("pk", "name")
    )
    result.by_category = _merged((names.get(r.category_id, "–"), r.deviations) for r in category_rows)

    section_rows = groups.get(BY_SECTION, [])
    sections = {
        pk: " – ".join(filter(None, [f"{number} {title}".strip(), group]))
        for pk, number, title, group in Section.objects.filter(pk__in=[r.section_id for r in section_rows])
        .annotate(group=_target_group_of_section())
        .values_list("pk", "number", "title", "group")
    }
    result.by_section = _merged((sections.get(r.section_id, "–"), r.n) for r in section_rows)

    area_rows = [row for row in groups.get(BY_AREA, []) if row.area_id is not None]
    areas = {
        pk: (group, name)
        for pk, group, name in ResponsibilityArea.objects.filter(
            pk__in=[r.area_id for r in area_rows]
        ).values_list("pk", "target_group__name", "name")
    }
    result.by_area = [
        (*label, n) for label, n in _merged((areas.get(r.area_id, ("–", "–")), r.n) for r in area_rows)
    ]
    result.by_concerned = by_concerned
    return result


# The median of a year's days to first feedback, as percentile_cont(0.5) computes it, without sorting the
# year's cases: count them on the index (county, year, days) (or (year, days) for the whole country), then
# walk it to the middle one or two (Case.feedback_days, Case.reported_year). And the cases overdue today
# that the daily job has not flagged yet (on the index of open cases by state and deadline).
LIVE_SQL = """
WITH counted AS (SELECT count(*) AS n FROM deviations_case WHERE {with_feedback})
SELECT n,
       ARRAY(SELECT feedback_days FROM deviations_case WHERE {with_feedback}
              ORDER BY feedback_days OFFSET (SELECT (n - 1) / 2 FROM counted) LIMIT 2),
       (SELECT count(*) FROM deviations_case
         WHERE {reported} AND NOT was_overdue AND state <> ALL(%(final)s) AND ({overdue_now}))
  FROM counted
"""


def _median_sorted(county: County | None, year: int) -> float | None:
    """The median days to first feedback by PostgreSQL's own ``percentile_cont``, sorting the year's cases:
    the reference for ``_median_and_unflagged``."""
    start, end = year_range(year)
    cases = Case.objects.filter(reported_at__gte=start, reported_at__lt=end, **_in_county(county))
    days = DaysBetween(F("first_feedback_at"), F("reported_at"))
    return cases.aggregate(median=Median(days, filter=Q(first_feedback_at__isnull=False)))["median"]


def _median_and_unflagged(county: County | None, year: int, today: date) -> tuple[float | None, int]:
    """The median number of days to first feedback of the cases reported in the year in the county (the
    whole country for None), equal to PostgreSQL's ``percentile_cont(0.5)``: the middle value, or the
    lower middle plus half the step to the upper one (the same float arithmetic); and how many of those
    cases are overdue today but not yet flagged (``was_overdue``)."""
    in_county = "" if county is None else " AND county_id = %(county)s"
    overdue_now, overdue_params = overdue_sql(today, connection)
    start, end = year_range(year)
    sql = LIVE_SQL.format(
        with_feedback="reported_year = %(year)s AND feedback_days IS NOT NULL" + in_county,
        reported="reported_at >= %(start)s AND reported_at < %(end)s" + in_county,
        overdue_now=overdue_now,
    )
    params = {
        "year": year,
        "county": county.pk if county else None,
        "start": start,
        "end": end,
        "final": [str(state) for state in FINAL_STATES],  # the open cases' index (case_open_unflagged)
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params | overdue_params)
        n, middle, not_flagged = cursor.fetchone()
    if not n:
        return None, not_flagged
    if n % 2:
        return middle[0], not_flagged
    return middle[0] + (middle[1] - middle[0]) * 0.5, not_flagged


def ladder_for(agreement, kind: str) -> Ladder | None:
    """The ladder a case of ``kind`` follows: the agreement's route for that kind, else the one for both."""
    ladders = {ladder.applies_to: ladder for ladder in Ladder.objects.filter(agreement=agreement)}
    return ladders.get(kind) or ladders.get(Ladder.AppliesTo.BOTH)


def ladder_with_levels(
    agreement, applies_to: str = Ladder.AppliesTo.BOTH
) -> tuple[Ladder | None, list[LadderLevel]]:
    """The agreement's ladder for ``applies_to`` and its levels with their bodies; (None, []) when none."""
    ladder = Ladder.objects.filter(agreement=agreement, applies_to=applies_to).first()
    levels = ladder.levels.select_related("deciding_body").prefetch_related("bodies") if ladder else []
    return ladder, list(levels)


def ladders_of(agreement) -> list[Ladder]:
    """Every route of the agreement with its levels, bodies loaded (for its page and the ladders page)."""
    return list(
        Ladder.objects.filter(agreement=agreement)
        .select_related("general_body")
        .prefetch_related(
            Prefetch("levels", LadderLevel.objects.select_related("deciding_body")), "levels__bodies"
        )
        .order_by("applies_to")
    )


def ladder_level(case: Case, number: int | None = None) -> LadderLevel | None:
    """The level of the case's ladder at ``number`` (its current level by default), with its bodies."""
    if case.ladder_id is None:
        return None
    return (
        case.ladder.levels.filter(number=number or case.level)
        .select_related("deciding_body")
        .prefetch_related("bodies")
        .first()
    )


def escalation_waits_until(case: Case, *, now: datetime | None = None) -> date | None:
    """None when the case may leave its level now; otherwise the last day the level's handlers have to start
    before it may be escalated without them. A level is passed on once its handlers have acted (a handling
    action at the level) or its start deadline has passed, unless the ladder lets it be escalated at once."""
    today = timezone.localtime(now or timezone.now()).date()
    if case.start_due is None or today > case.start_due:  # no deadline set: the case may be raised any time
        return None
    level = ladder_level(case)
    if level is not None and level.escalate_at_once:
        return None
    if case.events.filter(level=case.level, action__in=HANDLING_ACTIONS).exists():
        return None
    return case.start_due
