"""Open data API: the index, counties and organisations (reference data, all public)."""

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from samverkan import selectors
from samverkan.api import CountyCode, Id, LinkedPagination, choices, link, page_link, request_of
from samverkan.models import County, Organisation

router = Router(tags=["Län och organisationer"])
OrganisationKind = choices("OrganisationKind", Organisation.Kind)


class Index(Schema):
    title: str
    openapi: str
    docs: str
    resources: dict[str, str]


class CountyOut(Schema):
    code: str
    name: str
    short_name: str
    url: str
    html_url: str
    organisations_url: str

    @staticmethod
    def resolve_url(obj: County, context) -> str:
        return link(request_of(context), "county", code=obj.code)

    @staticmethod
    def resolve_html_url(obj: County, context) -> str:
        return page_link(request_of(context), obj.get_absolute_url())

    @staticmethod
    def resolve_organisations_url(obj: County, context) -> str:
        return link(request_of(context), "organisation_list") + f"?county={obj.code}"


class OrganisationOut(Schema):
    id: int
    url: str
    name: str
    short_name: str
    kind: OrganisationKind
    code: str
    county: str
    county_url: str

    @staticmethod
    def resolve_url(obj: Organisation, context) -> str:
        return link(request_of(context), "organisation", pk=obj.pk)

    @staticmethod
    def resolve_county(obj: Organisation) -> str:
        return obj.county.code

    @staticmethod
    def resolve_county_url(obj: Organisation, context) -> str:
        return link(request_of(context), "county", code=obj.county.code)


class CountyDetail(CountyOut):
    organisations: list[OrganisationOut]

    @staticmethod
    def resolve_organisations(obj: County) -> list[Organisation]:
        return list(selectors.county_organisations(obj).select_related("county"))


class OrganisationFilter(Schema):
    county: CountyCode | None = None
    kind: OrganisationKind | None = None


@router.get("/", response=Index, url_name="index", summary="Ingång med länkar till alla resurser")
def index(request: HttpRequest):
    names = {
        "counties": "county_list",
        "organisations": "organisation_list",
        "agreements": "agreement_list",
        "target_groups": "target_group_list",
        "laws": "law_list",
        "search": "search",
        "bodies": "body_list",
        "meetings": "meeting_list",
    }
    return {
        "title": "Samverkan – öppna data",
        "openapi": link(request, "openapi-json"),
        "docs": link(request, "openapi-view"),
        "resources": {key: link(request, name) for key, name in names.items()},
    }


@router.get("/counties", response=list[CountyOut], url_name="county_list", summary="Län")
@paginate(LinkedPagination)
def county_list(request: HttpRequest):
    return County.objects.order_by("code")


@router.get(
    "/counties/{code}", response=CountyDetail, url_name="county", summary="Ett län med organisationer"
)
def county_detail(request: HttpRequest, code: CountyCode):
    county = County.objects.filter(code=code).first()
    if county is None:
        raise Http404
    return county


@router.get(
    "/organisations", response=list[OrganisationOut], url_name="organisation_list", summary="Organisationer"
)
@paginate(LinkedPagination)
def organisation_list(request: HttpRequest, filters: Query[OrganisationFilter]):
    organisations = Organisation.objects.select_related("county").order_by("county__code", "kind", "name")
    if filters.county:
        organisations = organisations.filter(county__code=filters.county)
    if filters.kind:
        organisations = organisations.filter(kind=filters.kind)
    return organisations


@router.get(
    "/organisations/{pk}", response=OrganisationOut, url_name="organisation", summary="En organisation"
)
def organisation_detail(request: HttpRequest, pk: Id):
    organisation = Organisation.objects.select_related("county").filter(pk=pk).first()
    if organisation is None:
        raise Http404
    return organisation
