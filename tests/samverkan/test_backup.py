"""Backup and restore: a round trip of real data into a fresh database, and the refusals.

pg_dump sees only committed data, hence ``transaction=True`` (with ``serialized_rollback`` so that the
reference data from the migrations is back for the tests that follow). The restore runs as its own process
(``manage.py restore``) against a new, empty database, as an operator would run it.
"""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from agreements import pdf
from agreements.models import Agreement, AgreementVersion
from samverkan import backup as backup_module
from tests.factories import agreement

ROOT = Path(settings.BASE_DIR)


def _connect(dbname: str, **kwargs):
    params = connection.settings_dict
    return psycopg.connect(
        dbname=dbname,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        **kwargs,
    )


def _url(dbname: str) -> str:
    params = connection.settings_dict
    auth = quote(params["USER"], safe="")
    if params["PASSWORD"]:
        auth += ":" + quote(params["PASSWORD"], safe="")
    port = f":{params['PORT']}" if params["PORT"] else ""
    return f"postgres://{auth}@{params['HOST']}{port}/{quote(dbname, safe='')}"


@pytest.fixture
def empty_database():
    """A new, empty database beside the test database; dropped afterwards."""
    name = connection.settings_dict["NAME"] + "_restore"
    with _connect("postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with _connect("postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _restore_process(directory: Path, dbname: str, media_root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": _url(dbname), "MEDIA_ROOT": str(media_root)}
    command = [sys.executable, "manage.py", "restore", str(directory), "--yes"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_round_trip_into_an_empty_database(tmp_path, empty_database):
    version = agreement()
    stored = pdf.stored_pdf(version)
    original_bytes = stored.file.open("rb").read()
    stored.file.close()
    out = io.StringIO()

    call_command("backup", str(tmp_path / "b"), stdout=out)

    assert {p.name for p in (tmp_path / "b").iterdir()} == {"database.dump", "media.tar", "manifest.json"}
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["counts"]["agreements.Agreement"] == 1
    assert manifest["counts"]["agreements.AgreementVersion"] == 1
    assert manifest["counts"]["samverkan.Organisation"] > 0
    assert manifest["pdfs"][stored.file.name]["sha256"] == hashlib.sha256(original_bytes).hexdigest()
    assert manifest["migrations"]["agreements"].startswith("0")
    assert "dumpad" in out.getvalue()

    media = tmp_path / "restored-media"
    result = _restore_process(tmp_path / "b", empty_database, media)

    assert result.returncode == 0, result.stderr
    assert "Kontroll OK" in result.stdout
    with _connect(empty_database) as restored:
        for table, model in [
            ("agreements_agreement", Agreement),
            ("agreements_agreementversion", AgreementVersion),
        ]:
            count = restored.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 - fixed names
            assert count == model.objects.count()
        row = restored.execute("SELECT file, sha256 FROM agreements_versionpdf").fetchone()
    assert row == (stored.file.name, stored.sha256)
    assert hashlib.sha256((media / row[0]).read_bytes()).hexdigest() == stored.sha256


@pytest.mark.django_db
def test_backup_refuses_a_directory_that_is_not_empty(tmp_path):
    target = tmp_path / "b"
    target.mkdir()
    (target / "annat.txt").write_text("finns redan")
    with pytest.raises(CommandError, match="inte en tom katalog"):
        call_command("backup", str(target), stdout=io.StringIO())
    assert [p.name for p in target.iterdir()] == ["annat.txt"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    agreement()
    call_command("backup", str(tmp_path / "b"), stdout=io.StringIO())
    before = Agreement.objects.count(), AgreementVersion.objects.count()
    with pytest.raises(CommandError, match="är inte tom"):
        call_command("restore", str(tmp_path / "b"), "--yes", stdout=io.StringIO())
    assert (Agreement.objects.count(), AgreementVersion.objects.count()) == before


@pytest.mark.django_db
def test_restore_refuses_a_directory_without_a_manifest(tmp_path):
    (tmp_path / "b").mkdir()
    with pytest.raises(CommandError, match=r"manifest\.json saknas"):
        call_command("restore", str(tmp_path / "b"), "--yes", stdout=io.StringIO())


def test_media_archive_cannot_write_outside_media_root(tmp_path):
    archive_path = tmp_path / "media.tar"
    with tarfile.open(archive_path, "w") as archive:
        data = b"elak"
        member = tarfile.TarInfo("../utanfor.txt")
        member.size = len(data)
        archive.addfile(member, io.BytesIO(data))
    with pytest.raises(backup_module.BackupError, match="otillåten post"):
        backup_module._extract_media(archive_path, tmp_path / "media")
    assert not (tmp_path / "utanfor.txt").exists()


def test_missing_pg_dump_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(backup_module.shutil, "which", lambda name: None)
    monkeypatch.setattr(backup_module.Path, "glob", lambda self, pattern: iter(()))
    with pytest.raises(backup_module.BackupError, match="Hittar inte pg_dump"):
        backup_module.find_program("pg_dump")


def test_verification_reports_changed_counts_and_checksums():
    manifest = {
        "migrations": {"agreements": "0006_x"},
        "counts": {"agreements.Agreement": 2},
        "pdfs": {"agreements/pdf/a.pdf": {"sha256": "aa"}, "agreements/pdf/b.pdf": {"sha256": "bb"}},
    }
    state = {
        "migrations": {"agreements": "0006_x"},
        "counts": {"agreements.Agreement": 1},
        "pdfs": {"agreements/pdf/a.pdf": {"sha256": "ab"}, "agreements/pdf/b.pdf": {"sha256": None}},
    }
    assert backup_module.compare(manifest, state) == [
        "antal agreements.Agreement: väntade 2, fick 1",
        "PDF agreements/pdf/a.pdf: kontrollsumman skiljer sig",
        "PDF agreements/pdf/b.pdf: filen saknas",
    ]
    assert backup_module.compare(manifest, {**state, **manifest}) == []
