"""Data built once for a whole module: the slow worlds (the demo, the authorisation matrix's world) are
made in a transaction that stays open while the module's tests run and is rolled back at its end. Each
test still runs in an atomic block of its own (pytest-django's ``db``), which inside this transaction is a
savepoint: whatever a test changes is rolled back before the next one, and every test starts from the same
world, as when the world was built for each test.

Only for tests with ``db`` (not ``transactional_db``: a flush would empty the world, and a transaction
another process cannot see is no world for a live server)."""

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

# The suite's fast password hasher (tests/conftest.py), also for the people of a world built for a module.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@contextmanager
def built_once[T](django_db_blocker, build: Callable[[], T], *, media_root: Path) -> Iterator[T]:
    """Build with ``build`` in an open transaction, give its result, then roll it all back. The database is
    unblocked only while building and rolling back, so a test without ``db`` still cannot reach it.

    The suite's autouse fixtures are for one test and not yet in force when a module's world is built: the
    build gets the fast password hasher, and its stored files go to ``media_root`` (a temporary folder; a
    test that reads them copies them into its own MEDIA_ROOT)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS, MEDIA_ROOT=media_root):
                world = build()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    try:
        yield world
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def load_demo() -> None:
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=io.StringIO())


def migrate_to(targets):
    """Migrate the test database to ``targets`` ((app, migration) pairs) and return the apps (historical
    models) as they stand there."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps
