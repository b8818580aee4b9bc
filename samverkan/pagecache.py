"""Cached public pages: what the public sees of agreements, bodies, protocols and statistics is rendered
once and then served from memory until something in its scope changes.

- **Where**: each app server process keeps rendered pages in its own memory (``CACHES["pages"]``); the
  *generation* of each scope (agreements, governance, deviations) is kept in PostgreSQL
  (``CACHES["default"]``, the database cache), shared by every app server. A page's key contains the
  generations of its scopes, the language, the day and the full path, so a change in a scope makes every
  server render the page anew at its next request. A generation is a fresh random value, never a
  counter, so that two changes at the same moment cannot both write the same number.
- **When a scope changes**: after every successful POST (or other unsafe request) under the scope's URLs
  (``InvalidationMiddleware``: agreements, governance, deviations, the admin and roles), and from the
  writes that happen outside requests (a stored PDF, the daily overdue flagging, imports and reference
  data) through ``bump``. Pages also expire after ``PAGE_CACHE_SECONDS`` so that what depends on the
  clock (a meeting that has just been held) is never stale for long.
- **For whom**: ``public_page`` serves anonymous GET requests without a session or pending messages, and
  not htmx partials; logged-in people get fresh pages, since they see their own organisation and rights.
  ``personal_page`` (my cases) keeps one copy per person and acting organisation. The CSRF token in a
  cached page's forms is replaced by the visitor's own at every hit.
"""

import hashlib
import re
import uuid
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

AGREEMENTS, GOVERNANCE, DEVIATIONS = "agreements", "governance", "deviations"
SCOPES = (AGREEMENTS, GOVERNANCE, DEVIATIONS)
TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
PLACEHOLDER = b"\x00csrf\x00"
UNCACHED_HEADERS = {"content-length", "set-cookie", "vary", "x-page-cache"}

# Unsafe requests under these paths change what the scopes show (the first match wins). The agreement
# pages name the adopting body and the escalation ladder, hence the extra scopes.
CHANGES = [
    ("/overenskommelser/", (AGREEMENTS,)),
    ("/organ/", (GOVERNANCE, AGREEMENTS)),
    ("/avvikelser/trappor/", (DEVIATIONS, AGREEMENTS)),
    ("/avvikelser/", (DEVIATIONS,)),
    ("/admin/login/", ()),
    ("/admin/logout/", ()),
    ("/admin/", SCOPES),
    ("/roller/", SCOPES),
    ("/lan/", SCOPES),
]


def _generation_key(scope: str) -> str:
    return f"generation:{scope}"


def generations(scopes: tuple[str, ...]) -> str:
    """The current generation of each scope, joined; a missing one is created."""
    shared = caches["default"]
    keys = [_generation_key(scope) for scope in scopes]
    found = shared.get_many(keys)
    for key in keys:
        if key not in found:
            shared.add(key, uuid.uuid4().hex, timeout=None)
            found[key] = shared.get(key, "")
    return ".".join(str(found[key]) for key in keys)


def bump(*scopes: str) -> None:
    """Make every cached page of these scopes (all when none are named) stale, once the current
    transaction commits (at once outside a transaction)."""

    def run() -> None:
        caches["default"].set_many({_generation_key(s): uuid.uuid4().hex for s in scopes or SCOPES}, None)

    transaction.on_commit(run)


def _cacheable(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and "HX-Request" not in request.headers
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _cacheable_personal(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and request.user.is_authenticated
        and "HX-Request" not in request.headers
        and "messages" not in request.COOKIES
        and "_messages" not in request.session
    )


def _key(request: HttpRequest, scopes: tuple[str, ...], person: str = "") -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return f"page:{generations(scopes)}:{language}:{timezone.localdate().isoformat()}:{person}:{path}"


def _serve(request: HttpRequest, key: str, view: Callable, args, kwargs) -> HttpResponse:
    pages = caches["pages"]
    hit = pages.get(key)
    if hit is None:
        response = view(request, *args, **kwargs)
        if response.status_code != 200 or response.streaming or response.cookies:
            return response
        content = TOKEN.sub(rb"\1" + PLACEHOLDER + rb"\2", response.content)
        headers = {k: v for k, v in response.headers.items() if k.lower() not in UNCACHED_HEADERS}
        pages.set(key, (content, headers), settings.PAGE_CACHE_SECONDS)
        return response
    content, headers = hit
    if PLACEHOLDER in content:
        content = content.replace(PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content, headers=headers)
    response["X-Page-Cache"] = "hit"
    return response


def public_page(*scopes: str) -> Callable:
    """Serve the view's page to the public from the cache; ``scopes`` are what the page shows (all
    when none are named)."""
    scopes = scopes or SCOPES

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not _cacheable(request):
                return view(request, *args, **kwargs)
            return _serve(request, _key(request, scopes), view, args, kwargs)

        return wrapped

    return decorator


def personal_page(*scopes: str) -> Callable:
    """Serve a logged-in person's own page from the cache, keyed by the person and the organisation they
    act for. Role changes (``/roller/``, the admin) make every scope stale, so what the person may see is
    never older than their rights."""
    scopes = scopes or SCOPES

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not _cacheable_personal(request):
                return view(request, *args, **kwargs)
            from samverkan.selectors import ACTING_SESSION_KEY

            person = f"u{request.user.pk}.{request.session.get(ACTING_SESSION_KEY, '')}"
            return _serve(request, _key(request, scopes, person), view, args, kwargs)

        return wrapped

    return decorator


class InvalidationMiddleware:
    """After a successful unsafe request, make the pages of the scopes it may have changed stale."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE") and response.status_code < 400:
            scopes = next((s for prefix, s in CHANGES if request.path.startswith(prefix)), None)
            if scopes:
                bump(*scopes)
        return response
