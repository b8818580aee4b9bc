"""The seed agreements (tests/data/seeds: the agreements as text, converted from the counties' own
documents) written back as Word documents: headings as headings, the text as paragraphs, and the rows
with tabs as tables (a short line standing alone, as "Kommunernas ansvar", as the heading it was in the
original), their cells as the seeds have them (list items separated by "•" where the seed has
them, HTML tags removed). Paired with the portal's file of the same agreement (agreements/data), whose
duties an editor has checked, this measures the .docx import on documents a county has, not on ones the
portal wrote (bench/docx_bench.py)."""

import io
import re
from pathlib import Path

import docx

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"
PAIRS = {
    "blekinge-2023": "blekinge-overenskommelse-2023.txt",
    "kalmar-psykisk-funktionsnedsattning-2024": "kalmar-psykisk-funktionsnedsattning-2024.txt",
    "vasternorrland-2017": "vasternorrland-overenskommelse-2017.txt",
}
TOC = re.compile(r"\.{4,}|\t\s*(?:<[^>]+>)*\s*\d+\s*(?:<[^>]+>)*\s*$")
MARKDOWN_HEADING = re.compile(r"^(#+)\s+(.*)$")
NUMBERED_HEADING = re.compile(r"^(\d+(?:\.\d+){0,3})\.?\s+([A-ZÅÄÖ].{0,100})$")
TAG = re.compile(r"<[^>]+>")
BLOCK_TAG = re.compile(r"</?(?:p|br|li|ul|ol)[^>]*>", re.IGNORECASE)


def _cell(html: str) -> str:
    text = BLOCK_TAG.sub(" • ", html)
    text = TAG.sub("", text).replace("[", "").replace("](#)", "")
    text = re.sub(r"(\s*•\s*)+", " • ", text).strip(" •")
    return " ".join(text.split())


def _looks_like_heading(line: str) -> bool:
    text = _cell(line)
    return (
        0 < len(text) <= 70
        and text[0].isupper()
        and text[-1] not in ".:;,!?)"
        and not text.startswith(("http", "Se ", "Läs "))
        and len(text.split()) <= 9
    )


def seed_docx(name: str) -> bytes:
    lines = (SEEDS / PAIRS[name]).read_text(encoding="utf-8").splitlines()
    document = docx.Document()
    table_rows: list[list[str]] = []

    def flush() -> None:
        if len(table_rows) >= 2:
            width = max(len(row) for row in table_rows)
            table = document.add_table(rows=0, cols=width)
            for values in table_rows:
                cells = table.add_row().cells
                for cell, value in zip(cells, values + [""] * (width - len(values)), strict=True):
                    cell.text = _cell(value)
        table_rows.clear()

    for line in lines:
        if "\t" in line and not TOC.search(line):
            table_rows.append(line.split("\t"))
            continue
        if not line.strip():
            continue  # a blank line inside a table does not end it
        flush()
        if TOC.search(line):
            continue
        markdown = MARKDOWN_HEADING.match(line)
        numbered = NUMBERED_HEADING.match(line.strip())
        if markdown:
            document.add_heading(_cell(markdown[2]), min(len(markdown[1]), 3))
        elif numbered and not line.strip().endswith("."):
            document.add_heading(line.strip(), min(numbered[1].count(".") + 1, 3))
        elif _looks_like_heading(line):  # the text lost Word's heading styles: a short line on its own
            document.add_heading(_cell(line), 3)
        else:
            document.add_paragraph(_cell(line))
    flush()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
