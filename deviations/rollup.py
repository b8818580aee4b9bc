"""The statistics' rollup (``CaseRollup``): what each case adds to the counts of its county, year and month,
per dimension, kept up to date by the case services in the same transaction.

A case's contribution is a ``Snapshot`` of the fields the statistics count. A service that changes a case
takes the snapshot before and after (``services._save``) and ``apply`` adds the difference with one upsert,
so concurrent changes add up in the database. What depends on the day (a case that is overdue today but not
yet flagged by the daily job) and the median are computed live by the statistics, from small index scans.
"""

from django.db import connection, transaction
from django.utils import timezone

from deviations.models import FINAL_STATES, ROLLUP_FIELDS, Case, RollupSnapshot, rollup_snapshot

TOTAL, CATEGORY, SECTION, LEVEL, AREA, CONCERNED = range(6)
Snapshot = RollupSnapshot
snapshot = rollup_snapshot


def before_save(case: Case) -> Snapshot | None:
    """What the case adds now, before a change is saved: as it was loaded, or (loaded without those fields)
    as the database has it."""
    if case.pk is None:
        return None
    loaded = getattr(case, "_rollup", None)
    if loaded is not None:
        return loaded
    stored = Case.objects.filter(pk=case.pk).only(*ROLLUP_FIELDS).first()
    return snapshot(stored) if stored else None


def saved(case: Case, before: Snapshot | None) -> None:
    """After the save: move the case's contribution, and remember it for the next save."""
    after = snapshot(case)
    apply(before, after)
    case._rollup = after


def _cells(s: Snapshot, sign: int) -> list[tuple]:
    counts = (sign, sign if s.deviation else 0, sign if s.open else 0, sign if s.was_overdue else 0)
    keys = [
        (TOTAL, 0),
        (CATEGORY, (s.category_id or 0) if s.deviation else 0),
        (SECTION, s.section_id or 0),
        (LEVEL, s.level),
        (AREA, s.area_id or 0),
    ]
    return [(s.county_id, s.year, s.month, dimension, key, *counts) for dimension, key in keys]


UPSERT = """
INSERT INTO deviations_caserollup
    (county_id, year, month, dimension, key, n, deviations, open, flagged_overdue)
VALUES {values}
ON CONFLICT (county_id, year, month, dimension, key) DO UPDATE SET
    n = deviations_caserollup.n + EXCLUDED.n,
    deviations = deviations_caserollup.deviations + EXCLUDED.deviations,
    open = deviations_caserollup.open + EXCLUDED.open,
    flagged_overdue = deviations_caserollup.flagged_overdue + EXCLUDED.flagged_overdue
"""


def _add(cells: list[tuple]) -> None:
    totals: dict[tuple, list[int]] = {}
    for cell in cells:
        sums = totals.setdefault(cell[:5], [0, 0, 0, 0])
        for i, value in enumerate(cell[5:]):
            sums[i] += value
    rows = [(*key, *sums) for key, sums in totals.items() if any(sums)]
    if not rows:
        return
    values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(UPSERT.format(values=values), [value for row in rows for value in row])


def apply(before: Snapshot | None, after: Snapshot | None) -> None:
    """Move a case's contribution from ``before`` to ``after`` (either may be None: new, gone)."""
    if before == after:
        return
    _add((_cells(before, -1) if before else []) + (_cells(after, +1) if after else []))


def concerned_add(case: Case, organisation_ids) -> None:
    """The concerned organisations of a new case (they are set once, when it is reported)."""
    s = snapshot(case)
    _add([(s.county_id, s.year, s.month, CONCERNED, pk, 1, 0, 0, 0) for pk in organisation_ids])


REBUILD = """
INSERT INTO deviations_caserollup
    (county_id, year, month, dimension, key, n, deviations, open, flagged_overdue)
SELECT county_id, year, month, dimension, key,
       COUNT(*), COUNT(*) FILTER (WHERE deviation), COUNT(*) FILTER (WHERE is_open),
       COUNT(*) FILTER (WHERE was_overdue)
FROM (
    SELECT c.county_id,
           EXTRACT(YEAR FROM c.reported_at AT TIME ZONE %(zone)s)::int AS year,
           EXTRACT(MONTH FROM c.reported_at AT TIME ZONE %(zone)s)::int AS month,
           c.kind = %(deviation)s AS deviation, c.state <> ALL(%(final)s) AS is_open, c.was_overdue,
           d.dimension,
           CASE d.dimension
               WHEN 0 THEN 0
               WHEN 1 THEN CASE WHEN c.kind = %(deviation)s THEN COALESCE(c.category_id, 0) ELSE 0 END
               WHEN 2 THEN COALESCE(c.section_id, 0)
               WHEN 3 THEN c.level
               ELSE COALESCE(c.area_id, 0)
           END AS key
    FROM deviations_case c CROSS JOIN (VALUES (0), (1), (2), (3), (4)) AS d(dimension)
) AS cells
GROUP BY county_id, year, month, dimension, key
UNION ALL
SELECT c.county_id,
       EXTRACT(YEAR FROM c.reported_at AT TIME ZONE %(zone)s)::int,
       EXTRACT(MONTH FROM c.reported_at AT TIME ZONE %(zone)s)::int,
       5, cc.organisation_id, COUNT(*), 0, 0, 0
FROM deviations_case_concerned cc JOIN deviations_case c ON c.id = cc.case_id
GROUP BY 1, 2, 3, 5
"""


@transaction.atomic
def rebuild() -> int:
    """Compute the whole rollup again from the cases; the number of rows written."""
    with connection.cursor() as cursor:
        cursor.execute("LOCK TABLE deviations_caserollup IN EXCLUSIVE MODE")
        cursor.execute("DELETE FROM deviations_caserollup")
        cursor.execute(
            REBUILD,
            {
                "zone": timezone.get_current_timezone_name(),
                "deviation": Case.Kind.DEVIATION.value,
                "final": [str(state) for state in FINAL_STATES],
            },
        )
        return cursor.rowcount
