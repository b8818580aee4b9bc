"""Reads for agreements: visibility-filtered and with the related rows each page needs."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.postgres.search import SearchHeadline, SearchRank
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agreements import permissions
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
from agreements.search import swedish_query
from agreements.text import START, STOP, render_highlight
from agreements.validity import AgreementState, add_months, validity_on
from governance.models import Body
from samverkan.concurrency import with_seen
from samverkan.history import HistoryEntry, history_of, shorten
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


def _searched_versions(
    user: AnyUser, *, include_history: bool, county_code: str, day: date | None
) -> QuerySet[AgreementVersion]:
    """The versions a search looks in: those in force on ``day`` (today), or every version the user may
    read, optionally of one county."""
    if include_history:
        versions = permissions.versions_visible(user)
    else:
        versions = versions_in_force_on(user, day or timezone.localdate())
    if county_code:
        versions = versions.filter(agreement__county__code=county_code)
    return versions


def duty_search(
    user: AnyUser,
    text: str,
    *,
    include_history: bool = False,
    county_code: str = "",
    limit: int = 60,
    day: date | None = None,
) -> list[SearchGroup]:
    """Swedish full-text search over duties and area names of versions the user may read.

    Every word must match; when that finds nothing, any word may. Results are grouped by version
    (agreement) and target group; each hit is a table row with both sides, with the matching duties
    marked and highlighted. By default only the versions in force on ``day`` (today) are searched."""
    versions = _searched_versions(user, include_history=include_history, county_code=county_code, day=day)
    for any_word in (False, True):
        query = swedish_query(text, any_word=any_word)
        if query is None:
            return []
        # Areas first, so that the duty query is an OR of two indexed conditions on one table; the rank
        # reads the stored tsvector (F) instead of parsing it again for every duty.
        area_ids = list(
            ResponsibilityArea.objects.filter(version__in=versions, search=query).values_list("pk", flat=True)
        )
        matching = list(
            Duty.objects.filter(version__in=versions)
            .filter(Q(search=query) | Q(area_id__in=area_ids))
            .annotate(rank=SearchRank(F("search"), query))
            .order_by("-rank", "pk")
            .values_list("id", "area_id")[:limit]
        )
        if matching:
            break
    else:
        return []
    # Duties whose own text matched are marked; the others are shown because their area's name matched.
    matched_ids = set(
        Duty.objects.filter(id__in=[duty_id for duty_id, _area in matching], search=query).values_list(
            "id", flat=True
        )
    )
    area_ids = list(dict.fromkeys(area_id for _duty, area_id in matching))
    headlines = dict(
        Duty.objects.filter(id__in=matched_ids)
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
    )
    areas = (
        ResponsibilityArea.objects.filter(id__in=area_ids)
        .select_related("target_group", "version__agreement__county")
        .prefetch_related(Prefetch("duties", queryset=_duties_with_laws()))
    )
    by_id = {area.pk: area for area in areas}
    versions_state_set(user, [area.version for area in areas], day or timezone.localdate())
    groups: dict[int, SearchGroup] = {}
    for area_id in area_ids:
        area = by_id[area_id]
        duties = list(area.duties.all())
        for duty in duties:
            if duty.pk in headlines:
                duty.headline = render_highlight(headlines[duty.pk])
        row = TableRow.of(area, duties)
        hit = SearchHit(
            area=area,
            municipal=row.municipal,
            region=row.region,
            shared=row.shared,
            matched={d.pk for d in duties if d.pk in matched_ids},
            headlines={pk: render_highlight(headlines[pk]) for pk in matched_ids if pk in headlines},
        )
        group = groups.setdefault(area.target_group_id, SearchGroup(area.version, area.target_group, []))
        group.hits.append(hit)
    return _ranked(list(groups.values()))


@dataclass
class SectionHit:
    section: Section
    version: AgreementVersion
    headline: str  # the section's text around the matched words, <mark>ed and escaped


def section_search(
    user: AnyUser,
    text: str,
    *,
    include_history: bool = False,
    county_code: str = "",
    limit: int = 20,
    day: date | None = None,
) -> list[SectionHit]:
    """Swedish full-text search over the sections (heading and text) of the same versions as
    ``duty_search``, best match first: what an agreement says outside its responsibility tables (a body
    named only in a section's text). The search page lists these below the duties."""
    versions = _searched_versions(user, include_history=include_history, county_code=county_code, day=day)
    for any_word in (False, True):
        query = swedish_query(text, any_word=any_word)
        if query is None:
            return []
        sections = list(
            Section.objects.filter(version__in=versions, search=query)
            .annotate(
                rank=SearchRank(F("search"), query),
                headline=SearchHeadline(
                    "text", query, config=SEARCH_CONFIG, start_sel=START, stop_sel=STOP, max_fragments=2
                ),
            )
            .select_related("version__agreement__county")
            .order_by("-rank", "pk")[:limit]
        )
        if sections:
            break
    else:
        return []
    versions_state_set(
        user, list({s.version_id: s.version for s in sections}.values()), day or timezone.localdate()
    )
    return [SectionHit(section, section.version, render_highlight(section.headline)) for section in sections]


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
    return Agreement.objects.filter(pk__in=ids)


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
