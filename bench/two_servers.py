"""Two app servers, one database, one file storage: a session and a stored PDF work across both.

    make bench-two-servers    # or: .venv/bin/python bench/two_servers.py

Creates its own database (the DATABASE_URL's name + "_twoservers") with the demo data, and an empty file
storage folder (var/two-servers-media, the MEDIA_ROOT of both servers). Starts two gunicorn processes with
production settings on two loopback ports (bench/server.py), then:

1. logs in as ``redaktor.blekinge`` on server A and opens "Mitt konto" on server B with A's session cookie
   (sessions live in PostgreSQL, so B knows the session);
2. downloads the PDF of Blekinge's adopted version from A, which renders it and stores it in the shared
   storage, then from B, which serves the stored file: the bytes must be equal and start with ``%PDF``.

Prints each step and exits non-zero if one fails. ``tests/samverkan/test_two_servers.py`` runs the same
check (``two_servers_check``) against the test database.
"""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server import ROOT, collectstatic, get, gunicorn, login, server_env

SUFFIX = "_twoservers"
USERNAME = "redaktor.blekinge"


class TwoServersError(AssertionError):
    pass


def two_servers_check(
    *, database_url: str, media_root: Path, username: str, password: str, pdf_path: str, say=print
) -> None:
    """Run the cross-server check; raises TwoServersError naming the step that failed."""
    env = server_env(database_url, MEDIA_ROOT=str(media_root))
    collectstatic(env)
    with gunicorn(env, workers=1) as a, gunicorn(env, workers=1) as b:
        say(f"server A {a}, server B {b}; same database and MEDIA_ROOT {media_root}")
        cookie = login(a, username, password)
        say(f"logged in as {username} on A")
        status, page = get(b, "/konto/", cookie)
        if status != 200 or username.encode() not in page:
            raise TwoServersError(f"B did not know A's session: /konto/ answered {status}")
        say("B knows the session: /konto/ answered 200 with the user's name")
        status, first = get(a, pdf_path, cookie)
        if status != 200 or not first.startswith(b"%PDF"):
            raise TwoServersError(f"A did not return the PDF: {status}")
        stored = list(media_root.rglob("*.pdf"))
        if not stored:
            raise TwoServersError("A did not store the PDF in the shared storage")
        say(f"A rendered and stored the PDF ({len(first)} bytes, {stored[0].relative_to(media_root)})")
        status, second = get(b, pdf_path, cookie)
        if status != 200 or second != first:
            raise TwoServersError(f"B did not serve the same PDF: {status}, {len(second)} bytes")
        say(f"B served the same bytes (SHA-256 {hashlib.sha256(second).hexdigest()[:16]}…)")


def prepare(database_url: str) -> None:
    """A fresh database with the demo data (no PDFs rendered yet)."""
    from common import drop_database, ensure_database

    drop_database(database_url)
    ensure_database(database_url)
    env = os.environ | {
        "DATABASE_URL": database_url,
        "DEBUG": "true",
        "TASKS_BACKEND": "django.tasks.backends.dummy.DummyBackend",
    }
    for command in (["migrate", "--no-input", "-v0"], ["load_demo"]):
        subprocess.run(  # noqa: S603 - our own fixed command
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )


def adopted_blekinge_pdf(database_url: str) -> str:
    import psycopg

    from samverkan.envconf import parse_database_url

    db = parse_database_url(database_url)
    params = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "password": db["PASSWORD"]}
    with psycopg.connect(dbname=db["NAME"], **{k: v for k, v in params.items() if v}) as conn:
        agreement, number = conn.execute(
            """SELECT v.agreement_id, v.number FROM agreements_agreementversion v
               JOIN agreements_agreement a ON a.id = v.agreement_id
               JOIN samverkan_county c ON c.id = a.county_id
               WHERE c.code = '10' AND v.status = 'adopted' ORDER BY a.id LIMIT 1"""
        ).fetchone()
    return f"/overenskommelser/{agreement}/version/{number}/pdf/"


def main() -> None:
    from common import database_url

    sys.path.insert(0, str(ROOT))
    url = database_url(SUFFIX)
    print("Preparing a database with the demo data …", flush=True)
    prepare(url)
    media_root = ROOT / "var" / "two-servers-media"
    shutil.rmtree(media_root, ignore_errors=True)
    media_root.mkdir(parents=True)
    try:
        two_servers_check(
            database_url=url,
            media_root=media_root,
            username=USERNAME,
            password=os.environ.get("DEMO_PASSWORD", "samverkan-demo"),
            pdf_path=adopted_blekinge_pdf(url),
        )
    except TwoServersError as error:
        sys.exit(f"FAILED: {error}")
    print("OK: a session and a stored PDF work across both app servers.")


if __name__ == "__main__":
    main()
