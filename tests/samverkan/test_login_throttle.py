"""The login throttle (samverkan.login_throttle): one counter for every way to log in, counted on the name as
it logs in, and a way back in for the owner of a locked account."""

import inspect
import re
import unicodedata
from itertools import permutations

import pytest
from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.auth import get_backends
from django.contrib.auth.views import LoginView
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import URLResolver, get_resolver, include, path, reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from samverkan import selectors, services
from samverkan.models import FailedLogin
from tests.factories import PASSWORD

THROTTLED = "För många misslyckade inloggningsförsök"
NEW_PASSWORD = "ett-helt-nytt-langt-losen"


# --- Finding every login URL ----------------------------------------------------------------------


def _route(pattern) -> str:
    return str(pattern).removeprefix("^").removesuffix("$").removesuffix(r"\Z")


def _source(obj) -> str:
    try:
        return inspect.getsource(obj)
    except (OSError, TypeError):
        return ""


def checks_a_password(callback) -> bool:
    """True for a view that authenticates a user name and password: Django's LoginView (and subclasses), an
    admin site's login, and any other view whose code authenticates or uses an authentication form."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        if issubclass(view_class, LoginView):
            return True
        classes = [c for c in view_class.__mro__ if c.__module__.split(".")[0] not in {"builtins", "django"}]
        return any(re.search(r"authenticate\(|AuthenticationForm", _source(c)) for c in classes)
    if isinstance(getattr(callback, "__self__", None), AdminSite) and callback.__name__ == "login":
        return True
    return bool(re.search(r"authenticate\(|AuthenticationForm", _source(inspect.unwrap(callback))))


def login_urls(patterns, prefix: str = "/") -> list[str]:
    """Every URL in ``patterns`` (nested includes too) whose view checks a password."""
    found = []
    for pattern in patterns:
        route = prefix + _route(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += login_urls(pattern.url_patterns, route)
        elif checks_a_password(pattern.callback):
            assert "<" not in route and "(" not in route, f"login URL with parameters: {route}"
            found.append(route)
    return found


LOGIN_URLS = sorted(login_urls(get_resolver().url_patterns))


def test_the_walk_finds_the_known_login_urls():
    assert {reverse("login"), reverse("admin:login")} <= set(LOGIN_URLS)


def _login_by_hand(request):
    from django.contrib.auth import authenticate

    return authenticate(request, username=request.POST["u"], password=request.POST["p"])


def test_the_walk_finds_a_login_view_added_anywhere():
    """So a login URL added later, by any means, is tested below."""
    added = [
        path("a/", include([path("b/", LoginView.as_view())])),
        path("c/", _login_by_hand),
        path("d/", AdminSite(name="other").urls),
    ]
    assert login_urls(added) == ["/a/b/", "/c/", "/d/login/"]


# --- One throttle for every login URL -------------------------------------------------------------


@pytest.fixture
def staff(superuser):
    """Somebody who may log in at every login URL (the admin site takes staff only)."""
    return superuser


def fail(client: Client, url: str, times: int, username: str = "root") -> None:
    for _ in range(times):
        response = client.post(url, {"username": username, "password": "fel"})
        assert response.status_code == 200, f"{url} did not refuse a wrong password"


def assert_throttled(response) -> None:
    html = response.content.decode()
    assert response.status_code == 200
    assert THROTTLED in html
    message = re.search(THROTTLED + r".*?</(li|p)>", html, re.S).group(0)
    assert f'href="{reverse("password_reset")}"' in message, "the lock message links to password reset"
    assert "_auth_user_id" not in response.wsgi_request.session


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_the_right_password_logs_in_at_every_login_url(client, staff, url):
    response = client.post(url, {"username": "root", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_every_login_url_refuses_the_right_password_after_the_limit_of_failures(client, staff, url):
    fail(client, url, settings.LOGIN_FAILURE_LIMIT)
    assert_throttled(client.post(url, {"username": "root", "password": PASSWORD}))


@pytest.mark.parametrize(("first", "then"), list(permutations(LOGIN_URLS, 2)))
def test_failures_at_one_login_url_count_at_every_other(staff, first, then):
    fail(Client(), first, settings.LOGIN_FAILURE_LIMIT - 1)
    fail(Client(), then, 1)
    assert_throttled(Client().post(then, {"username": "root", "password": PASSWORD}))
    assert_throttled(Client().post(first, {"username": "root", "password": PASSWORD}))


def test_every_authentication_backend_refuses_a_locked_name(staff):
    """Every sign-in method (SAML, OIDC …) reaches Django's authenticate() through a backend; none of
    them may let a locked name in."""
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        services.login_failure_record(username="root", ip_address="10.1.2.3")
    request = RequestFactory().post("/", REMOTE_ADDR="10.1.2.4")
    for backend in get_backends():
        try:
            user = backend.authenticate(request, username="root", password=PASSWORD)
        except PermissionDenied:
            user = None
        assert user is None, f"{type(backend).__name__} lets a locked name in"


# --- Look-alike names -----------------------------------------------------------------------------


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@pytest.mark.parametrize("variant", [full_width("rut"), "RUT", "Rut", full_width("RuT"), "ｒut"])
def test_look_alike_names_count_as_the_name_they_log_in_as(client, ronneby_official, variant):
    fail(client, reverse("login"), settings.LOGIN_FAILURE_LIMIT, username=variant)
    assert_throttled(client.post(reverse("login"), {"username": "rut", "password": PASSWORD}))


def test_a_look_alike_of_a_locked_name_does_not_get_more_tries(client, ronneby_official):
    fail(client, reverse("login"), settings.LOGIN_FAILURE_LIMIT, username="rut")
    for variant in [full_width("rut"), "RUT", "ｒut"]:
        assert_throttled(client.post(reverse("login"), {"username": variant, "password": PASSWORD}))


def test_the_address_limit_still_holds_across_names(client, ronneby_official):
    factor = FailedLogin.ADDRESS_FACTOR
    for n in range(settings.LOGIN_FAILURE_LIMIT * factor):
        services.login_failure_record(username=f"namn{n}", ip_address="127.0.0.1")
    assert_throttled(client.post(reverse("login"), {"username": "rut", "password": PASSWORD}))


ASCII_NAME = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789._-", min_size=1, max_size=20)


@given(st.data())
@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_full_width_or_case_variant_fails_on_the_same_count(db, data):
    name = data.draw(ASCII_NAME)
    variants = [
        "".join(
            data.draw(st.sampled_from([c, c.upper(), full_width(c), full_width(c.upper())])) for c in name
        )
        for _ in range(settings.LOGIN_FAILURE_LIMIT)
    ]
    assert {unicodedata.normalize("NFKC", v).casefold() for v in variants} == {name}
    FailedLogin.objects.all().delete()
    for variant in variants:
        services.login_failure_record(username=variant, ip_address=None)
    assert selectors.login_is_blocked(
        username=name, ip_address=None, limit=settings.LOGIN_FAILURE_LIMIT, window_seconds=60
    )


# --- The owner's way back in ----------------------------------------------------------------------


def reset_password_by_mail(client, user, django_capture_on_commit_callbacks, run_tasks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("password_reset"), {"email": user.email}).status_code == 302
    run_tasks()
    link = re.search(r"https?://[^/\s]+(/konto/aterstall/\S+)", mail.outbox[-1].body).group(1)
    form_url = client.get(link)["Location"]  # Django moves the token into the session
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == reverse("password_reset_complete")


def test_a_locked_out_owner_gets_in_right_after_a_password_reset(
    client, ronneby_official, django_capture_on_commit_callbacks, run_tasks
):
    attacker = Client(REMOTE_ADDR="10.6.6.6")
    fail(attacker, reverse("login"), settings.LOGIN_FAILURE_LIMIT, username="rut")
    locked = client.post(reverse("login"), {"username": "rut", "password": PASSWORD})
    assert_throttled(locked)
    reset_password_by_mail(client, ronneby_official, django_capture_on_commit_callbacks, run_tasks)
    answer = client.post(reverse("login"), {"username": "rut", "password": NEW_PASSWORD})
    assert answer.status_code == 302
    assert client.session["_auth_user_id"] == str(ronneby_official.pk)


def test_the_owner_gets_in_after_a_reset_even_while_the_attacker_goes_on(
    client, ronneby_official, django_capture_on_commit_callbacks, run_tasks
):
    attacker = Client(REMOTE_ADDR="10.6.6.6")
    fail(attacker, reverse("login"), settings.LOGIN_FAILURE_LIMIT, username="rut")
    reset_password_by_mail(client, ronneby_official, django_capture_on_commit_callbacks, run_tasks)
    fail(attacker, reverse("login"), settings.LOGIN_FAILURE_LIMIT, username="rut")
    assert_throttled(attacker.post(reverse("login"), {"username": "rut", "password": NEW_PASSWORD}))
    answer = client.post(reverse("login"), {"username": "rut", "password": NEW_PASSWORD})
    assert answer.status_code == 302


def test_a_reset_lifts_the_lock_for_the_owners_other_devices_too(
    client, ronneby_official, django_capture_on_commit_callbacks, run_tasks
):
    fail(Client(REMOTE_ADDR="10.6.6.6"), reverse("login"), settings.LOGIN_FAILURE_LIMIT, username="rut")
    reset_password_by_mail(client, ronneby_official, django_capture_on_commit_callbacks, run_tasks)
    phone = Client(REMOTE_ADDR="10.7.7.7")
    assert phone.post(reverse("login"), {"username": "rut", "password": NEW_PASSWORD}).status_code == 302


def test_the_pass_from_a_reset_does_not_open_other_names(
    client, ronneby_official, karlskrona_official, django_capture_on_commit_callbacks, run_tasks
):
    reset_password_by_mail(client, ronneby_official, django_capture_on_commit_callbacks, run_tasks)
    fail(Client(REMOTE_ADDR="10.6.6.6"), reverse("login"), settings.LOGIN_FAILURE_LIMIT, username="karin")
    assert_throttled(client.post(reverse("login"), {"username": "karin", "password": PASSWORD}))
