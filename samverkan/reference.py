"""Reference data shipped with the portal: all 21 counties, their regions and all 290 municipalities.

The facts live in ``samverkan/data/*.csv``. ``reference_data_load`` is used both by a data migration
(with historical models) and by the ``load_reference_data`` command, and only writes what differs.
"""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def reference_data_load(county_model, organisation_model) -> tuple[int, int]:
    """Create or update counties and organisations by code. Returns (created, updated)."""
    created = updated = 0
    counties = {c.code: c for c in county_model.objects.all()}
    for row in _rows("counties.csv"):
        county = counties.get(row["code"])
        if county is None:
            counties[row["code"]] = county_model.objects.create(**row)
            created += 1
        elif (county.name, county.short_name) != (row["name"], row["short_name"]):
            county.name, county.short_name = row["name"], row["short_name"]
            county.save(update_fields=["name", "short_name"])
            updated += 1
    organisations = {o.code: o for o in organisation_model.objects.exclude(code="")}
    for row in _rows("organisations.csv"):
        values = {
            "kind": row["kind"],
            "county": counties[row["county_code"]],
            "name": row["name"],
            "short_name": row["short_name"],
        }
        organisation = organisations.get(row["code"])
        if organisation is None:
            organisation_model.objects.create(code=row["code"], **values)
            created += 1
            continue
        changed = [field for field, value in values.items() if getattr(organisation, field) != value]
        if changed:
            for field in changed:
                setattr(organisation, field, values[field])
            organisation.save(update_fields=changed)
            updated += 1
    return created, updated
