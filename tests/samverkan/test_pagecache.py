"""The page cache (samverkan/pagecache.py): public pages are rendered once, every change through the
portal or the worker makes the pages of its scope stale, and nobody gets another visitor's page parts."""

import re

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from agreements import pdf, services
from samverkan import pagecache
from tests.factories import agreement


@pytest.fixture
def version(db):
    return agreement()


def test_a_public_agreement_page_is_rendered_once_then_served_from_the_cache(
    client, version, page_cache, django_assert_max_num_queries
):
    url = version.agreement.get_absolute_url()
    first = client.get(url)
    assert first.status_code == 200 and "X-Page-Cache" not in first
    with django_assert_max_num_queries(1):  # the scopes' generations, from the shared cache
        second = client.get(url)
    assert second["X-Page-Cache"] == "early"  # before sessions, authentication and the view
    assert second.content.replace(b"\n", b"") and second["Content-Type"] == first["Content-Type"]


def test_adopting_a_version_through_the_portal_makes_the_cached_page_stale(
    client, version, blekinge_editor, page_cache, django_capture_on_commit_callbacks
):
    url = version.agreement.get_absolute_url()
    assert b"Ny lydelse om hj" not in client.get(url).content
    draft = services.version_revision_create(agreement=version.agreement, by=None, reason="Revidering")
    editor = Client()
    editor.force_login(blekinge_editor)
    with django_capture_on_commit_callbacks(execute=True):  # the request's transaction commits
        answer = editor.post(
            reverse("agreements:adopt", args=[version.agreement_id, draft.number]),
            {
                "adopted_on": "2026-06-01",
                "effective_from": "2026-07-01",
                "decision_reference": "LSVO § 12",
                "change": "Ny lydelse om hjälpmedel",
            },
        )
    assert answer.status_code == 302
    fresh = client.get(url)
    assert "X-Page-Cache" not in fresh
    assert "Ny lydelse om hjälpmedel" in fresh.content.decode()


def test_a_pdf_stored_by_the_worker_puts_its_checksum_on_the_cached_page(
    client, version, page_cache, django_capture_on_commit_callbacks
):
    url = version.agreement.get_absolute_url()
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        stored = pdf.stored_pdf(version)
    page = client.get(url)
    assert "X-Page-Cache" not in page
    assert stored.sha256 in page.content.decode()


def test_a_change_makes_only_its_own_scopes_stale(db, page_cache, django_capture_on_commit_callbacks):
    before = {s: pagecache.generations((s,)) for s in pagecache.all_scopes()}
    middleware = pagecache.InvalidationMiddleware(lambda request: _Answer(302))
    factory = RequestFactory()
    with django_capture_on_commit_callbacks(execute=True):
        middleware(factory.post("/konto/logga-in/"))  # logging in changes no public page
        middleware(factory.post("/admin/login/"))
        governance_write(by=None)
        with pytest.raises(ValueError):
            deviations_write(by=None)
    after = {s: pagecache.generations((s,)) for s in pagecache.all_scopes()}
    assert after["governance"] != before["governance"]
    assert after["agreements"] != before["agreements"]  # agreement pages name the adopting body
    assert after["deviations"] == before["deviations"]  # the failed report changed nothing


@pagecache.changes("governance", "agreements")
def governance_write(*, by) -> None:
    """Stands for a governance service, such as sending out an agenda."""


@pagecache.changes("deviations")
def deviations_write(*, by) -> None:
    """Stands for a deviations service that refuses its input."""
    raise ValueError("refused")


def test_a_successful_change_in_the_admin_makes_every_scope_stale(
    db, page_cache, django_capture_on_commit_callbacks
):
    before = {s: pagecache.generations((s,)) for s in pagecache.all_scopes()}
    factory = RequestFactory()
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.InvalidationMiddleware(lambda request: _Answer(302))(
            factory.post("/admin/auth/user/1/change/")
        )
    after = {s: pagecache.generations((s,)) for s in pagecache.all_scopes()}
    assert all(after[s] != before[s] for s in ("agreements", "governance", "deviations"))


def test_each_app_registers_its_scope(db):
    assert set(pagecache.all_scopes()) == {"agreements", "governance", "deviations"}


def test_planning_a_meeting_through_the_service_makes_governance_and_agreement_pages_stale(
    db, page_cache, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from governance import services as governance_services
    from governance.models import Body
    from tests.factories import county

    body = Body.objects.create(
        county=county("10"), name="Testorgan", abbreviation="TO", level=Body.Level.STRATEGIC
    )
    before = {s: pagecache.generations((s,)) for s in pagecache.all_scopes()}
    with django_capture_on_commit_callbacks(execute=True):
        governance_services.meeting_plan(
            body=body, starts_at=timezone.now() + timedelta(days=30), location="Karlskrona", by=None
        )
    after = {s: pagecache.generations((s,)) for s in pagecache.all_scopes()}
    assert after["governance"] != before["governance"] and after["agreements"] != before["agreements"]
    assert after["deviations"] == before["deviations"]


def test_logged_in_visitors_and_htmx_requests_get_fresh_pages(
    client, version, karlskrona_official, page_cache
):
    url = version.agreement.get_absolute_url()
    client.get(url)
    assert client.get(url, headers={"HX-Request": "true"}).get("X-Page-Cache") is None
    client.force_login(karlskrona_official)
    assert client.get(url).get("X-Page-Cache") is None


@pytest.mark.urls("tests.samverkan.pagecache_urls")
def test_every_visitor_gets_a_working_csrf_token_of_their_own_on_a_cached_page(db, page_cache):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page = first.get("/formular/")
    cached = second.get("/formular/")
    assert cached["X-Page-Cache"] == "early"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', cached.content.decode()).group(1)
    assert token not in first_page.content.decode()
    assert second.post("/skicka/", {"csrfmiddlewaretoken": token}).status_code == 200
    # A page with a visitor's own token is never kept by a cache in between.
    for page in (first_page, cached):
        assert page["Cache-Control"] == "private, no-cache" and "csrftoken" in page.cookies


class _Answer:
    def __init__(self, status_code: int) -> None:
        self.status_code = status_code


def test_my_cases_is_kept_per_person_and_made_stale_by_a_change_in_its_scopes(
    db, karlskrona_official, ronneby_official, page_cache, django_capture_on_commit_callbacks
):
    karin, rut = Client(), Client()
    karin.force_login(karlskrona_official)
    rut.force_login(ronneby_official)
    url = reverse("deviations:mine")
    assert "X-Page-Cache" not in karin.get(url)
    assert karin.get(url)["X-Page-Cache"] == "hit"
    other = rut.get(url)
    assert "X-Page-Cache" not in other  # never another person's copy
    assert "rut" in other.content.decode() or ronneby_official.get_full_name() in other.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.bump("deviations")  # e.g. a case reported through the portal
    assert "X-Page-Cache" not in karin.get(url)


def test_my_cases_from_the_cache_reads_the_session_and_the_generations_only(
    db, karlskrona_official, page_cache, django_assert_num_queries
):
    karin = Client()
    karin.force_login(karlskrona_official)
    url = reverse("deviations:mine")
    karin.get(url)
    with django_assert_num_queries(2) as queries:  # the session, then the scopes' generations
        assert karin.get(url)["X-Page-Cache"] == "hit"
    assert not any("auth_user" in query["sql"] for query in queries.captured_queries)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda user: user.set_password("ett-helt-nytt-lösenord"), id="new password"),
        pytest.param(lambda user: setattr(user, "is_active", False), id="deactivated"),
    ],
)
def test_a_changed_account_is_logged_out_instead_of_served_its_cached_page(
    db, karlskrona_official, page_cache, django_capture_on_commit_callbacks, change
):
    karin = Client()
    karin.force_login(karlskrona_official)
    url = reverse("deviations:mine")
    karin.get(url)
    assert karin.get(url)["X-Page-Cache"] == "hit"
    change(karlskrona_official)
    with django_capture_on_commit_callbacks(execute=True):
        karlskrona_official.save()
    answer = karin.get(url)
    assert answer.status_code == 302 and answer["Location"].startswith(reverse("login"))


def test_a_session_logged_out_elsewhere_gets_no_cached_page(db, karlskrona_official, page_cache):
    karin, elsewhere = Client(), Client()
    karin.force_login(karlskrona_official)
    url = reverse("deviations:mine")
    karin.get(url)
    elsewhere.cookies = karin.cookies  # the same session, e.g. through another app server
    elsewhere.post(reverse("logout"))
    answer = karin.get(url)
    assert answer.status_code == 302 and "X-Page-Cache" not in answer


def test_logging_in_keeps_the_cached_pages_and_other_account_changes_make_them_stale(
    db, karlskrona_official, page_cache, django_capture_on_commit_callbacks
):
    before = pagecache.generations(pagecache.all_scopes())
    with django_capture_on_commit_callbacks(execute=True):
        karlskrona_official.save(update_fields=["last_login"])  # what every login does
    assert pagecache.generations(pagecache.all_scopes()) == before
    with django_capture_on_commit_callbacks(execute=True):
        karlskrona_official.delete()
    assert pagecache.generations(pagecache.all_scopes()) != before


# Browsers and caches in between


def test_a_browser_that_has_the_public_page_gets_304_without_a_lookup(
    client, version, page_cache, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    url = version.agreement.get_absolute_url()
    first = client.get(url)
    etag = first["ETag"]
    assert first["Cache-Control"] == "public, max-age=60" and "Cookie" in first["Vary"]
    with django_assert_max_num_queries(1):  # the scopes' generations
        again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.bump("agreements")
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_the_etag_differs_by_language(client, version, page_cache, settings):
    url = version.agreement.get_absolute_url()
    swedish = client.get(url)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url, headers={"If-None-Match": swedish["ETag"]})
    assert english.status_code == 200 and english["ETag"] != swedish["ETag"]
    assert english["Content-Language"] == "en"


def test_a_logged_in_page_is_never_served_to_anyone_else_from_any_cache(
    db, version, karlskrona_official, ronneby_official, page_cache
):
    url = version.agreement.get_absolute_url()
    karin, rut, visitor = Client(), Client(), Client()
    karin.force_login(karlskrona_official)
    rut.force_login(ronneby_official)
    mine = karin.get(url)
    # Not from our cache: a logged-in page has no public ETag and is rendered for its person.
    assert "ETag" not in mine and "X-Page-Cache" not in mine
    # Not from a cache in between: private, never stored by a proxy or a CDN, and varying by the cookie.
    assert "private" in mine["Cache-Control"] and "Cookie" in mine["Vary"]
    # Nobody else gets it: neither another person nor a visitor, not even by sending its validators.
    for other in (rut, visitor):
        answer = other.get(url, headers={"If-None-Match": '"*"'})
        assert answer.status_code == 200
        assert karlskrona_official.get_full_name() not in answer.content.decode()
    personal = karin.get(reverse("deviations:mine"))
    assert "private" in personal["Cache-Control"] and "Cookie" in personal["Vary"]


def test_files_keep_their_own_cache_headers(client, version, page_cache):
    response = client.get("/api/v1/laws")
    assert response.status_code == 200 and "public" in response["Cache-Control"]


def test_a_page_served_early_has_the_headers_and_language_of_the_full_path(client, version, page_cache):
    url = version.agreement.get_absolute_url()
    full = client.get(url)
    early = client.get(url)
    assert early["X-Page-Cache"] == "early"
    for header in (
        "Content-Type",
        "Content-Language",
        "Content-Security-Policy",
        "X-Frame-Options",
        "Cache-Control",
        "Vary",
        "ETag",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
    ):
        assert early[header] == full[header], header
    assert re.sub(rb'value="[^"]{64}"', b"", early.content) == re.sub(rb'value="[^"]{64}"', b"", full.content)

    english = Client()
    english.cookies["django_language"] = "en"
    english.get(url)
    answer = english.get(url)
    assert answer["X-Page-Cache"] == "early"
    assert answer["Content-Language"] == "en" and '<html lang="en"' in answer.content.decode()


def test_a_visitor_with_a_session_is_never_served_early(client, version, page_cache, karlskrona_official):
    url = version.agreement.get_absolute_url()
    client.get(url)
    client.get(url)
    client.force_login(karlskrona_official)

    answer = client.get(url)

    assert "X-Page-Cache" not in answer
    assert "Logga ut" in answer.content.decode()


def test_with_the_generations_remembered_a_cached_page_costs_no_query_and_a_change_here_is_seen_at_once(
    client, version, page_cache, settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    settings.PAGE_GENERATIONS_MEMO_SECONDS = 60
    url = version.agreement.get_absolute_url()
    client.get(url)
    client.get(url)
    with django_assert_num_queries(0):
        assert client.get(url)["X-Page-Cache"] == "early"

    with django_capture_on_commit_callbacks(execute=True):  # a change in this process, committed
        pagecache.bump()

    assert "X-Page-Cache" not in client.get(url)  # rendered anew


class SharedCache:
    """A cache in between (a balancer, a proxy, a CDN) that keeps what RFC 9111 lets a shared cache keep:
    a 200 whose Cache-Control says public with a max-age, and neither private, no-store nor no-cache, that
    sets no cookie; stored by the URL and the request headers its Vary names, and served to a request whose
    headers match."""

    def __init__(self) -> None:
        self.stored: dict[tuple[str, tuple], object] = {}

    @staticmethod
    def _request_headers(client: Client, names: tuple[str, ...]) -> tuple:
        cookie = "; ".join(f"{k}={v.value}" for k, v in sorted(client.cookies.items()))
        return tuple(cookie if name.lower() == "cookie" else "" for name in names)

    def get(self, client: Client, url: str):
        for (stored_url, varied), response in self.stored.items():
            names = tuple(n.strip() for n in response.get("Vary", "").split(",") if n.strip())
            if stored_url == url and varied == self._request_headers(client, names):
                return response
        response = client.get(url)
        control = {d.strip().split("=")[0] for d in response.get("Cache-Control", "").split(",")}
        if (
            response.status_code == 200
            and {"public", "max-age"} <= control
            and not control & {"private", "no-store", "no-cache"}
            and not response.cookies
        ):
            names = tuple(n.strip() for n in response.get("Vary", "").split(",") if n.strip())
            self.stored[(url, self._request_headers(client, names))] = response
        return response


def test_a_cache_in_between_keeps_anonymous_public_pages_and_never_serves_a_logged_in_page_to_anyone(
    db, version, karlskrona_official, ronneby_official, page_cache, settings
):
    from governance.models import Body

    urls = [
        "/",
        reverse("county_list"),
        reverse("agreements:list"),
        version.agreement.get_absolute_url(),
        reverse("agreements:table", args=[version.agreement_id, version.number, "vuxna"]),
        reverse("agreements:search") + "?q=hj%C3%A4lpmedel",
        reverse("agreements:law_list"),
        reverse("deviations:statistics"),
        *[reverse("governance:body", args=[body.pk]) for body in Body.objects.all()[:1]],
    ]
    shared = SharedCache()
    karin, rut, visitor, english = Client(), Client(), Client(), Client()
    karin.force_login(karlskrona_official)
    rut.force_login(ronneby_official)
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    name = karlskrona_official.get_full_name()
    for url in urls:
        mine = shared.get(karin, url)
        assert mine.status_code == 200, url
        assert "private" in mine["Cache-Control"] and "Cookie" in mine["Vary"], url
        assert not any(stored_url == url for stored_url, _ in shared.stored), url  # never kept

        first = shared.get(visitor, url)
        assert first["Cache-Control"] == f"public, max-age={settings.PUBLIC_PAGE_SHARED_SECONDS}", url
        assert "csrfmiddlewaretoken" not in first.content.decode() and not first.cookies, url
        assert (url, ("",)) in shared.stored, url  # kept for visitors without cookies

        for other in (rut, karin):  # a session cookie: never the visitors' copy, always their own page
            own = shared.get(other, url)
            assert own is not first and "Logga ut" in own.content.decode(), url
        assert name not in shared.get(visitor, url).content.decode(), url
        assert shared.get(english, url) is not first, url  # another language, another copy
    assert all(name not in response.content.decode() for response in shared.stored.values())
