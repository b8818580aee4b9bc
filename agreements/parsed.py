"""The checked content of an agreement file (agreements/importer.py reads it, agreement_version_import in
agreements/services.py writes it): its own module so that the services need not import the importer."""

from dataclasses import dataclass, field

from samverkan.models import County, Organisation


@dataclass
class Parsed:
    """The checked content of a file, ready to be written."""

    county: County
    agreement: dict
    parties: list[tuple[Organisation, str]]
    signatories: list[dict]
    version: dict
    change_log: list[dict]
    sections: list[dict]  # flat, in document order, each with "parent_number"
    target_groups: list[dict] = field(default_factory=list)
    ratifications: dict[int, dict] = field(default_factory=dict)  # organisation id -> each party's own
