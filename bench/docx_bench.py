"""Measure: agreements as Word documents, read back to drafts (agreements/docx_import.py).

    .venv/bin/python bench/docx_bench.py

Two kinds of document for each seed agreement, each read back with the columns mapped as their headers
suggest and compared with the portal's checked file of the agreement (agreements/data): the share of
duties that land on the right side of the right area without correction (agreements/docx_measure.py).
- "seed": the county's own document, rebuilt from the seed text (tests/agreements/seed_docx.py): its
  headings, prose and tables as the county wrote them;
- "tidy": the same content written as tidy tables (tests/agreements/docx_documents.py), the best case.
Prints figures; needs no database.
"""

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import setup_django  # noqa: E402


def main() -> None:
    setup_django()
    from agreements.docx_import import docx_read
    from agreements.docx_measure import share_right
    from tests.agreements.docx_documents import agreement_docx, demo_agreements, truth
    from tests.agreements.seed_docx import seed_docx

    print(f"{'agreement':<42} {'document':<6} {'duties':>6} {'right':>6} {'share':>7}", end=" ")
    print(f"{'sections':>8} {'tables':>6} {'read ms':>7}")
    totals: dict[str, list[int]] = {"seed": [0, 0], "tidy": [0, 0]}
    for name, data, region in demo_agreements():
        for kind, document in (("seed", seed_docx(name)), ("tidy", agreement_docx(data, region=region))):
            started = time.perf_counter()
            draft = docx_read(document)
            elapsed = (time.perf_counter() - started) * 1000
            right, total = share_right(document, truth(data))
            totals[kind][0] += right
            totals[kind][1] += total
            print(
                f"{name:<42} {kind:<6} {total:>6} {right:>6} {right / total:>7.1%} {len(draft.sections):>8} "
                f"{len(draft.tables):>6} {elapsed:>7.0f}"
            )
    for kind, (right, total) in totals.items():
        print(f"{'all':<42} {kind:<6} {total:>6} {right:>6} {right / total:>7.1%}")


if __name__ == "__main__":
    main()
