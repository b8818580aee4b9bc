"""Shared set-up for the benchmarks: a database of their own next to the one in DATABASE_URL."""

import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def base_database_url() -> str:
    """DATABASE_URL from the environment (as it was before ``setup_django`` pointed it at a benchmark
    database), or the project-local cluster's (var/local.env)."""
    if url := os.environ.get("BENCH_BASE_DATABASE_URL") or os.environ.get("DATABASE_URL"):
        return url
    local = ROOT / "var" / "local.env"
    for line in local.read_text().splitlines() if local.exists() else []:
        if line.startswith("DATABASE_URL="):
            return line.partition("=")[2].strip()
    sys.exit("DATABASE_URL saknas: kör `make setup` först (eller sätt DATABASE_URL).")


def database_url(suffix: str) -> str:
    """The base database's URL with ``suffix`` added to the database name."""
    base, _, name = base_database_url().rpartition("/")
    name, _, query = name.partition("?")
    return f"{base}/{name}{suffix}" + (f"?{query}" if query else "")


def bench_database_url() -> str:
    return database_url("_bench")


def _maintenance(url: str):
    import psycopg

    sys.path.insert(0, str(ROOT))
    from samverkan.envconf import parse_database_url

    db = parse_database_url(url)
    params = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "password": db["PASSWORD"]}
    conn = psycopg.connect(dbname="postgres", autocommit=True, **{k: v for k, v in params.items() if v})
    return conn, db["NAME"]


def ensure_database(url: str) -> None:
    conn, name = _maintenance(url)
    with conn:
        if not conn.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
            conn.execute(f'create database "{name}"')


def drop_database(url: str) -> None:
    conn, name = _maintenance(url)
    with conn:
        conn.execute(f'drop database if exists "{name}" with (force)')


def setup_django(suffix: str = "_bench") -> None:
    """Point Django at a benchmark database (base name + ``suffix``), migrate it, allow the test client."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    os.environ.setdefault("DEBUG", "true")
    url = database_url(suffix)
    ensure_database(url)
    os.environ.setdefault("BENCH_BASE_DATABASE_URL", base_database_url())
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import utils

    if not hasattr(utils._TestState, "saved_data"):
        utils.setup_test_environment()  # once per process (a second setup, after a drop, only migrates)
    call_command("migrate", verbosity=0)


def report(name: str, times_ms: list[float]) -> None:
    times = sorted(times_ms)
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(f"{name:<28} n={len(times):<4} median {statistics.median(times):8.1f} ms   p95 {p95:8.1f} ms")
