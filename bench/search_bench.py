"""Benchmark: "Vem ansvarar för …?" on the national dataset, one request at a time.

    .venv/bin/python bench/search_bench.py [--rounds 50]    # after make bench-national

Times the search page (rendered every time: each request has an address of its own, so the page cache
never has it; the caches are otherwise as in production) and the search selector alone
(duties and sections, with the spelling correction),
for one word, two words and a misspelled word, over all counties and within one county; prints median and
p95. The words vary per round so that PostgreSQL's own caches are not all the search ever meets. Timing
never fails anything; the script only prints figures.
"""

import argparse
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import report, setup_django

QUERIES = {
    "one word": ["hjälpmedel", "utskrivning", "tvångsvård", "elevhälsa", "missbruk", "boendestöd"],
    "two words": ["hjälpmedel boende", "utskrivning slutenvård", "psykiatri missbruk", "elevhälsa skola"],
    "misspelled": ["hjälpmedl", "utskrivnig", "tvångsvårt", "elevhäsla", "misbruk"],
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    setup_django("_national")
    from django.contrib.auth.models import AnonymousUser
    from django.test import Client

    from agreements.models import Agreement, Duty
    from agreements.selectors import search

    print(f"Database: {Agreement.objects.count()} agreements, {Duty.objects.count()} duties")
    client = Client()
    client.get("/overenskommelser/sok/?q=hj%C3%A4lpmedel&warm=1")  # warm up
    for kind, words in QUERIES.items():
        for county in ("", "10"):
            where = "one county" if county else "all counties"
            page, selector = [], []
            for n in range(args.rounds):
                text = words[n % len(words)]
                params = {"q": text, **({"lan": county} if county else {}), "n": f"{kind}{county}{n}"}
                started = time.perf_counter()
                response = client.get(f"/overenskommelser/sok/?{urllib.parse.urlencode(params)}")
                page.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200 and "X-Page-Cache" not in response, response
                started = time.perf_counter()
                search(AnonymousUser(), text, county_code=county)
                selector.append((time.perf_counter() - started) * 1000)
            report(f"page, {kind}, {where}", page)
            report(f"selector, {kind}, {where}", selector)


if __name__ == "__main__":
    main()
