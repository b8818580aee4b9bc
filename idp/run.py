"""Start the local identity providers as child processes on free ports (for the tests and ``make run``)."""

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
OIDC_MODULE = ROOT / "var" / "node" / "node_modules" / "oidc-provider" / "lib" / "index.js"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(url: str, process: subprocess.Popen, *, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[:2]} avslutades med kod {process.returncode}")
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} svarade inte inom {seconds} s")


@contextlib.contextmanager
def _serving(process: subprocess.Popen, base: str, ready_path: str) -> Iterator[str]:
    """Yield ``base`` once ``ready_path`` answers 200; stop the process afterwards."""
    try:
        _wait(base + ready_path, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def _users_file(users: dict, folder: Path) -> Path:
    path = folder / "users.json"
    path.write_text(json.dumps(users, ensure_ascii=False), encoding="utf-8")
    return path


@contextlib.contextmanager
def oidc_provider(
    *, client_id: str, client_secret: str, redirect_uri: str, post_logout_uri: str, users: dict, port: int = 0
) -> Iterator[str]:
    """node-oidc-provider on a free port; yields its issuer URL."""
    port = port or free_port()
    with tempfile.TemporaryDirectory() as folder:
        command = [
            "node",
            str(ROOT / "idp" / "oidc_provider.mjs"),
            "--module",
            str(OIDC_MODULE),
            "--port",
            str(port),
            "--client-id",
            client_id,
            "--client-secret",
            client_secret,
            "--redirect-uri",
            redirect_uri,
            "--post-logout-uri",
            post_logout_uri,
            "--users",
            str(_users_file(users, Path(folder))),
        ]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
        with _serving(process, f"http://127.0.0.1:{port}", "/.well-known/openid-configuration") as issuer:
            yield issuer


@contextlib.contextmanager
def saml_idp(
    *, sp_metadata_url: str, users: dict, state_dir: Path, port: int = 0, host_name: str = "127.0.0.1"
) -> Iterator[str]:
    """The pysaml2 IdP (idp/saml_idp.py) in its own process on a free port; yields its base URL (its
    metadata is at ``/metadata``, its certificate in ``state_dir/idp-cert.pem``). ``host_name`` is the name in
    its URLs: the portal's own name makes it the same site for the browser's cookies (as a provider on the
    same registrable domain is); another name makes the portal post the answer once more from its own page."""
    port = port or free_port()
    state_dir.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "idp.saml_idp",
        "--port",
        str(port),
        "--sp-metadata-url",
        sp_metadata_url,
        "--users",
        str(_users_file(users, state_dir)),
        "--state-dir",
        str(state_dir),
        "--host-name",
        host_name,
    ]
    process = subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL
    )
    with _serving(process, f"http://{host_name}:{port}", "/metadata") as base:
        yield base
