"""Every URL of the portal is either public or sends anonymous visitors to the login page."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import UserFactory

PUBLIC = {
    "home",
    "healthz",
    "accessibility",
    "county_list",
    "county_detail",
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "set_language",
    "logout",
}
POST_ONLY = {"acting_organisation_set", "role_remove", "logout", "set_language"}
ARGS = {"county_detail": ["10"], "password_reset_confirm": ["MQ", "token"]}


def named_patterns(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from named_patterns(pattern, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def url_for(name, ids):
    if name in ARGS:
        return reverse(name, args=ARGS[name])
    for attempt in ([], [ids["user"]], [ids["assignment"]]):
        try:
            return reverse(name, args=attempt)
        except Exception:  # noqa: S112
            continue
    raise AssertionError(f"no arguments known for URL {name}")


@pytest.fixture
def ids(ronneby_official):
    return {"user": ronneby_official.pk, "assignment": ronneby_official.role_assignments.get().pk}


def test_every_protected_url_redirects_anonymous_visitors_to_login(client, ids):
    names = sorted(set(named_patterns()))
    assert "role_people" in names
    for name in names:
        if name in PUBLIC:
            continue
        url = url_for(name, ids)
        method = client.post if name in POST_ONLY else client.get
        response = method(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login") + "?next="), name


def test_public_urls_answer_anonymous_visitors(client, ids):
    for name in sorted(PUBLIC - POST_ONLY):
        response = client.get(url_for(name, ids))
        assert response.status_code == 200, name


def test_admin_site_requires_staff(client, db):
    assert client.get("/admin/").status_code == 302
    client.force_login(UserFactory())
    assert client.get("/admin/").status_code == 302
