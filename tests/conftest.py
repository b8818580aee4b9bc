"""Personas shared by the whole suite.

Karin is an official of Karlskrona, Rut an official of Ronneby (same county), Klara an official of Kalmar
(another county). Eva edits Blekinge's agreements, Ali administers roles in Blekinge, Anton in Kalmar.
"""

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from samverkan.models import Role
from tests.factories import BodyFactory, UserFactory, county, organisation, person

# Tasks (PDF rendering on adoption) are recorded, not run, unless a test runs them itself.
settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
# Pages are rendered for every request, so that query counts measure the real work; the page cache has
# tests of its own (tests/samverkan/test_pagecache.py).
settings.CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}


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
    """The caches as in production: generations in the database, pages in this process's memory."""
    import uuid

    from django.core.cache import caches

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "samverkan_cache"},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex},
    }
    yield
    caches["pages"].clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Stored files (PDFs, attachments) go to a temporary folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


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
