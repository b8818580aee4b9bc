"""Reads for agreements: visibility-filtered and with the related rows each page needs."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import SearchHeadline, SearchRank
from django.core.cache import caches
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agreements import CACHE_SCOPE, permissions
from agreements.models import (
    Agreement,
    AgreementVersion,
    ChangeLogEntry,
    DevelopmentArea,
    Duty,
    Law,
    LegalReference,
    ResponsibilityArea,
    Section,
    Side,
    TargetGroup,
    VersionPdf,
)
from agreements.search import query_words, swedish_query, synonyms_of, tsquery_text, word_variants
from agreements.text import START, STOP, render_highlight
from agreements.validity import AgreementState, add_months, validity_on
from governance.models import Body
from samverkan import pagecache
from samverkan.concurrency import with_seen
from samverkan.history import HistoryEntry, history_of, shorten
from samverkan.lookups import AnyOf
from samverkan.permissions import AnyUser
from samverkan.registry import StoredFile

SEARCH_CONFIG = "swedish"


def agreement_list(user: AnyUser, *, county_code: str = "") -> QuerySet[Agreement]:
    agreements = permissions.agreements_visible(user).select_related("county")
    if county_code:
        agreements = agreements.filter(county__code=county_code)
    return agreements.order_by("county__name", "title")


def agreement_or_404(user: AnyUser, pk: int) -> Agreement:
    agreement = (
        permissions.agreements_visible(user).select_related("county", "adopting_body").filter(pk=pk).first()
    )
    if agreement is None:
        raise Http404
    return agreement


def versions_of(user: AnyUser, agreement: Agreement) -> list[AgreementVersion]:
    return list(permissions.versions_visible(user).filter(agreement=agreement).order_by("-number"))


def version_in_force_on(versions: list[AgreementVersion], day: date) -> AgreementVersion | None:
    """The published version that applies on ``day``: the highest-numbered one that has taken effect."""
    started = [
        v
        for v in versions
        if v.status != AgreementVersion.Status.DRAFT and v.effective_from and v.effective_from <= day
    ]
    return max(started, key=lambda v: v.number, default=None)


def version_current(versions: list[AgreementVersion], day: date | None = None) -> AgreementVersion | None:
    """The version to show for ``day`` (today): the one in force, else the newest visible one (a version
    adopted for a later day, or a draft for an editor of a new agreement)."""
    in_force = version_in_force_on(versions, day or timezone.localdate())
    if in_force is not None:
        return in_force
    published = [v for v in versions if v.status != AgreementVersion.Status.DRAFT]
    newest = published or versions
    return max(newest, key=lambda v: v.number, default=None)


@dataclass
class Outline:
    sections: list[Section]
    target_groups: list[TargetGroup]
    change_log: list[ChangeLogEntry]
    groups_by_section: dict[str, TargetGroup] = field(default_factory=dict)


def version_outline(version: AgreementVersion) -> Outline:
    """Sections in document order, target groups and the change log of a version: three queries."""
    sections = list(Section.objects.filter(version=version).order_by("order"))
    groups = list(TargetGroup.objects.filter(version=version).order_by("order"))
    log = list(ChangeLogEntry.objects.filter(version=version).order_by("order"))
    return Outline(sections, groups, log, {g.section_number: g for g in groups if g.section_number})


def change_history(versions: list[AgreementVersion]) -> list[ChangeLogEntry]:
    """All change-log entries of the given versions, newest version first."""
    entries = ChangeLogEntry.objects.filter(version__in=versions).select_related("version")
    return sorted(entries, key=lambda e: (-e.version.number, e.order))


@dataclass
class TableRow:
    area: ResponsibilityArea
    municipal: list[Duty]
    region: list[Duty]
    shared: list[Duty]

    @classmethod
    def of(cls, area: ResponsibilityArea, duties: list[Duty]) -> "TableRow":
        """A row with the duties sorted onto their sides (order kept)."""
        by_side = {side: [d for d in duties if d.side == side] for side in Side.values}
        return cls(area, by_side[Side.MUNICIPAL], by_side[Side.REGION], by_side[Side.SHARED])


def _duties_with_laws() -> QuerySet[Duty]:
    return Duty.objects.order_by("order").prefetch_related(
        Prefetch("legal_references", queryset=LegalReference.objects.select_related("law").order_by("order"))
    )


def responsibility_table(
    target_group: TargetGroup, *, area_id: int | None = None, law: str = "", editing: bool = False
) -> list[TableRow]:
    """The rows of a target group's table with each side's duties and their legal references.

    Filtering by law keeps the duties that cite it (and the rows that have any). For the editor, areas and
    duties carry the version their forms save against (``seen``)."""
    duties = _duties_with_laws()
    if law:
        duties = duties.filter(legal_references__law__code=law).distinct()
    areas = target_group.areas.order_by("order")
    if editing:
        duties, areas = with_seen(duties), with_seen(areas)
    areas = areas.prefetch_related(Prefetch("duties", queryset=duties))
    if area_id:
        areas = areas.filter(pk=area_id)
    rows = [TableRow.of(area, list(area.duties.all())) for area in areas]
    return [row for row in rows if row.municipal or row.region or row.shared] if law else rows


def development_areas(target_group: TargetGroup) -> QuerySet[DevelopmentArea]:
    return target_group.development_areas.order_by("order").prefetch_related("actions")


def target_group_or_404(version: AgreementVersion, key: str) -> TargetGroup:
    group = TargetGroup.objects.filter(version=version, key=key).first()
    if group is None:
        raise Http404
    return group


# --- Search -----------------------------------------------------------------------------------------


@dataclass
class SearchHit:
    area: ResponsibilityArea
    municipal: list[Duty]
    region: list[Duty]
    shared: list[Duty]
    matched: set[int]  # ids of duties that matched
    headlines: dict[int, str]  # duty id -> text with <mark> around the matched words (escaped)


@dataclass
class SearchGroup:
    version: AgreementVersion
    target_group: TargetGroup
    hits: list[SearchHit]


@dataclass
class SectionHit:
    section: Section
    version: AgreementVersion
    headline: str  # the section's text around the matched words, <mark>ed and escaped


def _searched_version_ids(
    user: AnyUser, *, include_history: bool, county_code: str, day: date | None
) -> list[int]:
    """The ids of the versions a search looks in: those in force on ``day`` (today), or every version the
    user may read; optionally of one county. Read first: with a list of ids PostgreSQL combines the version
    index and the full-text index (a bitmap AND), where a subquery made it read every in-force row."""
    if not include_history:
        in_force = in_force_version_ids(day or timezone.localdate())
        return [pk for pk, code in in_force if not county_code or code == county_code]
    versions = permissions.versions_visible(user)
    if county_code:
        versions = versions.filter(agreement__county__code=county_code)
    return list(versions.values_list("pk", flat=True))


def in_force_version_ids(day: date) -> list[tuple[int, str]]:
    """The id and county code of every version in force on the day (``versions_in_force_on``): the same for
    everybody, since a draft is never in force. Each process keeps them with its public pages until the
    agreements change (the page cache's generation, ``samverkan.pagecache``) or the day does."""
    key = f"in-force:{day.isoformat()}:{pagecache.generations((CACHE_SCOPE,))}"
    pages = caches["pages"]
    found = pages.get(key)
    if found is None:
        versions = versions_in_force_on(AnonymousUser(), day)
        found = list(versions.values_list("pk", "agreement__county__code"))
        pages.set(key, found, settings.PAGE_CACHE_SECONDS)
    return found


@dataclass
class SearchResults:
    groups: list[SearchGroup]
    sections: list[SectionHit]
    corrected: str | None  # what was searched for instead of the words asked, when some were misspelled
    page: int = 1
    more: bool = False  # more rows follow this page


def search(
    user: AnyUser,
    text: str,
    *,
    include_history: bool = False,
    county_code: str = "",
    day: date | None = None,
    exact: bool = False,
    page: int = 1,
) -> SearchResults:
    """ "Vem ansvarar för …?": the duties (``duty_search``) of the versions searched, as rows ``ROWS_PAGE``
    at a time, and on the first page the sections (``section_search``). A word that no published agreement
    contains is first corrected to the nearest word that some does (``spelling_corrected``), unless
    ``exact``; the results then say so."""
    version_ids = _searched_version_ids(
        user, include_history=include_history, county_code=county_code, day=day
    )
    corrected = None if exact else spelling_corrected(text)
    searched = corrected or text
    groups, page, more = _duty_hits(user, version_ids, searched, limit=DUTY_HITS, day=day, page=page)
    return SearchResults(
        groups=groups,
        sections=_section_hits(user, version_ids, searched, limit=SECTION_HITS, day=day) if page == 1 else [],
        corrected=corrected,
        page=page,
        more=more,
    )


# A word is corrected when it is at least this long, of letters only, and no stem of the published
# agreements begins with its own (nor with a variant's or synonym's); shorter words are mostly
# abbreviations (SIP, LVM).
CORRECTED_LENGTH = 4

# For each query word (n): is it known, and if not, the published word nearest to it by trigrams
# (pg_trgm's similarity above its threshold, 0.3), the more used first among equals.
_CORRECTION_SQL = """
WITH variant AS (
    SELECT n, (ts_lexize('swedish_stem', v))[1] AS stem
      FROM unnest(%(variants)s::text[], %(positions)s::int[]) AS x (v, n)
), known AS (
    SELECT n, bool_or(stem IS NULL OR EXISTS (
               SELECT 1 FROM agreements_searchword s WHERE s.stem ^@ variant.stem)) AS known
      FROM variant GROUP BY n
)
SELECT w.n, CASE WHEN known.known THEN NULL
            ELSE (SELECT s.word FROM agreements_searchword s WHERE s.word %% w.word
                   ORDER BY s.word <-> w.word, s.uses DESC, s.word LIMIT 1) END
  FROM unnest(%(words)s::text[], %(numbers)s::int[]) AS w (word, n) JOIN known USING (n)
"""


def spelling_corrected(text: str) -> str | None:
    """The search's words with each misspelled one replaced by the nearest word of the published
    agreements (``SearchWord``), e.g. "elevhäsla" → "elevhälsa"; None when no word was corrected.
    The question words are left out, as in the search itself."""
    words = [word.lower() for word in query_words(text)]
    correctable = {n: w for n, w in enumerate(words, 1) if len(w) >= CORRECTED_LENGTH and w.isalpha()}
    if not correctable:
        return None
    variants = [(n, v) for n, w in correctable.items() for s in synonyms_of(w) for v in word_variants(s)]
    params = {
        "words": list(correctable.values()),
        "numbers": list(correctable),
        "variants": [v for _n, v in variants],
        "positions": [n for n, _v in variants],
    }
    with connection.cursor() as cursor:
        cursor.execute(_CORRECTION_SQL, params)
        replaced = {n: word for n, word in cursor.fetchall() if word}
    if not replaced:
        return None
    return " ".join(replaced.get(n, word) for n, word in enumerate(words, 1))


DUTY_HITS = 60  # the most duties a search finds (the API's whole answer)
ROWS_PAGE = 20  # the search page shows the rows (areas) of those duties this many at a time
SECTION_HITS = 20
# Sections are ranked among the first this many that match: every one when a word is rare, and a word
# found in most sections (e.g. "kommun") costs no more than a rare one.
SECTION_CANDIDATES = 2000


def duty_search(
    user: AnyUser,
    text: str,
    *,
    include_history: bool = False,
    county_code: str = "",
    limit: int = DUTY_HITS,
    day: date | None = None,
) -> list[SearchGroup]:
    """Swedish full-text search over duties and area names of versions the user may read.

    Every word must match; when that finds nothing, any word may. Results are grouped by version
    (agreement) and target group; each hit is a table row with both sides, with the matching duties
    marked and highlighted. By default only the versions in force on ``day`` (today) are searched."""
    where = {"include_history": include_history, "county_code": county_code, "day": day}
    groups, _page, _more = _duty_hits(user, _searched_version_ids(user, **where), text, limit=limit, day=day)
    return groups


def _duty_hits(
    user: AnyUser, version_ids: list[int], text: str, *, limit: int, day: date | None, page: int | None = None
) -> tuple[list[SearchGroup], int, bool]:
    """The best ``limit`` duties, grouped as ``duty_search`` describes. With a ``page``, only that page's
    rows (``ROWS_PAGE`` a page, the last page for one past it). Returns the groups, the page and whether
    more rows follow it."""
    if not version_ids:
        return [], 1, False
    every, some = swedish_query(text), swedish_query(text, any_word=True)
    if every is None or some is None:
        return [], 1, False
    # Every word must match; when no duty matches them all, some word may. One query does both: it finds
    # what matches some word and puts what matches every word first. A duty matches by its own text or
    # by its area's name: two parts of a union, each on its own index. The rank reads the stored tsvector
    # (F) instead of parsing it again for every duty.
    areas = list(
        ResponsibilityArea.objects.filter(AnyOf(F("version_id"), version_ids), search=some)
        .annotate(every=ExpressionWrapper(Q(search=every), output_field=BooleanField()))
        .values_list("pk", "every")
    )
    areas_every = [pk for pk, matches_every in areas if matches_every]
    ranked = (
        Duty.objects.order_by()  # no default ordering inside the union
        .annotate(
            rank=SearchRank(F("search"), some),
            own_every=ExpressionWrapper(Q(search=every), output_field=BooleanField()),
            own_some=ExpressionWrapper(Q(search=some), output_field=BooleanField()),
            every=ExpressionWrapper(
                Q(search=every) | AnyOf(F("area_id"), areas_every), output_field=BooleanField()
            ),
        )
        .values_list("id", "area_id", "own_every", "own_some", "every", "rank")
    )
    found = ranked.filter(AnyOf(F("version_id"), version_ids), search=some)
    if areas:
        found = found.union(ranked.filter(AnyOf(F("area_id"), [pk for pk, _every in areas])))
    found = list(found.order_by("-every", "-rank", "id")[:limit])
    if not found:
        return [], 1, False
    if found[0][4]:  # some duty matches every word: those only
        query = every
        matching = [
            (duty, area, own) for duty, area, own, _some, matches_every, _rank in found if matches_every
        ]
    else:
        query = some
        matching = [(duty, area, own) for duty, area, _every, own, _all, _rank in found]
    # The rows in the order of their best duty; only those of the page are read.
    area_ids = list(dict.fromkeys(area_id for _duty, area_id, _own in matching))
    more = False
    if page is not None:
        page = max(1, min(page, -(-len(area_ids) // ROWS_PAGE)))
        more = len(area_ids) > page * ROWS_PAGE
        area_ids = area_ids[(page - 1) * ROWS_PAGE : page * ROWS_PAGE]
    shown = set(area_ids)
    # Duties whose own text matched are marked; the others are shown because their area's name matched.
    matched_ids = {duty_id for duty_id, area_id, own in matching if own and area_id in shown}
    headlines = {
        pk: render_highlight(headline)
        for pk, headline in Duty.objects.filter(id__in=matched_ids)
        .annotate(
            headline=SearchHeadline(
                "text",
                query,
                config=SEARCH_CONFIG,
                start_sel=START,
                stop_sel=STOP,
                highlight_all=True,
            )
        )
        .values_list("id", "headline")
    }
    areas = (
        ResponsibilityArea.objects.filter(id__in=area_ids)
        .defer("search")
        .select_related("target_group", "version__agreement__county")
        .prefetch_related(Prefetch("duties", queryset=_duties_with_laws().defer("search")))
    )
    by_id = {area.pk: area for area in areas}
    versions_state_set(user, [area.version for area in areas], day or timezone.localdate())
    groups: dict[int, SearchGroup] = {}
    for area_id in area_ids:
        area = by_id[area_id]
        duties = list(area.duties.all())
        for duty in duties:
            if duty.pk in headlines:
                duty.headline = headlines[duty.pk]
        row = TableRow.of(area, duties)
        hit = SearchHit(
            area=area,
            municipal=row.municipal,
            region=row.region,
            shared=row.shared,
            matched={d.pk for d in duties if d.pk in matched_ids},
            headlines={d.pk: headlines[d.pk] for d in duties if d.pk in headlines},
        )
        group = groups.setdefault(area.target_group_id, SearchGroup(area.version, area.target_group, []))
        group.hits.append(hit)
    return _ranked(list(groups.values())), page or 1, more


def section_search(
    user: AnyUser,
    text: str,
    *,
    include_history: bool = False,
    county_code: str = "",
    limit: int = SECTION_HITS,
    day: date | None = None,
) -> list[SectionHit]:
    """Swedish full-text search over the sections (heading and text) of the same versions as
    ``duty_search``, best match first: what an agreement says outside its responsibility tables (a body
    named only in a section's text). The search page lists these below the duties."""
    where = {"include_history": include_history, "county_code": county_code, "day": day}
    return _section_hits(user, _searched_version_ids(user, **where), text, limit=limit, day=day)


def _section_hits(
    user: AnyUser, version_ids: list[int], text: str, *, limit: int, day: date | None
) -> list[SectionHit]:
    if not version_ids:
        return []
    for any_word in (False, True):
        raw = tsquery_text(text, any_word=any_word)
        if raw is None:
            return []
        # The best sections (a function of migration 0014, see there); then those few with their version,
        # agreement and headline.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM agreements_sections_ranked(%s::bigint[], to_tsquery(%s, %s), %s, %s)",
                [version_ids, SEARCH_CONFIG, raw, limit, SECTION_CANDIDATES],
            )
            best = [pk for (pk,) in cursor.fetchall()]
        if best:
            break
    else:
        return []
    query = swedish_query(text, any_word=any_word)
    sections = (
        Section.objects.filter(pk__in=best)
        .annotate(
            headline=SearchHeadline(
                "text", query, config=SEARCH_CONFIG, start_sel=START, stop_sel=STOP, max_fragments=2
            )
        )
        .defer("search", "text")
        .select_related("version__agreement__county")
        .in_bulk()
    )
    versions_state_set(
        user, list({s.version_id: s.version for s in sections.values()}.values()), day or timezone.localdate()
    )
    return [
        SectionHit(sections[pk], sections[pk].version, render_highlight(sections[pk].headline)) for pk in best
    ]


def _hit_order(hit: SearchHit, position: int) -> tuple:
    """Rows with a duty on both sides before rows with an empty side ("Inget åtagande"), rows whose own
    duties matched before rows found by their area's name, then by the full-text rank (``position``)."""
    return (not (hit.municipal and hit.region), not hit.matched, position)


def _ranked(groups: list[SearchGroup]) -> list[SearchGroup]:
    position = {id(hit): n for n, hit in enumerate(h for g in groups for h in g.hits)}
    for group in groups:
        group.hits.sort(key=lambda hit: _hit_order(hit, position[id(hit)]))
    return sorted(groups, key=lambda group: _hit_order(group.hits[0], position[id(group.hits[0])]))


def versions_state_set(user: AnyUser, versions: list[AgreementVersion], day: date) -> None:
    """Give each version (with its agreement loaded) its ``state`` on the day, per ``Agreement.state_on``:
    one query for the versions of all their agreements."""
    siblings: dict[int, list[AgreementVersion]] = {}
    agreement_ids = {v.agreement_id for v in versions}
    for v in permissions.versions_visible(user).filter(agreement_id__in=agreement_ids):
        siblings.setdefault(v.agreement_id, []).append(v)
    for v in versions:
        v.state = v.agreement.state_on(day, versions=siblings.get(v.agreement_id, [])).state_of(v)


# --- Legal index, comparison across counties, notice watch -----------------------------------------


def laws_with_counts(user: AnyUser, *, day: date | None = None) -> QuerySet[Law]:
    """Every law with the number of duties in the versions in force on ``day`` (today) that rest on it."""
    in_force = versions_in_force_on(user, day or timezone.localdate())
    return (
        Law.objects.select_related("replaced_by")
        .annotate(duty_count=Count("references", filter=Q(references__version__in=in_force)))
        .order_by("code")
    )


def law_references(user: AnyUser, law: Law, *, day: date | None = None) -> QuerySet[LegalReference]:
    """The references to the law in the versions in force on ``day`` (today), in county, agreement and
    table order."""
    in_force = versions_in_force_on(user, day or timezone.localdate())
    return (
        LegalReference.objects.filter(law=law, version__in=in_force)
        .select_related("law", "duty__area__target_group", "version__agreement__county")
        .order_by(
            "version__agreement__county__name",
            "version__agreement__title",
            "duty__area__target_group__order",
            "duty__area__order",
            "duty__order",
            "pk",
        )
    )


def _in_force(day: date, **terms) -> bool:
    try:
        return validity_on(day, **terms).in_force
    except (OverflowError, ValueError):
        # Automatic extensions carried past the last representable date: the agreement runs on.
        return True


def agreements_in_force_on(user: AnyUser, day: date) -> QuerySet[Agreement]:
    """Agreements the user may read that are in force on the day (its terms, extensions and notice) and
    have a published version in effect by then. Two queries: the candidates' terms, then the result."""
    published = permissions.versions_visible(user).exclude(status=AgreementVersion.Status.DRAFT)
    candidates = (
        permissions.agreements_visible(user)
        .filter(valid_from__lte=day)
        .filter(Exists(published.filter(agreement=OuterRef("pk"), effective_from__lte=day)))
        .values_list("pk", "valid_from", "valid_to", "notice_months", "extension_years", "notice_given_on")
    )
    names = ("valid_from", "valid_to", "notice_months", "extension_years", "notice_given_on")
    ids = [pk for pk, *terms in candidates if _in_force(day, **dict(zip(names, terms, strict=True)))]
    return Agreement.objects.filter(AnyOf(F("pk"), ids))


def versions_in_force_on(user: AnyUser, day: date) -> QuerySet[AgreementVersion]:
    """For each agreement in force on the day, the version in force: the highest-numbered published one
    that has taken effect by then (``Agreement.state_on``)."""
    latest = (
        permissions.versions_visible(user)
        .exclude(status=AgreementVersion.Status.DRAFT)
        .filter(agreement__in=agreements_in_force_on(user, day), effective_from__lte=day)
        .order_by("agreement_id", "-number")
        .distinct("agreement_id")
        .values("pk")
    )
    return AgreementVersion.objects.filter(pk__in=latest)


def area_across_counties(user: AnyUser, name: str, *, day: date | None = None) -> list[TableRow]:
    """Responsibility areas of the versions in force on ``day`` (today) whose name matches, each with both
    sides' duties."""
    query = swedish_query(name)
    matches = Q(name__icontains=name) | Q(search=query) if query else Q(name__icontains=name)
    areas = (
        ResponsibilityArea.objects.filter(version__in=versions_in_force_on(user, day or timezone.localdate()))
        .filter(matches)
        .select_related("target_group", "version__agreement__county")
        .prefetch_related(Prefetch("duties", queryset=_duties_with_laws()))
        .order_by("version__agreement__county__name", "version__agreement__title", "order")[:100]
    )
    return [TableRow.of(area, list(area.duties.all())) for area in areas]


@dataclass
class WatchRow:
    agreement: Agreement
    state: AgreementState
    next_date: date
    what: str  # "notice", "end" or "review"
    late: bool = False  # a review whose date has passed

    @property
    def label(self) -> str:
        return {
            "notice": _("Sista dag att säga upp (annars förlängs den)"),
            "end": _("Överenskommelsen upphör"),
            "review": _("Uppföljning senast"),
        }[self.what]


WATCH_MONTHS = 13


def notice_watch_rows(agreements: list[Agreement], today: date) -> list[WatchRow]:
    """Agreements in force whose next notice deadline, end or review date falls within 13 months from
    today (a review also once it is overdue), soonest first. Extensions that have taken effect count: the
    deadline is that of the current period."""
    horizon = add_months(today, WATCH_MONTHS)
    rows = []
    for agreement in agreements:
        state = agreement.state_on(today, versions=[])
        if not state.in_force:
            continue
        deadline = state.next_notice_deadline
        if deadline and today <= deadline <= horizon:
            rows.append(WatchRow(agreement, state, deadline, "notice"))
        elif state.ends_on and state.ends_on <= horizon:
            rows.append(WatchRow(agreement, state, state.ends_on, "end"))
        if agreement.review_due and agreement.review_due <= horizon:  # overdue reviews stay on the list
            late = agreement.review_state(today) == "overdue"
            rows.append(WatchRow(agreement, state, agreement.review_due, "review", late))
    return sorted(rows, key=lambda row: row.next_date)


COPY_WINDOW = timedelta(minutes=10)  # a revision's copy is written in one transaction, within seconds


def version_history(agreement: Agreement, version: AgreementVersion) -> list[HistoryEntry]:
    """The audit trail of an agreement's terms, one version and everything in it.

    The copying of the previous version's content into a revision is one line ("Kopierad från version 2:
    235 åtaganden, …") on the version's creation; the changes made after it are listed one by one."""
    content = {"version_id": version.pk}
    created = AgreementVersion.history.filter(id=version.pk, history_type="+").first()
    copied: dict[str, int] = {}

    def is_copy(label, record) -> bool:
        if label == VERSION_LABEL or created is None or version.based_on_id is None:
            return False
        if not (
            record.history_type == "+"
            and record.history_user_id == created.history_user_id
            and (record.history_change_reason or "") == (created.history_change_reason or "")
            and created.history_date - COPY_WINDOW
            <= record.history_date
            <= created.history_date + COPY_WINDOW
        ):
            return False
        copied[label] = copied.get(label, 0) + 1
        return True

    entries = history_of(
        (_("Överenskommelsen"), Agreement.history.filter(id=agreement.pk), lambda r: r.title),
        (
            VERSION_LABEL,
            AgreementVersion.history.filter(id=version.pk),
            lambda r: f"{_('Version')} {r.number}",
        ),
        (
            SECTIONS,
            Section.history.filter(**content),
            lambda r: shorten(f"{_('Avsnitt')} {r.number} {r.title}", 100),
        ),
        (GROUPS, TargetGroup.history.filter(**content), lambda r: r.name),
        (AREAS, ResponsibilityArea.history.filter(**content), lambda r: r.name),
        (DUTIES, Duty.history.filter(**content), lambda r: f"{_('Åtagande')}: {shorten(r.text, 100)}"),
        quiet=is_copy,
    )
    if copied:
        note = _copy_note(version.based_on.number if version.based_on else None, copied)
        for entry in entries:
            if entry.source == VERSION_LABEL and entry.history_type == "+":
                entry.note = note
    return entries


VERSION_LABEL, SECTIONS, GROUPS, AREAS, DUTIES = "version", "sections", "groups", "areas", "duties"


def _copy_note(number: int | None, copied: dict[str, int]) -> str:
    counts = [
        ngettext("%(n)s åtagande", "%(n)s åtaganden", copied.get(DUTIES, 0)),
        ngettext("%(n)s avsnitt", "%(n)s avsnitt", copied.get(SECTIONS, 0)),
        ngettext("%(n)s ansvarsområde", "%(n)s ansvarsområden", copied.get(AREAS, 0)),
        ngettext("%(n)s målgrupp", "%(n)s målgrupper", copied.get(GROUPS, 0)),
    ]
    keys = [DUTIES, SECTIONS, AREAS, GROUPS]
    parts = [text % {"n": copied[key]} for text, key in zip(counts, keys, strict=True) if copied.get(key)]
    return _("Kopierad från version %(number)s: %(parts)s") % {"number": number, "parts": ", ".join(parts)}


def version_pdfs_stored() -> Iterator[StoredFile]:
    """The stored PDFs of the versions, for the backup's manifest (registered in apps.py)."""
    for pdf in VersionPdf.objects.order_by("pk"):
        yield StoredFile(name=pdf.file.name, recorded_sha256=pdf.sha256, about={"version": pdf.version_id})


def pdf_checksums(versions) -> dict[int, str]:
    """The checksum of each version's stored PDF, by version id (versions without one are left out)."""
    return dict(VersionPdf.objects.filter(version__in=versions).values_list("version_id", "sha256"))


def adopting_body_find(county, adopted_by: str) -> Body | None:
    """The body of the county named (or abbreviated) exactly as the agreement's "adopted by", if any."""
    name = (adopted_by or "").strip()
    if not name:
        return None
    return (
        Body.objects.filter(county=county).filter(Q(name__iexact=name) | Q(abbreviation__iexact=name)).first()
    )


def column_headings(agreement: Agreement, group: TargetGroup, acting=None) -> dict[str, str]:
    """A table's column headings: the agreement's own where the table has them ("Socialtjänst",
    "Hälso- och sjukvård"), otherwise the parties' names; an official acting for a party sees their own
    organisation named on their side, and ``own_side`` says which side that is (the parties prefetched)."""
    headings = {side.value: str(side.label) for side in Side}
    region = [p.organisation for p in agreement.parties.all() if p.side == Side.REGION]
    if region:
        headings[Side.REGION] = region[0].name
    headings[Side.MUNICIPAL] = _("Kommunerna i %(county)s") % {"county": agreement.county.short_name}
    own = next((p for p in agreement.parties.all() if acting and p.organisation_id == acting.pk), None)
    if own and own.side == Side.MUNICIPAL:
        headings[Side.MUNICIPAL] = _("%(org)s (kommunerna i %(county)s)") % {
            "org": acting.name,
            "county": agreement.county.short_name,
        }
    own_headings = {side: text for side, text in (group.column_headings or {}).items() if text}
    return headings | own_headings | {"own_side": own.side if own else ""}
