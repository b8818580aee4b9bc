"""Several app servers: two gunicorn processes on the same database and file storage share sessions and
stored PDFs (bench/two_servers.py; `make bench-two-servers` runs the same check on the demo data)."""

import sys
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from tests.factories import agreement, person

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from two_servers import two_servers_check


# The servers are other processes: they see only committed rows, hence a transactional test.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_session_and_a_stored_pdf_work_across_two_app_servers(tmp_path):
    version = agreement()
    user = person("1080", username="delad.session")
    hasher = PBKDF2PasswordHasher()  # the servers use the production hashers, not the tests' fast one
    user.password = hasher.encode("ett-langt-losenord", hasher.salt())
    user.save(update_fields=["password"])
    db = connection.settings_dict
    login = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    url = f"postgres://{login}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    media_root = tmp_path / "shared-media"
    media_root.mkdir()
    two_servers_check(
        database_url=url,
        media_root=media_root,
        username=user.username,
        password="ett-langt-losenord",
        pdf_path=f"/overenskommelser/{version.agreement_id}/version/{version.number}/pdf/",
        say=lambda line: None,
    )
