"""Lookups the ORM lacks."""

from django.db.models import Lookup


class AnyOf(Lookup):
    """``column = ANY(%s)`` with the values as one array parameter, for a list of ids read beforehand.

    ``__in`` writes one placeholder per value: with hundreds of ids the query text grows and psycopg splits
    it anew every time, and PostgreSQL plans the same. Use it in a filter:
    ``Duty.objects.filter(AnyOf(F("version_id"), ids))``."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        # Typed as the column: an array of smaller integers (psycopg's choice) is planned worse.
        array_type = self.lhs.output_field.db_type(connection)
        return f"{lhs} = ANY(%s::{array_type}[])", (*lhs_params, list(self.rhs))
