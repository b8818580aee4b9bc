"""Word documents as a county writes its agreement, made from the portal's own agreement files: numbered
headings, the text under them, and per target group a table whose first column names the areas and whose
other columns are the parties' ("Region Blekinge ansvarar för", "Kommunen ansvarar för", "Gemensamt"),
each cell a paragraph of bullets ("• …", as the seeds have them). Used by the tests and bench/docx_import.py
to measure how much of a real agreement lands on the right side of the right area without correction."""

import io
from pathlib import Path

import docx
import yaml

DATA = Path(__file__).resolve().parents[2] / "agreements" / "data"
HEADERS = {
    "region": "{region} ansvarar för",
    "municipal": "Kommunen ansvarar för",
    "shared": "Gemensamt ansvar",
}


def agreement_docx(data: dict, *, region: str = "Regionen") -> bytes:
    document = docx.Document()
    document.add_heading(data["agreement"]["title"], 0)
    version = data["version"]
    groups_by_section = {}
    for group in version.get("target_groups") or []:
        groups_by_section.setdefault(str(group.get("section") or ""), []).append(group)

    def sections(items, level):
        for item in items or []:
            document.add_heading(f"{item['number']} {item['title']}", min(level, 3))
            for paragraph in (item.get("text") or "").split("\n\n"):
                if paragraph.strip():
                    document.add_paragraph(paragraph.strip())
            for group in groups_by_section.pop(str(item["number"]), []):
                _table(document, group, region)
            sections(item.get("sections"), level + 1)

    sections(version.get("sections"), 1)
    for rest in groups_by_section.values():
        for group in rest:
            document.add_heading(group["name"], 2)
            _table(document, group, region)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _table(document, group: dict, region: str) -> None:
    areas = group.get("responsibility_areas") or []
    sides = [
        side
        for side in ("municipal", "region", "shared")
        if any(d["side"] == side for a in areas for d in a.get("duties") or [])
    ]
    if not areas or not sides:
        return
    document.add_paragraph(group["name"])
    table = document.add_table(rows=1, cols=len(sides) + 1)
    table.rows[0].cells[0].text = "Område"
    for i, side in enumerate(sides, start=1):
        table.rows[0].cells[i].text = HEADERS[side].format(region=region)
    for area in areas:
        cells = table.add_row().cells
        cells[0].text = area["name"]
        for i, side in enumerate(sides, start=1):
            duties = [d["text"] for d in area.get("duties") or [] if d["side"] == side]
            cells[i].text = " ".join(f"• {text}" for text in duties)


def truth(data: dict) -> list[tuple[str, str, str]]:
    """(area, side, duty) for every duty of the file."""
    return [
        (area["name"], duty["side"], duty["text"])
        for group in data["version"].get("target_groups") or []
        for area in group.get("responsibility_areas") or []
        for duty in area.get("duties") or []
    ]


def demo_agreements() -> list[tuple[str, dict, str]]:
    regions = {"10": "Region Blekinge", "08": "Region Kalmar län", "22": "Region Västernorrland"}
    out = []
    for path in sorted(DATA.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out.append((path.stem, data, regions.get(str(data["agreement"]["county"]), "Regionen")))
    return out
