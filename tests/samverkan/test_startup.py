"""Start-up with real environments, in a subprocess, as an operator would run it."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_env() -> dict[str, str]:
    return {
        "DEBUG": "false",
        "SECRET_KEY": "x" * 20 + "produktionsnyckel-som-är-lång-nog-för-django-och-lite-till",
        "ALLOWED_HOSTS": "samverkan.example.se",
        "DATABASE_URL": os.environ["DATABASE_URL"],
    }


def test_malformed_database_url_stops_start_up_with_one_line():
    result = run_manage("check", DATABASE_URL="mysql://user@host/db")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Konfigurationsfel: DATABASE_URL måste börja med postgres://")


def test_production_requires_a_secret_key():
    env = production_env() | {"SECRET_KEY": ""}
    result = run_manage("check", **env)
    assert result.returncode == 1
    assert "SECRET_KEY" in result.stderr


def test_production_requires_allowed_hosts():
    env = production_env() | {"ALLOWED_HOSTS": ""}
    result = run_manage("check", **env)
    assert result.returncode == 1
    assert "ALLOWED_HOSTS" in result.stderr


def test_deploy_check_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_settings_in_tests_point_at_postgresql():
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def test_every_model_change_has_a_migration(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


SHOW_STORAGE_AND_TASKS = (
    "from django.conf import settings; from django.core.files.storage import storages; "
    "s = storages['default']; "
    "print(type(s).__name__, getattr(s, 'bucket_name', None) or s.location, "
    "settings.TASKS['default']['BACKEND'], settings.SESSION_ENGINE)"
)


def test_production_keeps_files_in_media_root_tasks_and_sessions_in_the_database():
    result = run_manage(
        "shell", "--no-imports", "-c", SHOW_STORAGE_AND_TASKS, **production_env(), MEDIA_ROOT="/srv/media"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "FileSystemStorage",
        "/srv/media",
        "django_tasks_db.DatabaseBackend",
        "samverkan.sessions",  # the database store, read with one plain query
    ]


def test_object_storage_is_used_when_a_bucket_is_configured():
    env = production_env() | {
        "STORAGE_S3_BUCKET": "samverkan-media",
        "STORAGE_S3_ENDPOINT_URL": "https://s3.example.se",
        "STORAGE_S3_ACCESS_KEY_ID": "nyckel",
        "STORAGE_S3_SECRET_ACCESS_KEY": "hemlighet",
    }
    result = run_manage("shell", "--no-imports", "-c", SHOW_STORAGE_AND_TASKS, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["S3Storage", "samverkan-media"]


def test_production_static_files_are_named_by_their_hash_and_compressed(tmp_path):
    env = production_env() | {"STATIC_ROOT": str(tmp_path)}
    result = run_manage("collectstatic", "--no-input", "-v0", **env)
    assert result.returncode == 0, result.stderr
    hashed = [p for p in (tmp_path / "css").glob("site.*.css") if p.name != "site.css"]
    assert len(hashed) == 1  # WhiteNoise serves these with a far-future, immutable Cache-Control
    assert hashed[0].with_name(hashed[0].name + ".gz").exists()
    assert hashed[0].with_name(hashed[0].name + ".br").exists()
