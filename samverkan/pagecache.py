"""Cached public pages: what the public sees of agreements, bodies, protocols and statistics is rendered
once and then served from memory until something in its scope changes.

- **Where**: each app server process keeps rendered pages in its own memory (``CACHES["pages"]``); the
  *generation* of each scope (agreements, governance, deviations) is kept in PostgreSQL
  (``CACHES["default"]``, the database cache), shared by every app server. A page's key contains the
  generations of its scopes, the language, the day and the full path, so a change in a scope makes every
  server render the page anew at its next request. A generation is a fresh random value, never a
  counter, so that two changes at the same moment cannot both write the same number.
- **When a scope changes**: each app registers its scopes (``registry.register_cache_scope`` in its
  ``AppConfig.ready()``) and its writes mark them: a service decorated with ``changes(scope, …)`` makes
  them stale once it has succeeded and its transaction commits; other writes (a stored PDF, the daily
  overdue flagging) call ``bump``. The core's own writes (roles, people, reference data) and successful
  unsafe requests to the admin (``InvalidationMiddleware``) make every scope stale. Pages also expire after
  ``PAGE_CACHE_SECONDS`` so that what depends on the clock (a meeting that has just been held) is never
  stale for long.
- **For whom**: ``public_page`` serves anonymous GET requests without a session or pending messages, and
  not htmx partials; logged-in people get fresh pages, since they see their own organisation and rights.
  ``personal_page`` (my cases) keeps one copy per person, login and acting organisation. The CSRF token in
  a cached page's forms (no public page has one for anonymous visitors today: the language switch is a
  GET) is replaced by the visitor's own at every hit.
- **Browsers and caches in between** (``CacheHeadersMiddleware``): a public page carries an ``ETag`` made
  from its cache key (the scopes' generations, the language, the day and the path), so a browser that
  sends it back gets ``304 Not Modified`` without the page being rendered. An anonymous public page is
  ``Cache-Control: public, max-age=PUBLIC_PAGE_SHARED_SECONDS`` (60), so a balancer or CDN may keep it
  that long (``_shared``), unless it holds a CSRF token or sets a cookie; every other HTML page is
  ``Cache-Control: private, no-cache``: browsers keep it and ask again, no shared cache keeps it. Every
  page has ``Vary: Cookie``: a logged-in visitor sends the session cookie and never gets the anonymous
  copy from a cache in between.
- **Who is logged in, on a hit**: a personal page is served on the session alone (one query), without
  loading the user. The session row proves the login (logging out deletes it, on every server), and the
  key holds the session's password digest, so a copy is only ever served to sessions of the login that
  it was rendered for. Any change to a user account other than the login time (a new password, being
  deactivated or removed) makes every scope stale (``account_changed``), so the next request takes the
  full path through Django's authentication, which logs out a session that is no longer valid.
"""

import hashlib
import re
import time
import uuid
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers

from samverkan import registry

TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
PLACEHOLDER = b"\x00csrf\x00"
UNCACHED_HEADERS = {"content-length", "set-cookie", "vary", "x-page-cache"}
ADMIN_PREFIX, ADMIN_SESSION_PATHS = "/admin/", ("/admin/login/", "/admin/logout/")


def all_scopes() -> tuple[str, ...]:
    """Every scope the apps registered (``registry.register_cache_scope``)."""
    return registry.cache_scopes()


def _generation_key(scope: str) -> str:
    return f"generation:{scope}"


# Each process remembers the generations it read for PAGE_GENERATIONS_MEMO_SECONDS, so that a page served
# from the cache costs no query at all; a change made in this process forgets them at once (``bump``), one
# made on another app server (or by the worker) reaches this one within those seconds. Only anonymous
# visitors get cached pages, so only they can see a page that old.
_memo: dict[tuple[str, ...], tuple[float, str]] = {}


def generations(scopes: tuple[str, ...]) -> str:
    """The current generation of each scope, joined; a missing one is created."""
    seconds = settings.PAGE_GENERATIONS_MEMO_SECONDS
    if seconds:
        remembered = _memo.get(scopes)
        if remembered is not None and remembered[0] > time.monotonic():
            return remembered[1]
    value = _generations_read(scopes)
    if seconds:
        _memo[scopes] = (time.monotonic() + seconds, value)
    return value


def _generations_read(scopes: tuple[str, ...]) -> str:
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
        caches["default"].set_many(
            {_generation_key(s): uuid.uuid4().hex for s in scopes or all_scopes()}, None
        )
        _memo.clear()

    transaction.on_commit(run)


def changes(*scopes: str) -> Callable:
    """Decorate a write (a service) that changes what the pages of these scopes (all when none are
    named) show: when it returns without raising, ``bump`` them."""

    def decorator(write: Callable) -> Callable:
        @wraps(write)
        def wrapped(*args, **kwargs):
            result = write(*args, **kwargs)
            bump(*scopes)
            return result

        return wrapped

    return decorator


def _anonymous_read(request: HttpRequest) -> bool:
    """A GET or HEAD without a session (so nobody logged in), a message waiting or an htmx partial: what
    the public cache may answer. Decided on the request's cookies and headers alone."""
    return (
        request.method in ("GET", "HEAD")
        and "HX-Request" not in request.headers
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _cacheable(request: HttpRequest) -> bool:
    return _anonymous_read(request) and not request.user.is_authenticated


def _person(request: HttpRequest) -> str | None:
    """Who a request for a personal page comes from, read from the session without loading the user:
    the user id and a digest of the session's password hash. None when the page must not come from the
    cache (not logged in, an unsafe method, an htmx partial or a message waiting to be shown)."""
    if (
        request.method not in ("GET", "HEAD")
        or "HX-Request" in request.headers
        or "messages" in request.COOKIES
        or settings.SESSION_COOKIE_NAME not in request.COOKIES
    ):
        return None
    session = request.session
    user_id, password = session.get(SESSION_KEY), session.get(HASH_SESSION_KEY)
    if not user_id or not password or "_messages" in session:
        return None
    from samverkan.selectors import ACTING_SESSION_KEY

    login = hashlib.sha256(password.encode()).hexdigest()[:16]
    return f"u{user_id}.{login}.{session.get(ACTING_SESSION_KEY, '')}"


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


def _etag(key: str) -> str:
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def _shared(response: HttpResponse, content: bytes | None, content_type: str) -> None:
    """Let a balancer or CDN keep an anonymous HTML page for ``PUBLIC_PAGE_SHARED_SECONDS``, since every
    anonymous visitor gets the same page: unless it holds a form with a CSRF token (the visitor's own),
    sets a cookie, has its own ``Cache-Control`` (a file), or is not known (``content`` None).
    ``Vary: Cookie`` (``CacheHeadersMiddleware``) keeps a logged-in visitor, who sends the session cookie,
    from ever getting the shared copy."""
    seconds = settings.PUBLIC_PAGE_SHARED_SECONDS
    if not seconds or content is None or response.cookies or "Cache-Control" in response:
        return
    if not content_type.startswith("text/html"):
        return
    if PLACEHOLDER in content or TOKEN.search(content):
        return
    patch_cache_control(response, public=True, max_age=seconds)


def public_page(*scopes: str) -> Callable:
    """Serve the view's page to the public from the cache; ``scopes`` are what the page shows (all
    when none are named). A browser that still has the page (its ETag) gets 304 without a lookup."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not _cacheable(request):
                return view(request, *args, **kwargs)
            key = _key(request, scopes or all_scopes())
            etag = _etag(key)
            if etag in request.headers.get("If-None-Match", ""):
                response = HttpResponseNotModified()
                content, headers = caches["pages"].get(key) or (None, {})
                if "Cache-Control" in headers:  # the page's own (a file's)
                    response["Cache-Control"] = headers["Cache-Control"]
            else:
                response = _serve(request, key, view, args, kwargs)
                request._page_cache_key = key  # EarlyPublicPageMiddleware keeps the page's final headers
                content, headers = (response.content, response) if response.status_code == 200 else (None, {})
            if response.status_code in (200, 304):
                response["ETag"] = etag
                _shared(response, content, headers.get("Content-Type", ""))
            return response

        wrapped.page_cache_scopes = scopes  # EarlyPublicPageMiddleware serves a hit before the rest
        return wrapped

    return decorator


def personal_page(*scopes: str) -> Callable:
    """Serve a logged-in person's own page from the cache, keyed by the person, their login and the
    organisation they act for. Role changes (``/roller/``, the admin) and account changes make every
    scope stale, so what the person may see is never older than their rights. The view itself must
    require a login: a request without a logged-in session goes straight to it."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            person = _person(request)
            if person is None:
                return view(request, *args, **kwargs)
            return _serve(request, _key(request, scopes or all_scopes(), person), view, args, kwargs)

        return wrapped

    return decorator


def account_changed(sender, instance, update_fields=None, **kwargs) -> None:
    """A user account was saved or removed: unless only the login time changed, make every scope stale,
    so that no personal page is served from the cache to a session that Django would now log out."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    bump()


class InvalidationMiddleware:
    """After a successful unsafe request to the admin (which writes around the apps' services), make
    every scope stale; logging in or out of it changes no page. The apps' own writes mark their scopes
    themselves (``changes``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.method not in ("GET", "HEAD", "OPTIONS", "TRACE")
            and response.status_code < 400
            and request.path.startswith(ADMIN_PREFIX)
            and not request.path.startswith(ADMIN_SESSION_PATHS)
        ):
            bump()
        return response


class CacheHeadersMiddleware:
    """An HTML page without its own ``Cache-Control`` (all but anonymous public pages, ``_shared``) is kept
    by no shared cache: a logged-in page holds the person's own rights, a form the visitor's own CSRF
    token. Browsers may keep it but must ask again. Every HTML page varies by the cookie. Responses that
    set their own ``Cache-Control`` (files, the API, anonymous public pages) keep it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        html = response.get("Content-Type", "").startswith("text/html") or response.status_code == 304
        if html and "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_cache=True)
        if html:
            patch_vary_headers(response, ("Cookie",))
        return response


FINAL_HEADERS_LEFT_OUT = {"content-length", "set-cookie", "vary", "x-page-cache", "etag"}


class EarlyPublicPageMiddleware:
    """Serves a public page the cache holds before the middleware and the work a cached page does not need:
    sessions, authentication, messages, URL dispatch and the other middleware's headers, which are kept
    with the page instead. It sits right after SecurityMiddleware and WhiteNoise, so their headers are
    still added on the way out, and it keeps what a page must have:

    - the headers the rest of the chain gave the page when it was rendered (CSP, X-Frame-Options,
      Content-Language, Cache-Control): stored beside the page once it has passed back through the chain;
    - the visitor's own CSRF token in the page's forms, and the CSRF cookie, through Django's
      CsrfViewMiddleware (its request and response steps, not its view check: a GET has none);
    - the language, chosen by the same cookie as ChosenLanguageMiddleware;
    - ``ETag`` and ``Vary: Cookie``, and 304 for a browser that has the page.

    Only requests ``public_page`` would serve from the cache come this way: GET or HEAD, no session cookie
    (so nobody logged in), no message waiting, no htmx partial, a URL whose view is a ``public_page``.
    Anything else, and a page not in the cache yet, takes the full path (which stores it)."""

    def __init__(self, get_response):
        from django.middleware.csrf import CsrfViewMiddleware

        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        scopes = self._scopes(request)
        if scopes is None:
            return self.get_response(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        request.LANGUAGE_CODE = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        key = _key(request, scopes or all_scopes())
        pages = caches["pages"]
        final = pages.get(key + ":final")
        hit = pages.get(key) if final is not None else None
        if hit is None:
            response = self.get_response(request)
            if response.cookies and "public" in response.get("Cache-Control", ""):
                response["Cache-Control"] = "private, no-cache"  # a cookie set on the way out is one's own
            if getattr(request, "_page_cache_key", None) == key and response.status_code == 200:
                headers = {
                    k: v for k, v in response.headers.items() if k.lower() not in FINAL_HEADERS_LEFT_OUT
                }
                pages.set(key + ":final", headers, settings.PAGE_CACHE_SECONDS)
            return response
        etag = _etag(key)
        if etag in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
        else:
            content = hit[0]
            if PLACEHOLDER in content:
                self.csrf.process_request(request)
                content = content.replace(PLACEHOLDER, get_token(request).encode())
            response = HttpResponse(content)
            response["X-Page-Cache"] = "early"
        for name, value in final.items():
            response[name] = value
        response["ETag"] = etag
        patch_vary_headers(response, ("Cookie",))
        if response.status_code == 200:
            self.csrf.process_response(request, response)
        return response

    @staticmethod
    def _scopes(request: HttpRequest) -> tuple[str, ...] | None:
        """The scopes of the public page the request asks for, or None when it must take the full path."""
        if not _anonymous_read(request):
            return None
        from django.urls import Resolver404, resolve

        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        return getattr(match.func, "page_cache_scopes", None)
