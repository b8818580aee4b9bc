"""Shared set-up for the benchmarks: a database of their own next to the one in DATABASE_URL."""

import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def bench_database_url() -> str:
    base, _, name = os.environ["DATABASE_URL"].rpartition("/")
    name, _, query = name.partition("?")
    return f"{base}/{name}_bench" + (f"?{query}" if query else "")


def ensure_database(url: str) -> None:
    import psycopg

    from samverkan.envconf import parse_database_url

    db = parse_database_url(url)
    params = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "password": db["PASSWORD"]}
    with psycopg.connect(
        dbname="postgres", autocommit=True, **{k: v for k, v in params.items() if v}
    ) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", [db["NAME"]]).fetchone():
            conn.execute(f'create database "{db["NAME"]}"')


def setup_django() -> None:
    """Point Django at the benchmark database, migrate it, and allow the test client."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    os.environ.setdefault("DEBUG", "true")
    url = bench_database_url()
    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)


def report(name: str, times_ms: list[float]) -> None:
    times = sorted(times_ms)
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(f"{name:<28} n={len(times):<4} median {statistics.median(times):8.1f} ms   p95 {p95:8.1f} ms")
