"""A production-like app server for the benchmarks: gunicorn with DEBUG off on a free loopback port.

HTTPS-only settings (redirect, secure cookies) are relaxed because the benchmarks talk plain HTTP on
127.0.0.1; everything else is as in production (collected, compressed static files; SMTP is never used).
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PGDIR = ROOT / "var" / "pg"
SECRET_KEY = "bench-server-" + "x" * 50


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def local_database_url(name: str = "samverkan") -> str:
    """DATABASE_URL from the environment, else the project-local cluster's database ``name``."""
    if url := os.environ.get("DATABASE_URL"):
        return url
    port = (PGDIR / "port").read_text().strip()
    return f"postgres://postgres@127.0.0.1:{port}/{name}"


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    """Production settings for a loopback server: DEBUG off, plain HTTP allowed."""
    return (
        os.environ
        | {
            "DEBUG": "false",
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "DATABASE_URL": database_url,
            "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "WARNING",
        }
        | extra
    )


def collectstatic(env: dict[str, str]) -> None:
    command = [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"]
    subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603 - our own fixed command


def wait_healthy(base: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)  # noqa: S310 - loopback
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int = 2, threads: int = 1, port: int | None = None):
    """Run gunicorn on 127.0.0.1 for the duration of the block; yields the base URL."""
    port = port or free_port()
    command = [sys.executable, "-m", "gunicorn", "samverkan.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers)]
    if threads > 1:
        command += ["--threads", str(threads), "--worker-class", "gthread"]
    server = subprocess.Popen(  # noqa: S603 - our own fixed command
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base)
        yield base
    finally:
        server.terminate()
        server.wait()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def login(base: str, username: str, password: str) -> str:
    """Log in through the login form; returns the Cookie header value of the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    form = opener.open(base + "/konto/logga-in/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    try:
        opener.open(base + "/konto/logga-in/", data=data.encode())
    except urllib.error.HTTPError as answer:
        if answer.code != 302:
            raise
    session = next((c.value for c in jar if c.name == "sessionid"), None)
    if session is None:
        raise RuntimeError(f"could not log in as {username} on {base}")
    return f"sessionid={session}"


def get(base: str, path: str, cookie: str | None = None, timeout: float = 120) -> tuple[int, bytes]:
    """GET without following redirects; returns (status, body)."""
    request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=timeout) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as answer:
        return answer.code, answer.read()
