"""Sessions in PostgreSQL, shared by every app server, read with one plain query.

Every logged-in request reads its session, so this is the portal's most frequent query; Django's own
database store builds it through the ORM on each request, which costs more than the query itself. This
store reads the same table with the same condition (the key, and not expired) as one fixed SQL statement;
everything else (creating, saving, deleting and the ``clearsessions`` command) is Django's.
"""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connection
from django.utils import timezone


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        model = self.model
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data, expire_date FROM {table} "  # noqa: S608 - the table's own name
                "WHERE session_key = %s AND expire_date > %s",
                [self.session_key, timezone.now()],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0], expire_date=row[1])
