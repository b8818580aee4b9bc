"""Load benchmark of the main pages on the national dataset, with a production server and bounded load.

    make bench-load         # generates the national dataset first if it is missing (bench/national.py)
    .venv/bin/python bench/load.py [--dataset national|demo] [--seconds 10] [--connections 16] [--workers 4]

Starts gunicorn (DEBUG off, compressed static files, plain HTTP on 127.0.0.1; see bench/server.py) against
the national database (DATABASE_URL's name + "_national"), logs in the persona ``bench.official`` through
the login form for "my cases", checks that every page answers 200, then drives one page at a time with wrk
(``--connections`` open connections for ``--seconds`` after a short warm-up, ``--runs`` times). It prints
one table: requests per second, p50, p95 and p99 latency of the median run; the lowest and highest
requests per second of all runs; the errors (socket errors and answers ≥ 400) of all runs; and the
throughput as a share of ``/healthz`` (the floor: no template, one query) measured in the same way.

Several runs per page, because with keep-alive the connections of one run may land unevenly on
gunicorn's workers, and the machine may be busy with something else for a moment. The load average is
printed before and after: other work on the machine shows in the figures. The figures are also written
to var/bench/load-<time>.json. Timing never fails anything; the script only prints figures.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import database_url
from server import ROOT, collectstatic, get, gunicorn, login, server_env

# dataset -> (database suffix, persona for "my cases", its password, the lowest version number of the
# agreement picked)
DATASETS = {
    "national": ("_national", "bench.official", "bench-national", 2),  # see bench/national.py
    "demo": ("_loaddemo", "ordforande.lsvo", "samverkan-demo", 1),  # manage.py load_demo
}
COUNTY, YEAR = "10", 2025

LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def pages(url: str, persona: str, lowest_version: int) -> list[tuple[str, str, bool]]:
    """(name, path, needs the persona's session) for each main page, picked from the data."""
    import psycopg

    from samverkan.envconf import parse_database_url

    db = parse_database_url(url)
    params = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "password": db["PASSWORD"]}
    with psycopg.connect(dbname=db["NAME"], **{k: v for k, v in params.items() if v}) as conn:
        agreement, number, key = conn.execute(
            """SELECT a.id, v.number, g.key FROM agreements_agreement a
               JOIN samverkan_county c ON c.id = a.county_id
               JOIN agreements_agreementversion v ON v.agreement_id = a.id AND v.status = 'adopted'
               JOIN agreements_targetgroup g ON g.version_id = v.id
               WHERE c.code = %s AND v.number >= %s ORDER BY a.id, g."order" LIMIT 1""",
            [COUNTY, lowest_version],
        ).fetchone()
        body = conn.execute(
            """SELECT m.body_id FROM governance_membership m JOIN auth_user u ON u.id = m.user_id
               WHERE u.username = %s ORDER BY m.id LIMIT 1""",
            [persona],
        ).fetchone()[0]
        meeting = conn.execute(
            """SELECT id FROM governance_meeting WHERE body_id = %s AND status = 'published'
               ORDER BY starts_at DESC LIMIT 1""",
            [body],
        ).fetchone()[0]
    search = urllib.parse.urlencode({"q": "hjälpmedel"})
    return [
        ("/healthz (floor)", "/healthz", False),
        ("public start page", "/", False),
        ("agreement", f"/overenskommelser/{agreement}/", False),
        ("agreement version", f"/overenskommelser/{agreement}/version/{number}/", False),
        ("responsibility table", f"/overenskommelser/{agreement}/version/{number}/malgrupp/{key}/", False),
        ("law index", "/overenskommelser/lagar/", False),
        ("search", f"/overenskommelser/sok/?{search}", False),
        ("body page", f"/organ/{body}/", False),
        ("protocol", f"/organ/mote/{meeting}/", False),
        ("my cases", "/avvikelser/", True),
        ("deviation statistics", f"/avvikelser/statistik/?lan={COUNTY}&ar={YEAR}", False),
    ]


def check(base: str, path: str, cookie: str | None) -> None:
    status, _body = get(base, path, cookie)
    if status != 200:
        sys.exit(f"{path} svarade {status}, inte 200: mätningen avbryts.")


def wrk(base: str, path: str, cookie: str | None, args, script: str) -> dict:
    """The median of ``args.runs`` runs by requests per second, with the lowest and the highest."""
    command = ["wrk", "-t", "2", "-c", str(args.connections), "--timeout", "10s", "-s", script]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    warm = [*command, "-d", f"{args.warmup}s", base + path]
    subprocess.run(warm, check=True, capture_output=True)  # noqa: S603 - our own fixed command
    runs = sorted(
        (wrk_run([*command, "-d", f"{args.seconds}s", base + path]) for _ in range(args.runs)),
        key=lambda r: r["rps"],
    )
    low, median, high = runs[0], runs[len(runs) // 2], runs[-1]
    return median | {"rps_low": low["rps"], "rps_high": high["rps"], "errors": sum(r["errors"] for r in runs)}


def wrk_run(run: list[str]) -> dict:
    output = subprocess.run(run, check=True, capture_output=True, text=True).stdout  # noqa: S603
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    requests, duration, p50, p95, p99, socket_errors, status_errors = map(int, line.split()[1:])
    return {
        "rps": requests / (duration / 1e6),
        "p50": p50 / 1000,
        "p95": p95 / 1000,
        "p99": p99 / 1000,
        "errors": socket_errors + status_errors,
        "requests": requests,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--runs", type=int, default=3, help="runs per page; the median is shown")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--only", help="measure only pages whose name contains this")
    parser.add_argument("--label", default="", help="a word stored with the figures (before, after …)")
    parser.add_argument("--dataset", choices=sorted(DATASETS), default="national")
    args = parser.parse_args()
    suffix, persona, password, lowest_version = DATASETS[args.dataset]
    url = database_url(suffix)
    sys.path.insert(0, str(ROOT))
    env = server_env(url)
    migrate = [sys.executable, "manage.py", "migrate", "--no-input", "-v0"]
    if args.dataset == "demo":
        from common import ensure_database

        ensure_database(url)
        subprocess.run(migrate, cwd=ROOT, env=env, check=True)  # noqa: S603 - our own fixed command
        demo = [sys.executable, "manage.py", "load_demo"]
        subprocess.run(demo, cwd=ROOT, env=env | {"DEBUG": "true"}, check=True, capture_output=True)  # noqa: S603
    selected = pages(url, persona, lowest_version)
    subprocess.run(migrate, cwd=ROOT, env=env, check=True)  # noqa: S603 - our own fixed command
    collectstatic(env)
    load_before = os.getloadavg()
    results = []
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(LUA)
    with gunicorn(env, workers=args.workers, threads=args.threads) as base:
        cookie = login(base, persona, password)
        for _name, path, private in selected:
            check(base, path, cookie if private else None)
        for name, path, private in selected:
            if args.only and args.only not in name and "floor" not in name:
                continue
            result = wrk(base, path, cookie if private else None, args, lua.name)
            results.append({"page": name, "path": path, **result})
            print(f"  {name}: {result['rps']:.0f} req/s", flush=True)
    os.unlink(lua.name)
    load_after = os.getloadavg()
    floor = results[0]["rps"]
    print(
        f"\n{args.dataset} data; gunicorn {args.workers} workers × {args.threads} threads, DEBUG off; "
        f"wrk {args.connections} connections, median of {args.runs} runs of {args.seconds} s per page; "
        f"{os.cpu_count()} cores"
    )
    before, after = (" ".join(f"{x:.2f}" for x in load[:2]) for load in (load_before, load_after))
    print(f"load average (1, 5 min) before {before}, after {after}")
    print(
        f"\n| {'page':<22} | {'req/s':>7} | {'runs req/s':>11} | {'p50 ms':>7} | {'p95 ms':>7} "
        f"| {'p99 ms':>7} | errors | floor |"
    )
    print(f"|{'-' * 24}|{'-' * 9}|{'-' * 13}|{'-' * 9}|{'-' * 9}|{'-' * 9}|--------|-------|")
    for r in results:
        ratio = r["rps"] / floor if floor else 0
        print(
            f"| {r['page']:<22} | {r['rps']:7.0f} | {r['rps_low']:5.0f}–{r['rps_high']:<5.0f} "
            f"| {r['p50']:7.1f} | {r['p95']:7.1f} | {r['p99']:7.1f} "
            f"| {r['errors']:6d} | {ratio:5.2f} |"
        )
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"load-{time.strftime('%Y%m%d-%H%M%S')}.json"
    target.write_text(
        json.dumps(
            {
                "label": args.label,
                "dataset": args.dataset,
                "workers": args.workers,
                "threads": args.threads,
                "connections": args.connections,
                "seconds": args.seconds,
                "runs": args.runs,
                "load_before": load_before,
                "load_after": load_after,
                "results": results,
            },
            indent=2,
        )
    )
    print(f"\nfigures written to {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
