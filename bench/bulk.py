"""Bulk writes for generated benchmark data: ids reserved from the sequence in one call, rows sent with COPY.

Generated rows skip ``save()``, signals and therefore simple-history: benchmark data needs no audit trail.
Database triggers and constraints still apply, so callers insert in an order the triggers accept (content
of an agreement version while it is a draft, paragraphs before the protocol is published).
"""

from collections.abc import Iterable

from django.db import connection, models


def reserve_ids(model: type[models.Model], count: int) -> range:
    """Take ``count`` consecutive ids from the model's id sequence (the generator is the only writer)."""
    if count <= 0:
        return range(0)
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [meta.db_table, meta.pk.column])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT setval(%s, nextval(%s) + %s - 1)", [sequence, sequence, count])
        last = cursor.fetchone()[0]
    return range(last - count + 1, last + 1)


def with_ids(model: type[models.Model], objects: list[models.Model]) -> list[models.Model]:
    """Give unsaved objects ids from the sequence, so children can point at them before anything is sent."""
    for obj, pk in zip(objects, reserve_ids(model, len(objects)), strict=True):
        obj.pk = pk
    return objects


def copy_objects(model: type[models.Model], objects: Iterable[models.Model]) -> int:
    """Insert objects (with ids set) through COPY; defaults and auto_now(_add) fields are filled as on save.

    Returns the number of rows written.
    """
    fields = [f for f in model._meta.concrete_fields if not f.generated]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    written = 0
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for obj in objects:
            copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
            written += 1
    return written


def copy_rows(model: type[models.Model], columns: list[str], rows: Iterable[tuple]) -> int:
    """Insert plain tuples into the named columns through COPY (for through tables and other narrow rows)."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    written = 0
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            written += 1
    return written
