"""Paths that climb out of /static/ or /media/ get 404 (or 400), never 500, whichever server answers: the
test client, the production WSGI application (WhiteNoise serves /static/), and the development server that
`make run` starts (runserver; it used to put Django's own static handler in front, which let
SuspiciousFileOperation through as a 500)."""

import io
import sys
from urllib.parse import unquote

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import get_commands, load_command_class

TRAVERSALS = [
    "/static/../manage.py",
    "/static/../../etc/passwd",
    "/static/css/../../manage.py",
    "/static/%2e%2e/manage.py",
    "/static/%2E%2E/%2E%2E/etc/passwd",
    "/static/..%2fmanage.py",
    "/static/..%5cmanage.py",
    "/static/%5c..%5cmanage.py",
    "/static/..%5c..%5cmanage.py",
    "/static/..\\manage.py",
    "/media/../x",
    "/media/%2e%2e/manage.py",
    "/media/..%5cmanage.py",
]


LEAK = b"DJANGO_SETTINGS_MODULE"  # in manage.py


def raw_get(application, raw_path: str) -> tuple[int, bytes]:
    """GET ``raw_path`` as a WSGI server passes it on: PATH_INFO is the path percent-decoded, as latin-1."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": unquote(raw_path, encoding="latin-1"),
        "RAW_URI": raw_path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    status = []
    body = b"".join(application(environ, lambda s, headers, exc_info=None: status.append(s)))
    return int(status[0].split()[0]), body


def development_server():
    """The WSGI application `manage.py runserver` serves, with its default options."""
    command = load_command_class(get_commands()["runserver"], "runserver")
    options = vars(command.create_parser("manage.py", "runserver").parse_args([]))
    return command.get_handler(**options)


@pytest.mark.parametrize("raw_path", TRAVERSALS)
def test_a_path_out_of_static_or_media_is_not_found_through_the_test_client(client, db, raw_path):
    response = client.get(raw_path)
    assert response.status_code in {400, 404}
    assert LEAK not in response.content


@pytest.mark.parametrize("raw_path", TRAVERSALS)
def test_a_raw_path_out_of_static_or_media_is_not_found_in_production(db, raw_path):
    status, body = raw_get(WSGIHandler(), raw_path)
    assert status in {400, 404}
    assert LEAK not in body


@pytest.mark.parametrize("raw_path", TRAVERSALS)
def test_a_raw_path_out_of_static_or_media_is_not_found_on_the_development_server(db, settings, raw_path):
    settings.DEBUG = True
    status, body = raw_get(development_server(), raw_path)
    assert status in {400, 404}
    assert LEAK not in body


def test_the_development_server_still_serves_static_files(db, settings):
    settings.DEBUG = True
    status, body = raw_get(development_server(), "/static/css/site.css")
    assert status == 200
    assert body
