"""Open data API: agreements, their published versions, target groups with responsibility tables, duties,
the legal index and search. Drafts never appear: every read goes through ``permissions`` and
``selectors`` with the anonymous user."""

import copy
from datetime import date, datetime, time
from typing import Annotated

from django.db.models import Exists, Max, OuterRef, Prefetch, QuerySet, Value
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from agreements import permissions, selectors
from agreements.models import (
    ActionItem,
    Agreement,
    AgreementParty,
    AgreementVersion,
    Duty,
    Law,
    LegalReference,
    Side,
    TargetGroup,
)
from agreements.validity import AgreementState, ValidityStatus, VersionState
from samverkan.api import (
    PUBLIC,
    CountyCode,
    Day,
    Id,
    Key,
    LawCode,
    LinkedPagination,
    Ref,
    SearchText,
    choices,
    latest,
    link,
    page_link,
    request_of,
    set_last_modified,
)

router = Router(tags=["Överenskommelser"])

SideName = choices("Side", Side)
VersionStatus = choices("VersionState", VersionState)
Validity = choices("ValidityStatus", ValidityStatus)
IN_FORCE_ON = "Endast det som gäller detta datum (ÅÅÅÅ-MM-DD); annars det som gäller i dag"


# --- Schemas ---------------------------------------------------------------------------------------


class ValidityOut(Schema):
    on: date
    status: Validity
    in_force: bool
    period_end: date | None = Field(
        description="Slutet av nuvarande period; en automatisk förlängning räknas från dagen efter sista dag "
        "för uppsägning (null: tills vidare)"
    )
    notice_deadline: date | None = Field(description="Sista dag att säga upp till slutet av nuvarande period")
    ends_on: date | None = Field(description="Dagen överenskommelsen upphör, när den är känd")


class PartyOut(Schema):
    id: int
    url: str
    name: str
    side: SideName
    ratified_by: str  # the party's own council or board that ratified the agreement ("" if not recorded)
    ratified_on: date | None

    @staticmethod
    def resolve_id(obj: AgreementParty) -> int:
        return obj.organisation_id

    @staticmethod
    def resolve_url(obj: AgreementParty, context) -> str:
        return link(request_of(context), "organisation", pk=obj.organisation_id)

    @staticmethod
    def resolve_name(obj: AgreementParty) -> str:
        return obj.organisation.name


class VersionOut(Schema):
    number: int
    status: VersionStatus = Field(
        description="På dagen (on, annars i dag): in_force gäller, pending antagen men gäller från ett "
        "senare datum, superseded ersatt av en version som gäller, ended gällde när överenskommelsen upphörde"
    )
    adopted_on: date | None
    effective_from: date | None
    decision_reference: str
    url: str
    html_url: str
    pdf_url: str

    @staticmethod
    def resolve_status(obj: AgreementVersion) -> str:
        return _version_state(obj)

    @staticmethod
    def resolve_url(obj: AgreementVersion, context) -> str:
        return link(request_of(context), "version", pk=obj.agreement_id, number=obj.number)

    @staticmethod
    def resolve_html_url(obj: AgreementVersion, context) -> str:
        return page_link(request_of(context), obj.get_absolute_url())

    @staticmethod
    def resolve_pdf_url(obj: AgreementVersion, context) -> str:
        url = reverse("agreements:pdf", kwargs={"pk": obj.agreement_id, "number": obj.number})
        return page_link(request_of(context), url)


def _version_state(version: AgreementVersion) -> str:
    """The version's state on the day its agreement was read for (set by ``_state``), else today."""
    state = getattr(version, "state", None)
    if state is None:
        state = version.agreement.state_on(timezone.localdate()).state_of(version)
    return state


def _state(agreement: Agreement, day: date) -> AgreementState:
    """``Agreement.state_on`` over the published versions, read once per agreement and day."""
    cache = agreement.__dict__.setdefault("_states", {})
    if day not in cache:
        cache[day] = agreement.state_on(day, versions=agreement.public_versions)
    return cache[day]


def _with_state(version: AgreementVersion | None, state: AgreementState) -> AgreementVersion | None:
    """A copy of the version carrying its state on the state's day (one object may serve two days)."""
    if version is None:
        return None
    version = copy.copy(version)
    version.state = state.state_of(version)
    return version


def _validity(agreement: Agreement, day: date) -> dict:
    state = _state(agreement, day)
    return {"on": day, "in_force": state.in_force, **state.validity.__dict__}


class AgreementOut(Schema):
    id: int
    url: str
    html_url: str
    title: str
    short_title: str
    county: str
    county_url: str
    valid_from: date
    valid_to: date | None
    notice_months: int | None
    extension_years: int | None
    notice_given_on: date | None
    review_every_years: int | None
    review_due: date | None
    adopted_by: str
    adopted_on: date | None
    decision_reference: str
    adopting_body: Ref | None
    validity_today: ValidityOut
    current_version: VersionOut | None
    parties: list[PartyOut]

    @staticmethod
    def resolve_url(obj: Agreement, context) -> str:
        return link(request_of(context), "agreement", pk=obj.pk)

    @staticmethod
    def resolve_html_url(obj: Agreement, context) -> str:
        return page_link(request_of(context), obj.get_absolute_url())

    @staticmethod
    def resolve_county(obj: Agreement) -> str:
        return obj.county.code

    @staticmethod
    def resolve_county_url(obj: Agreement, context) -> str:
        return link(request_of(context), "county", code=obj.county.code)

    @staticmethod
    def resolve_adopting_body(obj: Agreement, context) -> dict | None:
        if obj.adopting_body_id is None:
            return None
        return {"id": obj.adopting_body_id, "url": link(request_of(context), "body", pk=obj.adopting_body_id)}

    @staticmethod
    def resolve_validity_today(obj: Agreement) -> dict:
        return _validity(obj, timezone.localdate())

    @staticmethod
    def resolve_current_version(obj: Agreement) -> AgreementVersion | None:
        today = timezone.localdate()
        return _with_state(selectors.version_current(obj.public_versions, today), _state(obj, today))

    @staticmethod
    def resolve_parties(obj: Agreement) -> list[AgreementParty]:
        return list(obj.parties.all())


class SignatoryOut(Schema):
    name: str
    title: str
    organisation: Ref | None

    @staticmethod
    def resolve_organisation(obj, context) -> dict | None:
        if obj.organisation_id is None:
            return None
        return {
            "id": obj.organisation_id,
            "url": link(request_of(context), "organisation", pk=obj.organisation_id),
        }


class AgreementDetail(AgreementOut):
    purpose: str
    common_goals: str
    replaces: Ref | None
    replaces_text: str
    related: list[Ref]
    related_text: list[str]
    signatories: list[SignatoryOut]
    versions: list[VersionOut]
    validity: ValidityOut = Field(description="Giltighet på datumet i parametern on (annars i dag)")
    version_in_force: VersionOut | None = Field(description="Versionen som gällde på datumet")

    @staticmethod
    def resolve_replaces(obj: Agreement, context) -> dict | None:
        if obj.replaces_id is None or obj.replaces_id not in obj.visible_related:
            return None
        return {"id": obj.replaces_id, "url": link(request_of(context), "agreement", pk=obj.replaces_id)}

    @staticmethod
    def resolve_related(obj: Agreement, context) -> list[dict]:
        request = request_of(context)
        return [
            {"id": pk, "url": link(request, "agreement", pk=pk)}
            for pk in sorted(obj.visible_related - {obj.replaces_id})
        ]

    @staticmethod
    def resolve_signatories(obj: Agreement) -> list:
        return list(obj.signatories.all())

    @staticmethod
    def resolve_versions(obj: Agreement) -> list[AgreementVersion]:
        state = _state(obj, obj.on)
        return [_with_state(v, state) for v in obj.public_versions]

    @staticmethod
    def resolve_validity(obj: Agreement) -> dict:
        return _validity(obj, obj.on)

    @staticmethod
    def resolve_version_in_force(obj: Agreement) -> AgreementVersion | None:
        state = _state(obj, obj.on)
        return _with_state(state.version, state)


class LegalReferenceOut(Schema):
    law: str
    law_url: str
    chapter: str
    paragraph: str
    point: str = Field(description="Punkt i paragrafen, t.ex. ”1” i ”9 § 1 p.”")
    citation: str

    @staticmethod
    def resolve_law(obj: LegalReference) -> str:
        return obj.law.code

    @staticmethod
    def resolve_law_url(obj: LegalReference, context) -> str:
        return link(request_of(context), "law", code=obj.law.code)

    @staticmethod
    def resolve_citation(obj: LegalReference) -> str:
        return str(obj)


class DutyOut(Schema):
    id: int
    url: str
    side: SideName
    text: str
    legal_references: list[LegalReferenceOut]

    @staticmethod
    def resolve_url(obj: Duty, context) -> str:
        return link(request_of(context), "duty", pk=obj.pk)

    @staticmethod
    def resolve_legal_references(obj: Duty) -> list[LegalReference]:
        return list(obj.legal_references.all())


class AreaRow(Schema):
    id: int
    name: str
    description: str
    municipal: list[DutyOut] = Field(description="Kommunernas ansvar (tom lista: inget åtagande)")
    region: list[DutyOut] = Field(description="Regionens ansvar")
    shared: list[DutyOut] = Field(description="Gemensamt ansvar")

    @staticmethod
    def resolve_id(obj) -> int:
        return obj.area.pk

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.area.name

    @staticmethod
    def resolve_description(obj) -> str:
        return obj.area.description


class ActionOut(Schema):
    title: str
    owner: str
    due: date | None
    status: str


class DevelopmentAreaOut(Schema):
    name: str
    owner_group: str
    description: str
    actions: list[ActionOut]

    @staticmethod
    def resolve_actions(obj) -> list:
        return list(obj.actions.all())


class TargetGroupOut(Schema):
    key: str
    name: str
    section_number: str
    url: str
    html_url: str
    agreement: Ref
    agreement_title: str
    county: str
    version: int
    version_status: VersionStatus

    @staticmethod
    def resolve_url(obj: TargetGroup, context) -> str:
        v = obj.version
        return link(request_of(context), "target_group", pk=v.agreement_id, number=v.number, key=obj.key)

    @staticmethod
    def resolve_html_url(obj: TargetGroup, context) -> str:
        v = obj.version
        url = reverse("agreements:table", kwargs={"pk": v.agreement_id, "number": v.number, "key": obj.key})
        return page_link(request_of(context), url)

    @staticmethod
    def resolve_agreement(obj: TargetGroup, context) -> dict:
        pk = obj.version.agreement_id
        return {"id": pk, "url": link(request_of(context), "agreement", pk=pk)}

    @staticmethod
    def resolve_agreement_title(obj: TargetGroup) -> str:
        return obj.version.agreement.title

    @staticmethod
    def resolve_county(obj: TargetGroup) -> str:
        return obj.version.agreement.county.code

    @staticmethod
    def resolve_version(obj: TargetGroup) -> int:
        return obj.version.number

    @staticmethod
    def resolve_version_status(obj: TargetGroup) -> str:
        return getattr(obj, "version_state", None) or _version_state(obj.version)


class TargetGroupDetail(TargetGroupOut):
    description: str
    common_goals: str
    column_headings: dict[str, str] = Field(
        description="Tabellens egna kolumnrubriker per sida (municipal, region, shared), om den har några"
    )
    responsibility_table: list[AreaRow]
    development_areas: list[DevelopmentAreaOut]

    @staticmethod
    def resolve_development_areas(obj: TargetGroup) -> list:
        return obj.development_areas_list


class ChangeOut(Schema):
    date: date
    change: str
    made_by: str


class SectionOut(Schema):
    number: str
    title: str
    text: str
    parent: str | None = Field(description="Numret på avsnittet det ingår i")


class VersionDetail(VersionOut):
    agreement: Ref
    agreement_title: str
    based_on: int | None = Field(description="Numret på versionen den reviderade")
    change_log: list[ChangeOut]
    sections: list[SectionOut]
    target_groups: list[TargetGroupOut]

    @staticmethod
    def resolve_agreement(obj: AgreementVersion, context) -> dict:
        return {"id": obj.agreement_id, "url": link(request_of(context), "agreement", pk=obj.agreement_id)}

    @staticmethod
    def resolve_agreement_title(obj: AgreementVersion) -> str:
        return obj.agreement.title

    @staticmethod
    def resolve_based_on(obj: AgreementVersion) -> int | None:
        return obj.based_on.number if obj.based_on else None


class LawOut(Schema):
    code: str
    name: str
    kind: str = Field(description="law, ordinance eller regulation")
    sfs: str = Field(description="SFS-nummer (eller föreskriftens nummer)")
    replaced_by: str | None = Field(description="Koden för den lag som ersätter denna äldre version")
    url: str
    html_url: str
    duty_count: int = Field(description="Åtaganden i versioner som gäller i dag som vilar på lagen")

    @staticmethod
    def resolve_replaced_by(obj: Law) -> str | None:
        return obj.replaced_by.code if obj.replaced_by_id else None

    @staticmethod
    def resolve_url(obj: Law, context) -> str:
        return link(request_of(context), "law", code=obj.code)

    @staticmethod
    def resolve_html_url(obj: Law, context) -> str:
        return page_link(request_of(context), obj.get_absolute_url())


class LawReferenceOut(LegalReferenceOut):
    duty: DutyOut
    area: str
    target_group: TargetGroupOut

    @staticmethod
    def resolve_area(obj: LegalReference) -> str:
        return obj.duty.area.name

    @staticmethod
    def resolve_target_group(obj: LegalReference) -> TargetGroup:
        return obj.duty.area.target_group


class DutyDetail(DutyOut):
    area: str
    area_id: int
    target_group: TargetGroupOut
    html_url: str

    @staticmethod
    def resolve_area(obj: Duty) -> str:
        return obj.area.name

    @staticmethod
    def resolve_target_group(obj: Duty) -> TargetGroup:
        return obj.area.target_group

    @staticmethod
    def resolve_html_url(obj: Duty, context) -> str:
        v, group = obj.version, obj.area.target_group
        url = reverse("agreements:table", kwargs={"pk": v.agreement_id, "number": v.number, "key": group.key})
        return page_link(request_of(context), f"{url}?omrade={obj.area_id}")


class SearchDuty(DutyOut):
    matched: bool = Field(description="Åtagandets text matchade; annars visas det för att området matchade")


class SearchHitOut(Schema):
    area: str
    area_id: int
    municipal: list[SearchDuty]
    region: list[SearchDuty]
    shared: list[SearchDuty]


class SearchGroupOut(Schema):
    target_group: TargetGroupOut
    hits: list[SearchHitOut]


class SearchOut(Schema):
    q: str
    groups: list[SearchGroupOut]


# --- Filters and helpers ---------------------------------------------------------------------------


class AgreementFilter(Schema):
    county: CountyCode | None = None
    organisation: Id | None = Field(None, description="En parts id (organisation)")
    target_group: Key | None = Field(None, description="Har en målgrupp med denna nyckel")
    law: LawCode | None = Field(None, description="Har åtaganden som vilar på lagen, t.ex. HSL")
    in_force_on: Day | None = Field(None, description=IN_FORCE_ON)


def _versions(day: date | None) -> QuerySet[AgreementVersion]:
    """The versions filters look in: those in force on the day (today)."""
    return selectors.versions_in_force_on(PUBLIC, day or timezone.localdate())


def _public_versions() -> Prefetch:
    return Prefetch(
        "versions",
        queryset=permissions.versions_visible(PUBLIC).order_by("-number"),
        to_attr="public_versions",
    )


def _agreements() -> QuerySet[Agreement]:
    parties = AgreementParty.objects.select_related("organisation").order_by("side", "organisation__name")
    return (
        permissions.agreements_visible(PUBLIC)
        .select_related("county")
        .prefetch_related(_public_versions(), Prefetch("parties", queryset=parties))
    )


def _duties() -> Prefetch:
    refs = LegalReference.objects.select_related("law").order_by("order")
    return Prefetch("legal_references", queryset=refs)


def _target_groups() -> QuerySet[TargetGroup]:
    return TargetGroup.objects.select_related("version__agreement__county")


def _version_or_404(pk: int, number: int) -> AgreementVersion:
    version = (
        permissions.versions_visible(PUBLIC)
        .select_related("agreement__county", "based_on")
        .filter(agreement_id=pk, number=number)
        .first()
    )
    if version is None:
        raise Http404
    return version


def _today_began() -> datetime:
    """Midnight today: states are computed for the day, so an answer may change when a day begins (a
    version takes effect, an extension or notice deadline comes) without any recorded change."""
    return timezone.make_aware(datetime.combine(timezone.localdate(), time.min))


def _version_changed(version: AgreementVersion):
    """The last recorded change of the version or its agreement (adopted content is frozen; the version's
    status and the agreement's terms may still change), or the start of today."""
    return latest(
        version.history.aggregate(at=Max("history_date"))["at"],
        version.agreement.history.aggregate(at=Max("history_date"))["at"],
        _today_began(),
    )


# --- Operations ------------------------------------------------------------------------------------


@router.get("/agreements", response=list[AgreementOut], url_name="agreement_list", summary="Överenskommelser")
@paginate(LinkedPagination)
def agreement_list(request: HttpRequest, filters: Query[AgreementFilter]):
    """Published agreements (at least one adopted version), with validity today and the version in force
    today. Filters on target group and law look in the versions in force today, or on ``in_force_on``."""
    agreements = _agreements().order_by("county__code", "title", "pk")
    if filters.county:
        agreements = agreements.filter(county__code=filters.county)
    if filters.organisation:
        agreements = agreements.filter(parties__organisation_id=filters.organisation)
    if filters.in_force_on:
        agreements = agreements.filter(pk__in=selectors.agreements_in_force_on(PUBLIC, filters.in_force_on))
    versions = _versions(filters.in_force_on)
    if filters.target_group:
        groups = TargetGroup.objects.filter(version__in=versions, key=filters.target_group)
        agreements = agreements.filter(Exists(groups.filter(version__agreement=OuterRef("pk"))))
    if filters.law:
        refs = LegalReference.objects.filter(version__in=versions, law__code=filters.law)
        agreements = agreements.filter(Exists(refs.filter(version__agreement=OuterRef("pk"))))
    return agreements


@router.get("/agreements/{pk}", response=AgreementDetail, url_name="agreement", summary="En överenskommelse")
def agreement_detail(
    request: HttpRequest,
    response: HttpResponse,
    pk: Id,
    on: Annotated[Day | None, Field(description="Giltighet och version denna dag (annars i dag)")] = None,
):
    agreement = (
        _agreements().select_related("adopting_body").prefetch_related("signatories").filter(pk=pk).first()
    )
    if agreement is None:
        raise Http404
    agreement.on = on or timezone.localdate()
    linked = {agreement.replaces_id, *agreement.related.values_list("pk", flat=True)} - {None}
    agreement.visible_related = set(
        permissions.agreements_visible(PUBLIC).filter(pk__in=linked).values_list("pk", flat=True)
    )
    changed = agreement.history.aggregate(at=Max("history_date"))["at"]
    versions_changed = AgreementVersion.history.filter(
        agreement_id=agreement.pk,
        status__in=[AgreementVersion.Status.ADOPTED, AgreementVersion.Status.SUPERSEDED],
    ).aggregate(at=Max("history_date"))["at"]
    set_last_modified(response, latest(changed, versions_changed, _today_began()))
    return agreement


@router.get(
    "/agreements/{pk}/versions/{number}",
    response=VersionDetail,
    url_name="version",
    summary="En publicerad version: avsnitt, målgrupper och ändringslogg",
)
def version_detail(request: HttpRequest, response: HttpResponse, pk: Id, number: Id):
    version = _version_or_404(pk, number)
    outline = selectors.version_outline(version)
    sections_by_pk = {s.pk: s.number for s in outline.sections}
    for group in outline.target_groups:
        group.version = version
    set_last_modified(response, _version_changed(version))
    version.change_log = [
        {"date": e.date, "change": e.change, "made_by": e.made_by} for e in outline.change_log
    ]
    version.sections = [
        {"number": s.number, "title": s.title, "text": s.text, "parent": sections_by_pk.get(s.parent_id)}
        for s in outline.sections
    ]
    version.target_groups = outline.target_groups
    return version


@router.get(
    "/agreements/{pk}/versions/{number}/target-groups/{key}",
    response=TargetGroupDetail,
    url_name="target_group",
    summary="En målgrupp med ansvarsfördelning och utvecklingsområden",
)
def target_group_detail(
    request: HttpRequest,
    response: HttpResponse,
    pk: Id,
    number: Id,
    key: Key,
    law: Annotated[LawCode | None, Field(description="Endast åtaganden som vilar på lagen")] = None,
):
    version = _version_or_404(pk, number)
    group = selectors.target_group_or_404(version, key)
    group.version = version
    group.responsibility_table = selectors.responsibility_table(group, law=law or "")
    group.development_areas_list = list(selectors.development_areas(group))
    actions_changed = ActionItem.history.filter(development_area__target_group=group).aggregate(
        at=Max("history_date")
    )["at"]
    set_last_modified(response, latest(_version_changed(version), actions_changed))
    return group


@router.get(
    "/target-groups", response=list[TargetGroupOut], url_name="target_group_list", summary="Målgrupper"
)
@paginate(LinkedPagination)
def target_group_list(request: HttpRequest, filters: Query[AgreementFilter]):
    """Target groups of the versions in force today, or on ``in_force_on``."""
    groups = _target_groups().filter(version__in=_versions(filters.in_force_on))
    groups = groups.annotate(version_state=Value(VersionState.IN_FORCE.value))
    if filters.county:
        groups = groups.filter(version__agreement__county__code=filters.county)
    if filters.organisation:
        groups = groups.filter(version__agreement__parties__organisation_id=filters.organisation)
    if filters.target_group:
        groups = groups.filter(key=filters.target_group)
    if filters.law:
        refs = LegalReference.objects.filter(law__code=filters.law, duty__area__target_group=OuterRef("pk"))
        groups = groups.filter(Exists(refs))
    return groups.order_by("version__agreement__county__code", "version__agreement__title", "order", "pk")


@router.get("/duties/{pk}", response=DutyDetail, url_name="duty", summary="Ett åtagande med lagrum")
def duty_detail(request: HttpRequest, pk: Id):
    duty = (
        Duty.objects.filter(version__in=permissions.versions_visible(PUBLIC), pk=pk)
        .select_related("area__target_group", "version__agreement__county")
        .prefetch_related(_duties())
        .first()
    )
    if duty is None:
        raise Http404
    duty.area.target_group.version = duty.version
    return duty


@router.get("/laws", response=list[LawOut], url_name="law_list", summary="Lagregister")
@paginate(LinkedPagination)
def law_list(request: HttpRequest):
    return selectors.laws_with_counts(PUBLIC)


@router.get("/laws/{code}", response=LawOut, url_name="law", summary="En lag")
def law_detail(request: HttpRequest, code: LawCode):
    return get_object_or_404(selectors.laws_with_counts(PUBLIC), code=code)


@router.get(
    "/laws/{code}/references",
    response=list[LawReferenceOut],
    url_name="law_references",
    summary="Åtaganden i versioner som gäller i dag som vilar på lagen",
)
@paginate(LinkedPagination)
def law_references(request: HttpRequest, code: LawCode, county: CountyCode | None = None):
    law = get_object_or_404(Law, code=code)
    references = (
        selectors.law_references(PUBLIC, law)
        .select_related("law", "duty__version")
        .prefetch_related(
            Prefetch("duty__legal_references", queryset=LegalReference.objects.select_related("law"))
        )
    )
    if county:
        references = references.filter(version__agreement__county__code=county)
    return _with_versions(references)


class _WithVersions:
    """A sliceable wrapper that ties each target group to its (already loaded) version."""

    def __init__(self, references: QuerySet[LegalReference]):
        self.references = references

    def count(self) -> int:
        return self.references.count()

    def __getitem__(self, window: slice) -> list[LegalReference]:
        rows = list(self.references[window])
        for ref in rows:
            ref.duty.area.target_group.version = ref.version
            ref.duty.area.target_group.version_state = VersionState.IN_FORCE.value
        return rows


def _with_versions(references: QuerySet[LegalReference]) -> _WithVersions:
    return _WithVersions(references)


@router.get("/search", response=SearchOut, url_name="search", summary="Vem ansvarar för …? (fritextsök)")
def search(
    request: HttpRequest,
    q: SearchText,
    county: CountyCode | None = None,
    include_history: Annotated[bool, Field(description="Sök även i ersatta versioner")] = False,
):
    """Swedish full-text search over duties and responsibility areas (at most 60 hits, best first),
    grouped by agreement version and target group. Every word must match; if none do, any word."""
    groups = selectors.duty_search(PUBLIC, q, include_history=include_history, county_code=county or "")
    result = []
    for group in groups:
        group.target_group.version = group.version
        hits = []
        for hit in group.hits:
            for duty in hit.municipal + hit.region + hit.shared:
                duty.matched = duty.pk in hit.matched
            hits.append(
                {
                    "area": hit.area.name,
                    "area_id": hit.area.pk,
                    "municipal": hit.municipal,
                    "region": hit.region,
                    "shared": hit.shared,
                }
            )
        result.append({"target_group": group.target_group, "hits": hits})
    return {"q": q, "groups": result}
