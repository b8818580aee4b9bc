import pytest
from django.core.exceptions import ImproperlyConfigured

from samverkan.envconf import env_bool, env_int, env_list, load_dotenv, parse_database_url


def test_database_url_with_all_parts_becomes_a_databases_entry():
    db = parse_database_url("postgres://sam:hemligt%40ord@db.example.se:6543/samverkan?sslmode=require")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"]) == ("samverkan", "sam", "hemligt@ord")
    assert (db["HOST"], db["PORT"]) == ("db.example.se", "6543")
    assert db["OPTIONS"] == {"sslmode": "require"}


def test_database_url_may_name_a_socket_directory_as_host_option():
    db = parse_database_url("postgresql://postgres@/samverkan?host=/var/run/postgresql")
    assert db["HOST"] == "/var/run/postgresql"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u@h/db", "PostgreSQL"),
        ("sqlite:///db.sqlite3", "PostgreSQL"),
        ("postgres://u@h:5432/", "databasnamn"),
        ("postgres://u@h:notaport/db", "portnummer"),
        ("postgres:///db", "värd"),
        ("nonsense", "postgres://"),
    ],
)
def test_malformed_database_url_is_refused_with_an_explanation(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        parse_database_url(url)


def test_env_bool_accepts_swedish_and_english_words(monkeypatch):
    monkeypatch.setenv("X", "ja")
    assert env_bool("X", False) is True
    monkeypatch.setenv("X", "off")
    assert env_bool("X", True) is False
    monkeypatch.setenv("X", "kanske")
    with pytest.raises(ImproperlyConfigured, match="X ska vara true eller false"):
        env_bool("X", False)


def test_env_int_refuses_words_and_values_below_the_minimum(monkeypatch):
    monkeypatch.setenv("N", "tio")
    with pytest.raises(ImproperlyConfigured, match="heltal"):
        env_int("N", 1)
    monkeypatch.setenv("N", "0")
    with pytest.raises(ImproperlyConfigured, match="minst 1"):
        env_int("N", 5, minimum=1)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.se, b.se,,")
    assert env_list("HOSTS", []) == ["a.se", "b.se"]


def test_dotenv_does_not_override_the_environment(tmp_path, monkeypatch):
    env = tmp_path / ".env"
    env.write_text("# comment\nFIRST=one\nSECOND='two'\n", encoding="utf-8")
    monkeypatch.setenv("FIRST", "already")
    monkeypatch.delenv("SECOND", raising=False)
    load_dotenv(env)
    import os

    assert os.environ["FIRST"] == "already"
    assert os.environ["SECOND"] == "two"
    monkeypatch.delenv("SECOND")


def test_dotenv_line_without_equals_sign_is_an_error(tmp_path):
    env = tmp_path / ".env"
    env.write_text("JUSTAWORD\n", encoding="utf-8")
    with pytest.raises(ImproperlyConfigured, match="rad 1"):
        load_dotenv(env)
