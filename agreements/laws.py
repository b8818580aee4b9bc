"""The laws duties commonly rest on, and parsing of references such as "SoL 5 kap. 8 a §"."""

import re
from dataclasses import dataclass

LAWS = {
    "SoL": "Socialtjänstlagen",
    "HSL": "Hälso- och sjukvårdslagen",
    "LSS": "Lagen om stöd och service till vissa funktionshindrade",
    "LVU": "Lagen med särskilda bestämmelser om vård av unga",
    "LVM": "Lagen om vård av missbrukare i vissa fall",
    "LPT": "Lagen om psykiatrisk tvångsvård",
    "LRV": "Lagen om rättspsykiatrisk vård",
    "LOS": "Lagen om samverkan vid utskrivning från sluten hälso- och sjukvård",
    "Skollagen": "Skollagen",
    "Tandvårdslagen": "Tandvårdslagen",
    "PSL": "Patientsäkerhetslagen",
    "PL": "Patientlagen",
    "SFB": "Socialförsäkringsbalken",
    "OSL": "Offentlighets- och sekretesslagen",
    "FB": "Föräldrabalken",
    "BrB": "Brottsbalken",
}

_REFERENCE = re.compile(
    r"^(?P<law>[A-Za-zÅÄÖåäö]+)"
    r"(?:\s+(?P<chapter>\d+\s?[a-z]?)\s*kap\.?)?"
    r"(?:\s+(?P<paragraph>\d+\s?[a-z]?)\s*§)?$"
)


@dataclass(frozen=True)
class ParsedReference:
    law: str
    chapter: str = ""
    paragraph: str = ""


def parse_reference(text: str) -> ParsedReference:
    """Parse "SoL", "HSL 16 kap. 3 §", "LSS 9 §" or "SoL 5 kap. 8 a §". Raises ValueError."""
    match = _REFERENCE.match(" ".join(text.split()))
    if not match:
        raise ValueError(f"lagrummet {text!r} kan inte tolkas (t.ex. 'SoL', 'HSL 16 kap. 3 §')")
    law = next((code for code in LAWS if code.lower() == match["law"].lower()), None)
    if law is None:
        raise ValueError(f"okänd lag {match['law']!r}; kända: {', '.join(LAWS)}")
    return ParsedReference(
        law, " ".join((match["chapter"] or "").split()), " ".join((match["paragraph"] or "").split())
    )


_CODES = "|".join(sorted((re.escape(code) for code in LAWS), key=len, reverse=True))
_IN_TEXT = re.compile(
    r"(?:(?P<chapter>\d+\s?[a-z]?)\s*kap\.\s*)?(?:(?P<paragraph>\d+\s?[a-z]?)\s*§\s*)?"
    rf"\b(?P<law>{_CODES})\b"
    r"(?:\s+(?P<chapter_after>\d+\s?[a-z]?)\s*kap\.)?(?:\s+(?P<paragraph_after>\d+\s?[a-z]?)\s*§)?"
)


def references_in(text: str) -> list[ParsedReference]:
    """The legal references written in running text, e.g. "enligt 5 kap. 1 § SoL", "HSL" or "LSS 9 §",
    each once, in the order they appear."""
    found: list[ParsedReference] = []
    for match in _IN_TEXT.finditer(text):
        chapter = match["chapter"] or match["chapter_after"] or ""
        paragraph = match["paragraph"] or match["paragraph_after"] or ""
        reference = ParsedReference(match["law"], " ".join(chapter.split()), " ".join(paragraph.split()))
        if reference not in found:
            found.append(reference)
    return found
