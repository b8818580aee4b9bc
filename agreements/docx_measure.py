"""How much of an agreement a Word document brings over without correction: the share of its duties that
land on the right side of the right area (bench/docx_bench.py prints it; the tests check it).

A duty of the truth counts as landed when the document gave a duty in the same area (by name, without
regard to case) on the same side whose text is the same or nearly so: one contains the other, or they
are at least 80 % alike (difflib). The truth is the portal's file of the agreement, whose duties an
editor checked and sometimes shortened; a duty that needed rewording is counted as needing correction.
"""

from collections import defaultdict
from difflib import SequenceMatcher

from agreements.docx_import import docx_read

ALIKE = 0.8


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def duties_of(groups: list[dict]) -> list[tuple[str, str, str]]:
    return [
        (_key(area["name"]), duty["side"], _key(duty["text"]))
        for group in groups
        for area in group["areas"]
        for duty in area["duties"]
    ]


def _same(found: str, wanted: str) -> bool:
    return wanted in found or found in wanted or SequenceMatcher(None, found, wanted).ratio() >= ALIKE


def share_right(document: bytes, truth: list[tuple[str, str, str]]) -> tuple[int, int]:
    """(duties right, duties in the truth) when the document is read with the guessed column mapping."""
    draft = docx_read(document)
    found = defaultdict(list)
    for area, side, text in duties_of(draft.target_groups([table.guessed for table in draft.tables])):
        found[(area, side)].append(text)
    right = 0
    for area, side, text in ((_key(a), s, _key(t)) for a, s, t in truth):
        candidates = found[(area, side)]
        match = next((c for c in candidates if _same(c, text)), None)
        if match is not None:
            candidates.remove(match)
            right += 1
    return right, len(truth)
