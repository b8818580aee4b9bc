"""The session store (samverkan/sessions.py) reads sessions with one plain query and otherwise behaves
like Django's database store."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from samverkan.sessions import SessionStore


def test_a_saved_session_is_read_back_with_one_query(db, django_assert_num_queries):
    store = SessionStore()
    store["acting"] = 7
    store.save()
    again = SessionStore(store.session_key)
    with django_assert_num_queries(1):
        assert again["acting"] == 7
    assert again.session_key == store.session_key


def test_an_expired_or_unknown_session_is_empty_and_gets_a_new_key_when_saved(db):
    store = SessionStore()
    store["acting"] = 7
    store.save()
    Session.objects.filter(pk=store.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    for key in (store.session_key, "x" * 32):
        gone = SessionStore(key)
        assert gone.get("acting") is None and gone.session_key is None
        gone["acting"] = 8
        gone.save()
        assert gone.session_key not in (None, key)


def test_logging_in_and_out_works_with_the_store(client, karlskrona_official):
    client.force_login(karlskrona_official)
    assert client.get(reverse("account")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert not Session.objects.exists()
    assert client.get(reverse("account")).status_code == 302
