from django.conf import settings
from django.core import mail
from django.urls import reverse

from samverkan.models import FailedLogin
from tests.factories import PASSWORD


def test_login_with_the_right_password_goes_to_the_start_page(client, ronneby_official):
    response = client.post(reverse("login"), {"username": "rut", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_wrong_password_is_explained_and_keeps_the_user_name(client, ronneby_official):
    response = client.post(reverse("login"), {"username": "rut", "password": "fel"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "error-summary" in html
    assert 'value="rut"' in html
    assert FailedLogin.objects.filter(username="rut").count() == 1


def test_repeated_failures_lock_the_user_name_even_with_the_right_password(client, ronneby_official):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "rut", "password": "fel"})
    response = client.post(reverse("login"), {"username": "rut", "password": PASSWORD})
    assert response.status_code == 200
    assert "För många misslyckade inloggningsförsök" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_another_user_is_not_locked_by_someone_elses_failures(client, ronneby_official, karlskrona_official):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "rut", "password": "fel"})
    response = client.post(reverse("login"), {"username": "karin", "password": PASSWORD})
    assert response.status_code == 302


def test_logout_is_a_post(client, ronneby_official):
    client.force_login(ronneby_official)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link_by_mail(
    client, ronneby_official, django_capture_on_commit_callbacks, run_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": ronneby_official.email})
    assert response.status_code == 302
    assert mail.outbox == []  # queued for the worker
    run_tasks()
    assert len(mail.outbox) == 1
    assert "/konto/aterstall/" in mail.outbox[0].body
    assert mail.outbox[0].subject == "Byt lösenord i Samverkan"


def test_password_change_requires_the_old_password(client, ronneby_official):
    client.force_login(ronneby_official)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "fel",
            "new_password1": "ett-nytt-langt-losen",
            "new_password2": "ett-nytt-langt-losen",
        },
    )
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()


def test_password_change_accepts_a_good_new_password(client, ronneby_official):
    client.force_login(ronneby_official)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "ett-nytt-langt-losen",
            "new_password2": "ett-nytt-langt-losen",
        },
    )
    assert response.status_code == 302


def test_sessions_expire(db):
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_account_page_shows_organisation_and_roles(client, karlskrona_official):
    client.force_login(karlskrona_official)
    html = client.get(reverse("account")).content.decode()
    assert "Karlskrona kommun" in html
    assert "Tjänsteperson" in html
