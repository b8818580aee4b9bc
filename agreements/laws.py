"""Parsing of legal references such as "SoL 5 kap. 8 a §" or "LSS 9 § 1 p.", against the law catalogue
(agreements.Law, kept by superusers in the portal). ``LAWS`` is the catalogue the portal started with
(migration 0002 made it data)."""

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
    r"^(?P<law>[A-Za-zÅÄÖåäö][\wÅÄÖåäö:-]*)"
    r"(?:\s+(?P<chapter>\d+\s?[a-z]?)\s*kap\.?)?"
    r"(?:\s+(?P<paragraph>\d+\s?[a-z]?)\s*§)?"
    r"(?:\s+(?P<point>\d+)\s*p\.?)?$"
)


@dataclass(frozen=True)
class ParsedReference:
    law: str
    chapter: str = ""
    paragraph: str = ""
    point: str = ""


def catalogue() -> list[str]:
    """The codes of the laws in the catalogue (one query; callers that parse many keep the list)."""
    from agreements.models import Law  # the models module does not import this one, but migrations do

    return list(Law.objects.values_list("code", flat=True))


def _squeeze(value: str | None) -> str:
    return " ".join((value or "").split())


def parse_reference(text: str, codes: list[str] | None = None) -> ParsedReference:
    """Parse "SoL", "HSL 16 kap. 3 §", "LSS 9 § 1 p." or "SoL 5 kap. 8 a §" against the catalogue (or
    ``codes``). Raises ValueError."""
    match = _REFERENCE.match(" ".join(text.split()))
    if not match:
        raise ValueError(
            f"lagrummet {text!r} kan inte tolkas (t.ex. 'SoL', 'HSL 16 kap. 3 §', 'LSS 9 § 1 p.')"
        )
    codes = catalogue() if codes is None else codes
    law = next((code for code in codes if code.lower() == match["law"].lower()), None)
    if law is None:
        raise ValueError(f"okänd lag {match['law']!r}; kända: {', '.join(sorted(codes))}")
    return ParsedReference(
        law, _squeeze(match["chapter"]), _squeeze(match["paragraph"]), _squeeze(match["point"])
    )


def _in_text(codes: list[str]) -> re.Pattern:
    alternatives = "|".join(sorted((re.escape(code) for code in codes), key=len, reverse=True))
    return re.compile(
        r"(?:(?P<chapter>\d+\s?[a-z]?)\s*kap\.\s*)?(?:(?P<paragraph>\d+\s?[a-z]?)\s*§\s*)?"
        rf"\b(?P<law>{alternatives})\b"
        r"(?:\s+(?P<chapter_after>\d+\s?[a-z]?)\s*kap\.)?(?:\s+(?P<paragraph_after>\d+\s?[a-z]?)\s*§)?"
    )


def references_in(text: str, codes: list[str] | None = None) -> list[ParsedReference]:
    """The legal references written in running text, e.g. "enligt 5 kap. 1 § SoL", "HSL" or "LSS 9 §",
    each once, in the order they appear (the laws of the catalogue, or of ``codes``)."""
    codes = catalogue() if codes is None else codes
    if not codes:
        return []
    found: list[ParsedReference] = []
    for match in _in_text(codes).finditer(text):
        chapter = match["chapter"] or match["chapter_after"] or ""
        paragraph = match["paragraph"] or match["paragraph_after"] or ""
        reference = ParsedReference(match["law"], " ".join(chapter.split()), " ".join(paragraph.split()))
        if reference not in found:
            found.append(reference)
    return found
