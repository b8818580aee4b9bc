"""Benchmark: server time of the responsibility table and of search with a large number of agreements.

    make bench            # or: DATABASE_URL=... .venv/bin/python bench/agreements_bench.py [--agreements 500]

Uses its own database (the DATABASE_URL's name + "_bench"), fills it with copies of the Blekinge
agreement (81 sections, 4 target groups, 31 areas, 119 duties each) spread over all 21 counties, then
times requests through Django's handler in-process (no network) and prints median and p95 per page.
Generated data is written with bulk inserts and no history rows (history is not needed for a benchmark).
Timing never fails anything; the script only prints figures.
"""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, report, setup_django


def generate(count: int) -> None:
    """Add copies of the Blekinge agreement until there are ``count`` adopted agreements."""
    from django.db import transaction

    from agreements.importer import parse_file
    from agreements.models import (
        Agreement,
        AgreementParty,
        AgreementVersion,
        Duty,
        Law,
        LegalReference,
        ResponsibilityArea,
        Section,
        TargetGroup,
    )
    from samverkan.models import County, Organisation

    existing = Agreement.objects.count()
    if existing >= count:
        return
    parsed = parse_file(ROOT / "agreements" / "data" / "blekinge-2023.yaml")
    counties = list(County.objects.all())
    regions = {o.county_id: o for o in Organisation.objects.filter(kind="region")}
    laws = {law.code: law for law in Law.objects.all()}
    started = time.perf_counter()
    for n in range(existing, count):
        county = counties[n % len(counties)]
        with transaction.atomic():
            agreement = Agreement.objects.create(
                county=county, **{**parsed.agreement, "title": f"{parsed.agreement['title']} (kopia {n})"}
            )
            AgreementParty.objects.create(agreement=agreement, organisation=regions[county.pk], side="region")
            version = AgreementVersion.objects.create(agreement=agreement, number=1)
            sections = Section.objects.bulk_create(
                Section(version=version, order=i, number=s["number"], title=s["title"], text=s["text"])
                for i, s in enumerate(parsed.sections)
            )
            by_number = {s.number: s for s in sections}
            for section, data in zip(sections, parsed.sections, strict=True):
                section.parent = by_number.get(data["parent_number"])
            Section.objects.bulk_update(sections, ["parent"])
            for g, group_data in enumerate(parsed.target_groups):
                group = TargetGroup.objects.create(
                    version=version,
                    order=g,
                    key=group_data["key"],
                    name=group_data["name"],
                    section_number=group_data["section_number"],
                    description=group_data["description"],
                )
                areas = ResponsibilityArea.objects.bulk_create(
                    ResponsibilityArea(version=version, target_group=group, order=a, name=area["name"])
                    for a, area in enumerate(group_data["areas"])
                )
                duty_rows = [
                    (
                        Duty(version=version, area=area, order=d, side=duty["side"], text=duty["text"]),
                        duty["laws"],
                    )
                    for area, area_data in zip(areas, group_data["areas"], strict=True)
                    for d, duty in enumerate(area_data["duties"])
                ]
                duties = Duty.objects.bulk_create(d for d, _laws in duty_rows)
                LegalReference.objects.bulk_create(
                    LegalReference(
                        version=version,
                        duty=duty,
                        law=laws[ref.law],
                        chapter=ref.chapter,
                        paragraph=ref.paragraph,
                    )
                    for duty, (_d, refs) in zip(duties, duty_rows, strict=True)
                    for ref in refs
                )
            AgreementVersion.objects.filter(pk=version.pk).update(
                status="adopted",
                adopted_on=parsed.agreement["valid_from"],
                effective_from=parsed.agreement["valid_from"],
            )
        if (n + 1) % 100 == 0:
            print(f"  {n + 1} agreements ({time.perf_counter() - started:.0f} s)", flush=True)


def timed(client, url: str, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agreements", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=100)
    args = parser.parse_args()

    setup_django()
    from django.test import Client

    from agreements.models import Agreement, Duty, TargetGroup

    print(f"Generating up to {args.agreements} agreements of Blekinge's size …", flush=True)
    generate(args.agreements)
    print(f"Database: {Agreement.objects.count()} agreements, {Duty.objects.count()} duties")

    client = Client()
    random.seed(1)
    groups = list(TargetGroup.objects.select_related("version").order_by("?")[: args.rounds])
    table_urls = [
        f"/overenskommelser/{g.version.agreement_id}/version/{g.version.number}/malgrupp/{g.key}/"
        for g in groups
    ]
    timed(client, table_urls[0], 3)  # warm up
    table_times = [timed(client, u, 1)[0] for u in table_urls]
    words = ["hjälpmedel", "hjälpmedlen", "tvångsvård", "SIP", "utskrivning", "elevhälsa", "missbruk"]
    search_times = [
        timed(client, f"/overenskommelser/sok/?q={random.choice(words)}", 1)[0]  # noqa: S311
        for _ in range(args.rounds)
    ]
    county_times = [
        timed(client, f"/overenskommelser/sok/?q={random.choice(words)}&lan=10", 1)[0]  # noqa: S311
        for _ in range(args.rounds)
    ]
    page = f"/overenskommelser/{groups[0].version.agreement_id}/"
    report("responsibility table", table_times)
    report("search, all counties", search_times)
    report("search, one county", county_times)
    report("agreement page", timed(client, page, args.rounds // 2))


if __name__ == "__main__":
    main()
