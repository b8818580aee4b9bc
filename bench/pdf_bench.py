"""Benchmark: the Blekinge agreement as PDF, first render and cached download.

    make bench-pdf      # or: DATABASE_URL=... .venv/bin/python bench/pdf_bench.py

Loads the demo data into the benchmark database, removes any stored PDF of the Blekinge version in
force, then times the first download (render with WeasyPrint + store) and repeated downloads served from
storage, through Django's handler in-process. Prints figures; never fails on timing.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import report, setup_django


def main() -> None:
    setup_django()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from agreements.models import AgreementVersion, VersionPdf

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    version = AgreementVersion.objects.get(
        agreement__title="Överenskommelse om samarbete mellan Region Blekinge och kommunerna i Blekinge",
        status="adopted",
    )
    for stored in VersionPdf.objects.filter(version=version):
        stored.file.delete(save=False)
        stored.delete()
    url = reverse("agreements:pdf", args=[version.agreement_id, version.number])
    client = Client()

    def fetch() -> float:
        started = time.perf_counter()
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200 and body.startswith(b"%PDF"), response.status_code
        return (time.perf_counter() - started) * 1000

    first = fetch()
    stored = VersionPdf.objects.get(version=version)
    print(f"Blekinge version {version.number}: {stored.size / 1024:.0f} KiB, sha256 {stored.sha256[:16]}…")
    report("first download (render)", [first])
    report("cached download", [fetch() for _ in range(50)])


if __name__ == "__main__":
    main()
