"""Personas shared by the whole suite.

Karin is an official of Karlskrona, Rut an official of Ronneby (same county), Klara an official of Kalmar
(another county). Eva edits Blekinge's agreements, Ali administers roles in Blekinge, Anton in Kalmar.
"""

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from samverkan.models import Role
from tests.factories import BodyFactory, UserFactory, county, organisation, person
from tests.shared import FAST_PASSWORD_HASHERS

# Tasks (PDF rendering on adoption) are recorded, not run, unless a test runs them itself.
settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
# Pages are rendered for every request, so that query counts measure the real work; the page cache has
# tests of its own (tests/samverkan/test_pagecache.py). With --real-caches every test runs with the caches
# of production instead (see real_caches below): `make test` runs the view tests a second time that way,
# so that a page the cache keeps after a change shows up as a failing view test.
settings.CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}


def pytest_addoption(parser):
    parser.addoption(
        "--real-caches",
        action="store_true",
        help="run every test with the caches of production (pages cached) instead of the dummy caches; "
        "query counts are then not asserted",
    )


@pytest.fixture
def run_tasks():
    """A function that runs the tasks the dummy backend has recorded (and those they queue in turn), oldest
    first, as the worker would; returns the results it ran. Starts from an empty queue."""
    from django.tasks import default_task_backend

    default_task_backend.clear()

    def run() -> list:
        done = []
        while default_task_backend.results:
            result = default_task_backend.results.pop(0)
            result.task.call(*result.args, **result.kwargs)
            done.append(result)
        return done

    return run


@pytest.fixture
def page_cache(settings):
    """The caches as in production: generations in the database, pages in this process's memory. The
    generations are read every time (tests roll the database back between them; the memo has a test of
    its own)."""
    import uuid

    from django.core.cache import caches

    from samverkan import pagecache

    settings.PAGE_GENERATIONS_MEMO_SECONDS = 0
    pagecache._memo.clear()
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "samverkan_cache"},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex},
    }
    yield
    caches["pages"].clear()


def _commit_page_generations(**kwargs) -> None:
    """What the page cache does when a transaction commits (a test's transaction never does), at the start
    of a request (what the test wrote before is committed) and at its end (the request's own writes): the
    new generations of the scopes changed are stored. Other callbacks wait, as before."""
    from django.db import connection

    pending = connection.run_on_commit
    for callback in [c for c in pending if getattr(c[1], "__module__", "") == "samverkan.pagecache"]:
        pending.remove(callback)
        callback[1]()


@pytest.fixture(autouse=True)
def real_caches(request):
    """With --real-caches, the caches of production for every test (page_cache), emptied after it; the
    page cache's commit callbacks run around each request of the test client (_commit_page_generations).
    A test marked ``real_caches_skip`` is skipped in that run, for the reason the mark gives."""
    if not request.config.getoption("real_caches"):
        yield
        return
    from django.core.signals import request_finished, request_started

    if "real_caches_skip" in request.keywords:
        pytest.skip(request.node.get_closest_marker("real_caches_skip").args[0])
    request.getfixturevalue("page_cache")
    for signal in (request_started, request_finished):
        signal.connect(_commit_page_generations, dispatch_uid="tests-page-generations")
    yield
    for signal in (request_started, request_finished):
        signal.disconnect(dispatch_uid="tests-page-generations")


def _uncounted(*args, **kwargs):
    """A django_assert_(max_)num_queries that captures the block's queries and asserts nothing about them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    return CaptureQueriesContext(connection)


@pytest.fixture
def django_assert_max_num_queries(request, django_assert_max_num_queries):
    """Query counts are asserted with the dummy caches (every page rendered). With --real-caches a cached
    page and the cache's own queries change them: the block runs and its behaviour is checked, uncounted."""
    if request.config.getoption("real_caches"):
        return _uncounted
    return django_assert_max_num_queries


@pytest.fixture
def django_assert_num_queries(request, django_assert_num_queries):
    """As django_assert_max_num_queries: exact counts are asserted with the dummy caches only."""
    if request.config.getoption("real_caches"):
        return _uncounted
    return django_assert_num_queries


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Stored files (PDFs, attachments) go to a temporary folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def login(client):
    """``login(user)``: the test client, signed in as the user (a test module may define its own)."""

    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.fixture
def anonymous():
    return AnonymousUser()


@pytest.fixture
def karlskrona_official(db):
    return person("1080", (Role.OFFICIAL, organisation("1080")), username="karin")


@pytest.fixture
def ronneby_official(db):
    return person("1081", (Role.OFFICIAL, organisation("1081")), username="rut")


@pytest.fixture
def kalmar_official(db):
    return person("0880", (Role.OFFICIAL, organisation("0880")), username="klara")


@pytest.fixture
def blekinge_editor(db):
    return person("R10", (Role.OFFICIAL, organisation("R10")), (Role.EDITOR, county("10")), username="eva")


@pytest.fixture
def blekinge_admin(db):
    return person("R10", (Role.COUNTY_ADMIN, county("10")), username="ali")


@pytest.fixture
def kalmar_admin(db):
    return person("R08", (Role.COUNTY_ADMIN, county("08")), username="anton")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def lsvo(db):
    return BodyFactory(name="Ledningssamverkan vård och omsorg", abbreviation="LSVO")


@pytest.fixture
def lsvo_chair(lsvo):
    return person("1082", (Role.CHAIR, lsvo), username="olof")


@pytest.fixture(scope="session")
def saml_sp_key_pair(tmp_path_factory):
    """One service provider key pair for the whole run (production reads them from files)."""
    from signin.keys import self_signed_pair

    folder = tmp_path_factory.mktemp("saml-sp")
    key_pem, cert_pem = self_signed_pair("Samverkan (test)")
    (folder / "key.pem").write_bytes(key_pem)
    (folder / "cert.pem").write_bytes(cert_pem)
    return str(folder / "key.pem"), str(folder / "cert.pem")


@pytest.fixture(autouse=True)
def signin_settings(settings, saml_sp_key_pair):
    """The SP key pair, and no second factor for the administrators that tests log in with ``force_login``:
    the second factor has tests of its own (tests/signin/test_twofactor.py), which turn it on."""
    settings.SIGNIN_SAML_KEY_FILE, settings.SIGNIN_SAML_CERT_FILE = saml_sp_key_pair
    settings.SIGNIN_SECOND_FACTOR_REQUIRED = False
