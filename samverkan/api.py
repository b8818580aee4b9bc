"""The open data API (/api/v1/): the object that carries it and what every router shares.

Everything the API returns is public: reads go through the apps' selectors and permission querysets with
``PUBLIC``, an anonymous user, whoever sends the request (a session cookie changes nothing). Lists are
paginated with links; every answer carries an ETag (a hash of the body) and Cache-Control, some also
Last-Modified, and a conditional request for an unchanged resource gets 304. Requests are limited per
client address (``API_RATE_LIMIT``), counted in the database so the limit holds across app servers.
"""

import math
import re
import threading
from datetime import date, datetime
from enum import StrEnum
from functools import cache, wraps
from typing import Annotated, Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import http_date, parse_http_date_safe
from django.views.decorators.http import require_safe
from ninja import Field, NinjaAPI, Schema
from ninja.openapi.docs import DocsBase
from ninja.pagination import PaginationBase
from ninja.throttling import BaseThrottle
from pydantic import BeforeValidator

from samverkan import services
from samverkan.envconf import parse_rate
from samverkan.netaddr import client_ip

PUBLIC = AnonymousUser()
NAMESPACE = "api"
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_PAGE = 100_000

# Parameter types. Strings exclude NUL (PostgreSQL refuses it in text) and are bounded.
CountyCode = Annotated[str, Field(pattern=r"^[0-9]{2}$", description="Länskod (SCB), t.ex. 10")]
LawCode = Annotated[str, Field(pattern=r"^[A-Za-zÅÄÖåäö0-9][A-Za-zÅÄÖåäö0-9 .\-]{0,19}$", description="Lag")]
Key = Annotated[str, Field(pattern=r"^[-a-zA-Z0-9_]{1,60}$", description="Målgruppens nyckel")]
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
SearchText = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\x00]+$")]
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _iso_date(value: object) -> object:
    """Dates in parameters are ÅÅÅÅ-MM-DD only (pydantic alone also takes timestamps such as 0)."""
    if isinstance(value, str) and not _ISO_DATE.match(value):
        raise ValueError("ange datum som ÅÅÅÅ-MM-DD")
    return value


Day = Annotated[date, BeforeValidator(_iso_date)]


def choices(name: str, text_choices) -> type[StrEnum]:
    """An enum of a model's choices under a name unique in the description (models reuse Kind, Status)."""
    return StrEnum(name, {value: value for value in text_choices.values})


class Error(Schema):
    detail: str


class Ref(Schema):
    """A link to another resource: its id and its API address."""

    id: int
    url: str


def link(request: HttpRequest, name: str, **kwargs: Any) -> str:
    """The absolute address of an API resource."""
    return request.build_absolute_uri(reverse(f"{NAMESPACE}:{name}", kwargs=kwargs))


def page_link(request: HttpRequest, url: str) -> str:
    """The absolute address of a portal page (the human-readable version of a resource)."""
    return request.build_absolute_uri(url)


def request_of(context: dict) -> HttpRequest:
    return context["request"]


# --- Pagination ------------------------------------------------------------------------------------


class LinkedPagination(PaginationBase):
    """Page-numbered lists with the total and absolute links to the next and previous pages."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="Sidnummer, från 1")
        page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Poster per sida")

    class Output(Schema):
        count: int
        page: int
        pages: int
        next: str | None
        previous: str | None
        items: list[Any]

    def paginate_queryset(self, queryset: QuerySet | list, pagination: Input, request: HttpRequest, **params):
        size = pagination.page_size
        count = (
            queryset.count()
            if hasattr(queryset, "count") and not isinstance(queryset, list)
            else len(queryset)
        )
        pages = max(1, math.ceil(count / size))
        start = (pagination.page - 1) * size

        def to(page: int) -> str:
            query = request.GET.copy()
            query["page"] = str(page)
            return request.build_absolute_uri(
                f"{request.path}?{urlencode(sorted(query.lists()), doseq=True)}"
            )

        return {
            "count": count,
            "page": pagination.page,
            "pages": pages,
            "next": to(pagination.page + 1) if pagination.page < pages else None,
            "previous": to(min(pagination.page - 1, pages)) if pagination.page > 1 else None,
            "items": list(queryset[start : start + size]) if start < count else [],
        }


# --- Rate limiting ---------------------------------------------------------------------------------


class DatabaseRateThrottle(BaseThrottle):
    """``API_RATE_LIMIT`` requests per client address and fixed window, counted in PostgreSQL."""

    def __init__(self):
        self._local = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        limit, seconds = parse_rate(settings.API_RATE_LIMIT, name="API_RATE_LIMIT")
        now = timezone.now().timestamp()
        start = now - now % seconds
        hits = services.api_request_count(
            client=client_ip(request) or "unknown",
            window_start=datetime.fromtimestamp(start, tz=timezone.UTC),
            window_seconds=seconds,
        )
        self._local.wait = max(1.0, start + seconds - now)
        return hits <= limit

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)


# --- Conditional requests --------------------------------------------------------------------------


def set_last_modified(response: HttpResponse, moment: datetime | None) -> None:
    """Give a response Last-Modified (ignored when nothing is known)."""
    if moment is not None:
        response["Last-Modified"] = http_date(moment.timestamp())


def latest(*moments: datetime | None) -> datetime | None:
    known = [m for m in moments if m is not None]
    return max(known) if known else None


def conditional_get(view):
    """Cache headers for successful reads: Cache-Control, an ETag from the body, and 304 Not Modified for
    a request whose If-None-Match (or, without it, If-Modified-Since) still matches."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        patch_cache_control(response, public=True, max_age=settings.API_CACHE_SECONDS)
        set_response_etag(response)
        last_modified = response.get("Last-Modified")
        return get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=parse_http_date_safe(last_modified) if last_modified else None,
            response=response,
        )

    return wrapper


# --- The description and its documentation page ----------------------------------------------------

COMMON_RESPONSES = {
    "304": {"description": "Oförändrad sedan If-None-Match/If-Modified-Since (tom kropp)."},
    "429": {
        "description": "För många förfrågningar; försök igen efter Retry-After sekunder.",
        "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Sekunder att vänta"}},
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    },
}
ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
INVALID = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ValidationErrors"}}}}
VALIDATION_ERRORS = {
    "type": "object",
    "title": "ValidationErrors",
    "properties": {
        "detail": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "type": {"type": "string"},
                    "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
                    "msg": {"type": "string"},
                },
                "required": ["type", "loc", "msg"],
            },
        }
    },
    "required": ["detail"],
}


class OpenDataAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """The generated description plus the answers every operation may give: 304, 429, and 404 and 422
        where there are path or query parameters."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema["components"].setdefault("schemas", {})
        components["Error"] = Error.model_json_schema()
        components["ValidationErrors"] = VALIDATION_ERRORS
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation["responses"] = {str(k): v for k, v in operation["responses"].items()}
                responses.update({k: v for k, v in COMMON_RESPONSES.items() if k not in responses})
                parameters = operation.get("parameters", [])
                if any(p["in"] == "path" for p in parameters):
                    responses.setdefault(
                        "404", {"description": "Finns inte eller är inte offentlig", **ERROR}
                    )
                if parameters:
                    responses.setdefault("422", {"description": "Ogiltiga parametrar", **INVALID})
        return schema


class SchemaDocs(DocsBase):
    """A server-rendered documentation page from the OpenAPI description: no scripts, so it works under the
    portal's strict CSP and with assistive technology."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        schema = api.get_openapi_schema(path_params=kwargs)
        operations = [
            {
                "method": method.upper(),
                "path": path,
                "summary": operation.get("summary", ""),
                "description": operation.get("description", ""),
                "parameters": [
                    {
                        "name": p["name"],
                        "in": p["in"],
                        "required": p.get("required", False),
                        "type": _type_name(p.get("schema", {})),
                        "description": p.get("description") or p.get("schema", {}).get("description", ""),
                    }
                    for p in operation.get("parameters", [])
                ],
                "responses": sorted(operation["responses"].items()),
                "tag": (operation.get("tags") or [""])[0],
            }
            for path, methods in schema["paths"].items()
            for method, operation in methods.items()
        ]
        schemas = [
            {
                "name": name,
                "description": definition.get("description", ""),
                "properties": [
                    {
                        "name": prop,
                        "type": _type_name(spec),
                        "required": prop in definition.get("required", []),
                    }
                    for prop, spec in definition.get("properties", {}).items()
                ],
            }
            for name, definition in sorted(schema["components"].get("schemas", {}).items())
        ]
        return render(
            request,
            "api/docs.html",
            {
                "api": api,
                "info": schema["info"],
                "operations": operations,
                "schemas": schemas,
                "openapi_url": self.get_openapi_url(api, kwargs),
            },
        )


def _type_name(spec: dict) -> str:
    if "$ref" in spec:
        return spec["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in spec:
        return " | ".join(_type_name(s) for s in spec["anyOf"])
    if spec.get("type") == "array":
        return f"[{_type_name(spec.get('items', {}))}]"
    kind = spec.get("format") or spec.get("type") or "any"
    return f"{kind} ({', '.join(spec['enum'])})" if "enum" in spec else kind


@cache
def open_data_api() -> OpenDataAPI:
    """The API with every registered router mounted (``registry.register_api_router`` from each app's
    ``AppConfig.ready()``; built once, on first use by the URL configuration)."""
    from samverkan import registry

    api = OpenDataAPI(
        title="Samverkan – öppna data",
        version="1",
        description=(
            "Offentliga uppgifter ur Samverkan: län och organisationer, överenskommelser med versioner, "
            "målgrupper och ansvarsfördelning, lagregister, sök, samverkansorgan och publicerade möten, "
            "samt avvikelsestatistik. Endast läsning; inget som kräver inloggning visas."
        ),
        urls_namespace=NAMESPACE,
        docs=SchemaDocs(),
        docs_url="/docs/",
        openapi_url="/openapi.json",
        docs_decorator=lambda view: require_safe(conditional_get(view)),  # the schema and docs read only
        throttle=DatabaseRateThrottle(),
    )
    api.add_decorator(conditional_get, mode="view")
    for router in registry.api_routers():
        api.add_router("", router)
    return api
