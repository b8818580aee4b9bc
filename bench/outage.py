"""Database outage drill: bounded load against a local production-like server while PostgreSQL restarts.

    make bench-outage     # or: .venv/bin/python bench/outage.py [--seconds 30] [--down 5] [--threads 4]

Needs the project-local cluster (var/pg, as `make run` or `make setup` creates it) with the migrated demo
database. Collects static files to var/bench-static, starts gunicorn with production settings (DEBUG off)
on a free loopback port, and has a few threads request the start page, an agreement list, the deviation
statistics and /healthz in a loop. After a few seconds it stops PostgreSQL, keeps it down for `--down`
seconds, starts it again, and prints per phase (before, during, after) the answers by status, the slowest
answer during the outage (requests must fail fast, not hang), errors after recovery, and the time from
the database being back to the first good answer. Timing never fails anything; it only prints figures.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server import PGDIR, collectstatic, gunicorn, local_database_url, server_env

PAGES = ["/", "/overenskommelser/", "/avvikelser/statistik/", "/healthz"]


def pg_ctl(*args: str) -> None:
    found = shutil.which("pg_ctl") or next(
        iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))), None
    )
    if found is None:
        sys.exit("pg_ctl saknas.")
    command = [str(found), "-D", str(PGDIR / "data"), *args]
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)  # noqa: S603 - our own fixed command


class Load:
    """Threads that request the pages in turn and record (time, page, status, seconds)."""

    def __init__(self, base: str, threads: int):
        self.base, self.stop, self.records = base, threading.Event(), []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.run, args=(i,), daemon=True) for i in range(threads)]

    def run(self, offset: int) -> None:
        n = offset
        while not self.stop.is_set():
            page = PAGES[n % len(PAGES)]
            n += 1
            started = time.monotonic()
            try:
                with urllib.request.urlopen(self.base + page, timeout=15) as response:  # noqa: S310
                    status = str(response.status)
            except urllib.error.HTTPError as error:
                status = str(error.code)
            except OSError as error:
                status = type(error).__name__
            with self.lock:
                self.records.append((started, page, status, time.monotonic() - started))
            time.sleep(0.02)

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()


def report(name: str, records: list) -> None:
    statuses = Counter(status for _t, _p, status, _s in records)
    slowest = max((s for *_, s in records), default=0.0)
    median = statistics.median([s for *_, s in records]) if records else 0.0
    print(f"{name:<8} requests {len(records):5}  {dict(sorted(statuses.items()))}")
    print(f"{'':<8} median {median * 1000:7.1f} ms   slowest {slowest * 1000:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--down", type=float, default=5)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    if not (PGDIR / "data").is_dir():
        sys.exit("Ingen projektlokal PostgreSQL i var/pg: kör `make setup` (eller `make run`) först.")
    env = server_env(local_database_url())
    collectstatic(env)
    with gunicorn(env, workers=2) as base:
        load = Load(base, args.threads)
        began = time.monotonic()
        load.start()
        time.sleep(args.seconds / 4)
        stopped = time.monotonic()
        pg_ctl("-m", "fast", "-w", "stop")
        time.sleep(args.down)
        options = f"-p {(PGDIR / 'port').read_text().strip()} -c listen_addresses=127.0.0.1 -k {PGDIR}"
        pg_ctl("-w", "-l", str(PGDIR / "server.log"), "-o", options, "start")
        started = time.monotonic()
        time.sleep(max(0.0, began + args.seconds - time.monotonic()))
        load.finish()
    records = sorted(load.records)
    before = [r for r in records if r[0] < stopped]
    during = [r for r in records if stopped <= r[0] < started]
    after = [r for r in records if r[0] >= started]
    first_good = next((r[0] for r in after if r[2] == "200" and r[1] != "/healthz"), None)
    recovered = [r for r in after if first_good is not None and r[0] >= first_good]
    print(f"Server: gunicorn, 2 workers, DEBUG off; {args.threads} threads; database down {args.down:.0f} s")
    report("before", before)
    report("during", during)
    report("after", after)
    if first_good is None:
        print("recovery: no good answer after the database came back")
    else:
        print(f"recovery: first good page {first_good - started:.2f} s after the database was back")
        errors = [r for r in recovered if r[2] != "200"]
        print(f"errors after recovery: {len(errors)} of {len(recovered)} requests")


if __name__ == "__main__":
    main()
