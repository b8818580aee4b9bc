"""Benchmark: the yearly deviation statistics of one county, and of the whole country, with many cases.

    make bench-deviations
    DATABASE_URL=... .venv/bin/python bench/deviations_bench.py [--cases 100000,200000]

Uses its own database (the DATABASE_URL's name + "_bench", shared with the other benchmarks), loads the demo
agreements, then fills one county and year (Blekinge 2025) with ``--cases`` deviations and disputes, plus a
tenth as many in each of two other years and two other counties so that the filter has something to skip.
Cases are spread over categories, concerned organisations, sections, areas, levels, states and feedback
times, and written with bulk inserts and no history rows. Running again with the same figures reuses them.

For each size, times ``deviations.selectors.statistics_live`` (before: one pass over the cases) and
``deviations.selectors.statistics`` (after: the rollup kept by the case services; rebuilt here because the
cases are bulk-inserted) in-process, checks that both give the same statistics, and times the public
statistics page through Django's test client; then the same for the whole country (every county's
cases of the year), and the page of both with the page cache off; prints median and p95. ``--explain``
prints EXPLAIN ANALYZE for each query of the statistics. Timing never fails anything; the script only
prints figures.
"""

import argparse
import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import report, setup_django

TZ = ZoneInfo("Europe/Stockholm")
COUNTY, YEAR = "10", 2025
BATCH = 5000
BENCH_USER = "bench.avvikelser"

# code, weight (a few categories dominate, as in real deviation reporting)
CATEGORY_WEIGHTS = {
    "duty-not-performed": 30,
    "information-not-transferred": 22,
    "discharge-failed": 16,
    "unit-unreachable": 12,
    "referral-not-answered": 10,
    "sip-late": 7,
    "other": 3,
}
LEVEL_WEIGHTS = {1: 84, 2: 11, 3: 4, 4: 1}
LEVEL_NAMES = {
    1: "Närmaste chef",
    2: "Lokal samverkansgrupp",
    3: "Länsövergripande samverkansgrupp",
    4: "LSVO",
}
OPEN_DEVIATION_STATES = ["reported", "received", "investigating", "measures_decided", "feedback_given"]


def _segments(main: int) -> list[tuple[str, int, int]]:
    """(county code, year, count): the measured county and year, and the others the filter must skip."""
    other = max(1, main // 10)
    return [
        (COUNTY, YEAR, main),
        (COUNTY, YEAR - 1, other),
        (COUNTY, YEAR + 1, other),
        ("08", YEAR, other),
        ("22", YEAR, other),
    ]


def prepare() -> None:
    """The demo agreements (without rendering PDFs) and the organisations they name."""
    from agreements.demo.loader import agreements_demo_load
    from samverkan.demo.loader import ASSOCIATIONS
    from samverkan.models import County, Organisation

    counties = {c.code: c for c in County.objects.all()}
    for code, name, short_name in ASSOCIATIONS:
        Organisation.objects.get_or_create(
            county=counties[code], name=name, defaults={"kind": "association", "short_name": short_name}
        )
    agreements_demo_load()


class Pool:
    """What the cases of one county are drawn from."""

    def __init__(self, code: str) -> None:
        from agreements.models import Agreement, Duty, ResponsibilityArea, Section
        from samverkan.models import Organisation

        self.agreement = (
            Agreement.objects.filter(county__code=code, versions__status="adopted").order_by("pk").first()
        )
        self.county_id = self.agreement.county_id
        version = self.agreement.versions.get(status="adopted")
        self.region = list(Organisation.objects.filter(county_id=self.county_id, kind="region"))
        self.municipalities = list(Organisation.objects.filter(county_id=self.county_id, kind="municipality"))
        self.sections = list(Section.objects.filter(version=version).order_by("order"))
        self.areas = list(ResponsibilityArea.objects.filter(version=version).order_by("order", "pk"))
        self.duties: dict[int, list[int]] = {}
        for area_id, duty_id in Duty.objects.filter(version=version).values_list("area_id", "pk"):
            self.duties.setdefault(area_id, []).append(duty_id)
        # skewed weights: a few sections and areas collect most cases
        self.section_weights = [1 / (i + 1) for i in range(len(self.sections))]
        self.area_weights = [1 / (i + 1) ** 0.7 for i in range(len(self.areas))]
        self.municipality_weights = [1 / (i + 1) ** 0.5 for i in range(len(self.municipalities))]


def _case(rng: random.Random, pool: Pool, year: int, categories: dict, user_id: int, today: date):
    from deviations.models import Case

    start = datetime(year, 1, 1, tzinfo=TZ)
    reported_at = start + timedelta(seconds=rng.randrange(365 * 86400))
    kind = "dispute" if rng.random() < 0.05 else "deviation"
    level = rng.choices(list(LEVEL_WEIGHTS), weights=list(LEVEL_WEIGHTS.values()))[0]
    from_region = rng.random() < 0.4
    reporter = rng.choice(pool.region) if from_region else _municipality(rng, pool)
    area = (
        rng.choices(pool.areas, weights=pool.area_weights)[0] if pool.areas and rng.random() < 0.75 else None
    )
    duties = pool.duties.get(area.pk, []) if area else []
    level_started = reported_at + timedelta(days=rng.uniform(10, 60) * (level - 1))
    started_day = level_started.astimezone(TZ).date()
    case = Case(
        kind=kind,
        county_id=pool.county_id,
        agreement=pool.agreement,
        section=rng.choices(pool.sections, weights=pool.section_weights)[0] if rng.random() < 0.9 else None,
        area=area,
        target_group_id=area.target_group_id if area else None,
        duty_id=rng.choice(duties) if duties and rng.random() < 0.5 else None,
        reporting_organisation=reporter,
        reported_by_id=user_id,
        reported_at=reported_at,
        category=categories[rng.choices(list(CATEGORY_WEIGHTS), weights=list(CATEGORY_WEIGHTS.values()))[0]]
        if kind == "deviation"
        else None,
        title="Avvikelse i samverkan",
        description="Genererad för prestandamätning.",
        event_date=reported_at.date(),
        question=rng.choice(["responsibility", "payment", "individual"]) if kind == "dispute" else "",
        level=level,
        level_name=LEVEL_NAMES[level],
        level_handler="parties" if level == 1 else "body",
        level_started_at=level_started,
        start_due=started_day + timedelta(days=14),
        feedback_due=started_day + timedelta(days=30),
        was_overdue=rng.random() < 0.15,
    )
    _progress(rng, case, today)
    return case, from_region


def _municipality(rng: random.Random, pool: Pool):
    return rng.choices(pool.municipalities, weights=pool.municipality_weights)[0]


def _progress(rng: random.Random, case, today: date) -> None:
    """State and timestamps: most cases received and answered (median about ten days), old ones closed."""
    final = "closed" if case.kind == "deviation" else rng.choice(["resolved", "resolved", "referred"])
    old = (today - case.reported_at.date()).days > 90
    roll = rng.random()
    if roll < 0.04:
        case.state = "reported" if case.kind == "deviation" else "raised"
        return
    case.level_started_handling_at = case.level_started_at + timedelta(days=rng.uniform(0.2, 16))
    if roll < 0.1:
        case.state = rng.choice(OPEN_DEVIATION_STATES[1:4]) if case.kind == "deviation" else "handling"
        return
    feedback = case.level_started_handling_at + timedelta(days=rng.lognormvariate(2.3, 0.8))
    case.level_feedback_at = feedback
    case.first_feedback_at = (
        feedback if case.level == 1 else case.reported_at + timedelta(days=rng.uniform(3, 30))
    )
    if old or roll > 0.3:
        case.state, case.closed_at = final, feedback + timedelta(days=rng.uniform(0.5, 14))
    else:
        case.state = "feedback_given" if case.kind == "deviation" else "handling"


def generate(main: int) -> None:
    """Fill the segments, unless they already hold exactly these numbers of cases."""
    from django.contrib.auth.models import User
    from django.db import connection, transaction
    from django.utils import timezone

    from deviations.models import Case, Category
    from deviations.selectors import year_range

    segments = _segments(main)
    counts = []
    for code, year, _count in segments:
        start, end = year_range(year)
        counts.append(
            Case.objects.filter(county__code=code, reported_at__gte=start, reported_at__lt=end).count()
        )
    if counts == [count for _c, _y, count in segments] and Case.objects.count() == sum(counts):
        print("Cases already generated.")
        _rollup_fresh()
        return
    with connection.cursor() as cursor:  # the benchmark owns these tables in its database
        cursor.execute("TRUNCATE deviations_case RESTART IDENTITY CASCADE")
    user, _created = User.objects.get_or_create(username=BENCH_USER)
    categories = {c.code: c for c in Category.objects.filter(county__isnull=True)}
    rng = random.Random(2026)  # noqa: S311 - benchmark data
    today = timezone.localdate()
    Concerned = Case.concerned.through
    started = time.perf_counter()
    for code, year, count in segments:
        pool = Pool(code)
        for offset in range(0, count, BATCH):
            rows = [
                _case(rng, pool, year, categories, user.pk, today) for _ in range(min(BATCH, count - offset))
            ]
            with transaction.atomic():
                Case.objects.bulk_create([case for case, _from_region in rows])
                Concerned.objects.bulk_create(
                    Concerned(case_id=case.pk, organisation_id=organisation.pk)
                    for (case, from_region) in rows
                    for organisation in _concerned(rng, pool, from_region)
                )
        print(f"  {code} {year}: {count} cases ({time.perf_counter() - started:.0f} s)", flush=True)
    _rollup_fresh()
    with connection.cursor() as cursor:  # as autovacuum would leave them: statistics and visibility map
        cursor.execute("VACUUM ANALYZE deviations_case, deviations_case_concerned, deviations_caserollup")


def _rollup_fresh() -> None:
    """The cases were written in bulk, past the services: compute the statistics' rollup from them (what
    ``manage.py case_rollup_rebuild`` does), unless it already counts every case."""
    from django.db.models import Sum

    from deviations import rollup
    from deviations.models import Case, CaseRollup

    counted = CaseRollup.objects.filter(dimension=rollup.TOTAL).aggregate(n=Sum("n"))["n"] or 0
    if counted != Case.objects.count():
        started = time.perf_counter()
        rows = rollup.rebuild()
        print(f"  rollup rebuilt: {rows} rows ({time.perf_counter() - started:.1f} s)", flush=True)


def _concerned(rng: random.Random, pool: Pool, from_region: bool) -> list:
    """The other side: a municipality (now and then two) for the region, the region for a municipality."""
    if not from_region:
        return pool.region
    first = _municipality(rng, pool)
    second = _municipality(rng, pool) if rng.random() < 0.1 else first
    return [first] if second == first else [first, second]


def timed(call, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def explain(county, year: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from deviations.selectors import statistics

    with CaptureQueriesContext(connection) as captured:
        statistics(county, year)
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
            print("\n" + query["sql"][:300] + " …")
            print("\n".join(row[0] for row in cursor.fetchall()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--cases",
        default="100000,200000",
        help="cases in the measured county and year; several sizes separated by commas, measured in turn",
    )
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of each query")
    args = parser.parse_args()

    os.environ.setdefault("TASKS_BACKEND", "django.tasks.backends.dummy.DummyBackend")  # no PDF rendering
    setup_django()
    prepare()
    for size in [int(part) for part in str(args.cases).split(",") if part.strip()]:
        measure(size, args)


def measure(size: int, args) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from deviations.models import Case
    from deviations.selectors import statistics, statistics_live
    from samverkan.models import County

    print(f"\n=== {size} cases for county {COUNTY} in {YEAR}, and a tenth as many elsewhere ===")
    generate(size)
    county = County.objects.get(code=COUNTY)
    stats, live = statistics(county, YEAR), statistics_live(county, YEAR)
    with CaptureQueriesContext(connection) as captured:
        statistics(county, YEAR)
    print(
        f"Database: {Case.objects.count()} cases, {Case.concerned.through.objects.count()} concerned rows; "
        f"{county.short_name} {YEAR}: {stats.total} cases, {stats.open} open, {stats.overdue} overdue, "
        f"median {stats.median_days_to_feedback:.1f} days to feedback; {len(captured)} queries; "
        f"the rollup's statistics equal the live computation: {'yes' if stats == live else 'NO'}"
    )
    if args.explain:
        explain(county, YEAR)
    timed(lambda: statistics_live(county, YEAR), 2)  # warm up
    report(
        f"before: statistics from the cases ({size})",
        timed(lambda: statistics_live(county, YEAR), args.rounds),
    )
    timed(lambda: statistics(county, YEAR), 2)
    report(
        f"after: statistics from the rollup ({size})", timed(lambda: statistics(county, YEAR), args.rounds)
    )
    national = statistics(None, YEAR)
    print(
        f"The whole country {YEAR}: {national.total} cases; the rollup's statistics equal the live "
        f"computation: {'yes' if national == statistics_live(None, YEAR) else 'NO'}"
    )
    report(
        f"before: the whole country from the cases ({national.total})",
        timed(lambda: statistics_live(None, YEAR), args.rounds),
    )
    report(
        f"after: the whole country from the rollup ({national.total})",
        timed(lambda: statistics(None, YEAR), args.rounds),
    )
    try:
        url = f"{reverse('deviations:statistics')}?lan={COUNTY}&ar={YEAR}"
    except NoReverseMatch:
        print("statistics page: no URL deviations:statistics yet, skipped")
        return
    client = Client()
    status = client.get(url).status_code
    if status != 200:
        print(f"statistics page: {url} answered {status}, skipped")
        return
    report(
        f"statistics page ({size}; the page cache may serve it)", timed(lambda: client.get(url), args.rounds)
    )
    from django.test import override_settings

    dummy = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    with override_settings(CACHES={"default": dummy, "pages": dummy}):
        for where, code in (("one county", COUNTY), ("the whole country", "riket")):
            page = f"{reverse('deviations:statistics')}?lan={code}&ar={YEAR}"
            report(
                f"statistics page, {where}, rendered every time ({size})",
                timed(lambda page=page: client.get(page), args.rounds),
            )


if __name__ == "__main__":
    main()
