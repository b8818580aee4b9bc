"""Backup and restore of one installation: the database (pg_dump custom format) and the stored files.

A backup is a directory with three files:

- ``database.dump``: ``pg_dump -Fc --no-owner --no-privileges`` of the default database;
- ``media.tar``: everything under ``MEDIA_ROOT`` (stored PDFs, attachments), possibly empty;
- ``manifest.json``: when it was made, the latest applied migration per app, row counts of the key
  tables and the SHA-256 of every stored PDF of an adopted version, so that a restore can be verified.

A restore only goes into an empty installation (no tables, an empty ``MEDIA_ROOT``) and then compares the
restored counts and checksums with the manifest.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
from collections.abc import Callable
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone

from samverkan import registry

DUMP_NAME = "database.dump"
MEDIA_NAME = "media.tar"
MANIFEST_NAME = "manifest.json"
FORMAT_VERSION = 1

# Counted in the manifest and compared after a restore, after the apps' own
# (``registry.register_counted_models``).
CORE_COUNTED_MODELS = ["samverkan.County", "samverkan.Organisation", "auth.User"]


def counted_models() -> list[str]:
    return [*registry.counted_models(), *CORE_COUNTED_MODELS]


class BackupError(Exception):
    """A backup or restore could not be made; the message is for the operator (Swedish)."""


Report = Callable[[str], None]


# --- PostgreSQL client programs -----------------------------------------------------------------------


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", path.name)) or (0,)


def find_program(name: str) -> str:
    """``pg_dump``/``pg_restore``: the highest version under /usr/lib/postgresql, otherwise from PATH."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: _version_key(p.parent))
    for bin_dir in reversed(versions):
        candidate = bin_dir / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    raise BackupError(
        f"Hittar inte {name}: installera PostgreSQL-klienten (t.ex. paketet postgresql-client) "
        f"så att {name} finns i PATH eller under /usr/lib/postgresql/<version>/bin."
    )


def _connection_args(db: dict) -> tuple[list[str], dict[str, str]]:
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - our own fixed command
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(f"{what} misslyckades (kod {result.returncode}): {' / '.join(detail[-5:])}")


# --- What the manifest records -------------------------------------------------------------------------


def migration_state() -> dict[str, str]:
    """The latest applied migration per app, read from django_migrations."""
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        if name > latest.get(app, ""):
            latest[app] = name
    return dict(sorted(latest.items()))


def row_counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in counted_models()}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pdf_checksums() -> dict[str, dict]:
    """For every stored file the apps registered (``registry.register_stored_files``; today the PDFs of
    the agreement versions): what the app notes about it, the SHA-256 of the file's bytes (None if the
    file is missing) and the checksum the app recorded."""
    media_root = Path(settings.MEDIA_ROOT)
    result = {}
    for stored in registry.stored_files():
        path = media_root / stored.name
        result[stored.name] = {
            **stored.about,
            "sha256": file_sha256(path) if path.is_file() else None,
            "recorded_sha256": stored.recorded_sha256,
        }
    return result


def current_state() -> dict:
    return {"migrations": migration_state(), "counts": row_counts(), "pdfs": pdf_checksums()}


def compare(manifest: dict, state: dict) -> list[str]:
    """Differences between a manifest and the state of this installation, as Swedish sentences."""
    differences = []
    for app, name in manifest.get("migrations", {}).items():
        if state["migrations"].get(app) != name:
            differences.append(f"migrering {app}: väntade {name}, fick {state['migrations'].get(app)}")
    for label, count in manifest.get("counts", {}).items():
        if state["counts"].get(label) != count:
            differences.append(f"antal {label}: väntade {count}, fick {state['counts'].get(label)}")
    expected_pdfs, restored_pdfs = manifest.get("pdfs", {}), state["pdfs"]
    for name, entry in expected_pdfs.items():
        restored = restored_pdfs.get(name)
        if restored is None:
            differences.append(f"PDF {name}: saknas i databasen")
        elif restored["sha256"] is None:
            differences.append(f"PDF {name}: filen saknas")
        elif restored["sha256"] != entry["sha256"]:
            differences.append(f"PDF {name}: kontrollsumman skiljer sig")
    for name in sorted(set(restored_pdfs) - set(expected_pdfs)):
        differences.append(f"PDF {name}: finns men står inte i manifestet")
    return differences


# --- Backup --------------------------------------------------------------------------------------------


def _tar_media(media_root: Path, target: Path) -> int:
    """Write media_root into target (names relative to it); returns the number of files."""
    files = 0
    with tarfile.open(target, "w") as archive:
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                if path.is_symlink():
                    continue  # stored files are plain files; never follow links out of MEDIA_ROOT
                archive.add(path, arcname=path.relative_to(media_root).as_posix(), recursive=False)
                files += path.is_file()
    return files


def backup(directory: Path, report: Report) -> dict:
    """Dump the database and the stored files into a new (or empty) directory; returns the manifest."""
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise BackupError(f"{directory} finns redan och är inte en tom katalog; välj en ny katalog.")
    pg_dump = find_program("pg_dump")
    db = settings.DATABASES["default"]
    directory.mkdir(parents=True, exist_ok=True)
    if settings.STORAGE_S3_BUCKET:
        report(
            f"Obs: filerna ligger i objektlagringen ({settings.STORAGE_S3_BUCKET}), inte i MEDIA_ROOT; "
            "säkerhetskopiera bucketen för sig (versionshantering eller replikering)."
        )

    state = current_state()  # before the dump: a restore is checked against this
    missing = [name for name, entry in state["pdfs"].items() if entry["sha256"] is None]
    if missing:
        report(f"Varning: {len(missing)} lagrade PDF-filer saknas i MEDIA_ROOT: {', '.join(missing[:3])}")
    wrong = [n for n, e in state["pdfs"].items() if e["sha256"] and e["sha256"] != e["recorded_sha256"]]
    if wrong:
        report(f"Varning: {len(wrong)} PDF-filer stämmer inte med sin sparade kontrollsumma")

    args, env = _connection_args(db)
    dump = directory / DUMP_NAME
    command = [pg_dump, "-Fc", "--no-owner", "--no-privileges", *args, "--file", str(dump), db["NAME"]]
    _run(command, env, "pg_dump")
    report(f"Databasen {db['NAME']} dumpad till {dump} ({dump.stat().st_size} byte)")

    media_root = Path(settings.MEDIA_ROOT)
    files = _tar_media(media_root, directory / MEDIA_NAME)
    report(f"Filerna i {media_root} sparade i {directory / MEDIA_NAME} ({files} filer)")

    manifest = {
        "format": FORMAT_VERSION,
        "created": timezone.now().isoformat(),
        "database": db["NAME"],
        "media_files": files,
        "database_dump_sha256": file_sha256(dump),
        **state,
    }
    (directory / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    counts = ", ".join(f"{label.split('.')[1]} {n}" for label, n in manifest["counts"].items())
    report(f"Manifest skrivet: {counts}; {len(manifest['pdfs'])} PDF:er")
    return manifest


# --- Restore -------------------------------------------------------------------------------------------


def read_manifest(directory: Path) -> dict:
    directory = Path(directory)
    for name in (MANIFEST_NAME, DUMP_NAME, MEDIA_NAME):
        if not (directory / name).is_file():
            raise BackupError(f"{directory} är ingen säkerhetskopia: {name} saknas.")
    try:
        manifest = json.loads((directory / MANIFEST_NAME).read_text())
    except ValueError as error:
        raise BackupError(f"{MANIFEST_NAME} går inte att läsa: {error}") from None
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"{MANIFEST_NAME} har okänt format {manifest.get('format')!r}.")
    if file_sha256(directory / DUMP_NAME) != manifest.get("database_dump_sha256"):
        raise BackupError(f"{DUMP_NAME} stämmer inte med manifestets kontrollsumma (skadad kopia?).")
    return manifest


def database_is_empty() -> bool:
    """No tables in the public schema, or only an empty django_migrations."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
        tables = {row[0] for row in cursor.fetchall()}
        if not tables:
            return True
        if tables == {"django_migrations"}:
            cursor.execute("SELECT EXISTS (SELECT 1 FROM django_migrations)")
            return not cursor.fetchone()[0]
    return False


def check_target() -> None:
    """Refuse unless both the database and MEDIA_ROOT are empty; nothing is changed."""
    db = settings.DATABASES["default"]
    if not database_is_empty():
        raise BackupError(
            f"Databasen {db['NAME']} är inte tom. Återställ bara till en tom installation: "
            f"skapa en ny databas (createdb) och peka DATABASE_URL på den."
        )
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.exists() and (not media_root.is_dir() or any(media_root.iterdir())):
        raise BackupError(f"MEDIA_ROOT {media_root} är inte tom; återställ till en tom katalog.")


def _extract_media(archive_path: Path, media_root: Path) -> int:
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive_path, "r") as archive:
        members = archive.getmembers()
        for member in members:
            name = Path(member.name)
            if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
                raise BackupError(f"{MEDIA_NAME} innehåller en otillåten post: {member.name!r}")
        archive.extractall(media_root, members=members, filter="data")
    return sum(member.isfile() for member in members)


def restore(directory: Path, report: Report, confirm: Callable[[str], bool] | None = None) -> dict:
    """Restore a backup into this (empty) installation and verify it; returns the manifest."""
    directory = Path(directory)
    manifest = read_manifest(directory)
    check_target()
    pg_restore = find_program("pg_restore")
    db = settings.DATABASES["default"]
    media_root = Path(settings.MEDIA_ROOT)
    report(f"Säkerhetskopia från {manifest['created']} (databas {manifest['database']}) är läsbar")
    if confirm and not confirm(f"Återställ till databasen {db['NAME']} och {media_root}?"):
        raise BackupError("Avbrutet; ingenting har ändrats.")

    connection.close()  # pg_restore works on its own connection; ours reconnects afterwards
    args, env = _connection_args(db)
    command = [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", *args, "--dbname", db["NAME"]]
    _run([*command, str(directory / DUMP_NAME)], env, "pg_restore")
    report(f"Databasen återställd till {db['NAME']}")

    files = _extract_media(directory / MEDIA_NAME, media_root)
    report(f"{files} filer återställda till {media_root}")

    differences = compare(manifest, current_state())
    if differences:
        raise BackupError("Kontrollen hittade skillnader mot manifestet:\n  " + "\n  ".join(differences))
    report(
        f"Kontroll OK: {len(manifest['counts'])} tabeller har samma antal rader, "
        f"{len(manifest['pdfs'])} PDF:er har samma kontrollsumma"
    )
    return manifest
