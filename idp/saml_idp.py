"""A small SAML2 identity provider on pysaml2's own IdP (``saml2.server.Server``), for local use and the
tests. It signs its metadata and its assertions with a key pair of its own, shows a login form, and
supports single logout over the HTTP-Redirect binding.

    python -m idp.saml_idp --port 8801 --sp-metadata-url http://127.0.0.1:8000/konto/saml/metadata/ \
        --users users.json --state-dir var/idp/saml

``users.json``: {"username": {"password": "...", "uid": "...", "email": "...", "given_name": "...",
"family_name": "..."}}. The files it writes in the state dir: ``idp-key.pem``, ``idp-cert.pem``
(give the certificate to the portal as the metadata's signing certificate).
"""

import argparse
import base64
import html
import json
import threading
import urllib.parse
import urllib.request
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from saml2 import BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor, sign_entity_descriptor
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.sigver import SIG_RSA_SHA256, get_xmlsec_binary, security_context

REDIRECT_PARAMETERS = ("SAMLRequest", "RelayState", "SigAlg", "Signature")
# a SAML authentication context class, not a password
PASSWORD_CLASS = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"  # noqa: S105


def key_pair(state_dir: Path) -> tuple[str, str]:
    key, cert = state_dir / "idp-key.pem", state_dir / "idp-cert.pem"
    if not (key.exists() and cert.exists()):
        from signin.keys import self_signed_pair

        state_dir.mkdir(parents=True, exist_ok=True)
        key_pem, cert_pem = self_signed_pair("Lokal SAML-IdP")
        key.write_bytes(key_pem)
        cert.write_bytes(cert_pem)
    return str(key), str(cert)


def make_server_config(
    base_url: str, key_file: str, cert_file: str, sp_metadata: str | None, *, lifetime_minutes: int = 5
) -> IdPConfig:
    conf = {
        "entityid": base_url + "/metadata",
        "xmlsec_binary": get_xmlsec_binary(["/usr/bin", "/usr/local/bin"]),
        "key_file": key_file,
        "cert_file": cert_file,
        "service": {
            "idp": {
                "name": "Lokal SAML-IdP",
                "endpoints": {
                    "single_sign_on_service": [(base_url + "/sso/redirect", BINDING_HTTP_REDIRECT)],
                    "single_logout_service": [(base_url + "/slo/redirect", BINDING_HTTP_REDIRECT)],
                },
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                "policy": {
                    "default": {
                        "lifetime": {"minutes": lifetime_minutes},
                        "attribute_restrictions": None,
                        "name_form": "urn:oasis:names:tc:SAML:2.0:attrname-format:uri",
                    }
                },
                "want_authn_requests_signed": True,
                "sign_assertion": True,
                "sign_response": False,
            }
        },
        "metadata": {"inline": [sp_metadata]} if sp_metadata else {},
    }
    config = IdPConfig()
    config.load(conf)
    return config


def signed_metadata(config: IdPConfig) -> str:
    descriptor = entity_descriptor(config)
    _, xml = sign_entity_descriptor(descriptor, None, security_context(config), sign_alg=SIG_RSA_SHA256)
    return xml


class IdP:
    """The provider's state: its pysaml2 server (made when the portal's metadata is first needed), its users,
    and the people signed in here (so that single logout has something to end)."""

    def __init__(
        self,
        *,
        base_url: str,
        sp_metadata_url: str = "",
        users: dict,
        state_dir: Path,
        sp_metadata: str | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.sp_metadata_url = sp_metadata_url
        self.sp_metadata = sp_metadata
        self.users = users
        self.key_file, self.cert_file = key_pair(state_dir)
        self._server = None
        self._lock = threading.Lock()
        self.signed_in: set[str] = set()

    def server(self) -> Server:
        with self._lock:
            if self._server is None:
                sp_metadata = self.sp_metadata
                if sp_metadata is None:
                    with urllib.request.urlopen(self.sp_metadata_url, timeout=10) as answer:  # noqa: S310
                        sp_metadata = answer.read().decode("utf-8")
                self._server = Server(
                    config=make_server_config(self.base_url, self.key_file, self.cert_file, sp_metadata)
                )
            return self._server

    def metadata(self) -> str:
        return signed_metadata(make_server_config(self.base_url, self.key_file, self.cert_file, None))

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        query = dict(urllib.parse.parse_qsl(environ.get("QUERY_STRING", "")))
        try:
            if path == "/metadata":
                return _send(start_response, "200 OK", self.metadata(), "application/samlmetadata+xml")
            if path == "/sso/redirect" and method == "GET":
                return self.login_form(start_response, query)
            if path == "/login" and method == "POST":
                length = int(environ.get("CONTENT_LENGTH") or 0)
                form = dict(urllib.parse.parse_qsl(environ["wsgi.input"].read(length).decode("utf-8")))
                return self.login(start_response, form)
            if path == "/slo/redirect":
                return self.logout(start_response, query)
        except Exception as error:
            return _send(
                start_response, "400 Bad Request", _page("Fel", f"<p>{html.escape(repr(error))}</p>")
            )
        return _send(start_response, "404 Not Found", _page("Finns inte", "<p>Sidan finns inte.</p>"))

    def request(self, query: dict):
        """The signed AuthnRequest (HTTP-Redirect: the signature is in the query)."""
        return (
            self.server()
            .parse_authn_request(
                query["SAMLRequest"],
                BINDING_HTTP_REDIRECT,
                relay_state=query.get("RelayState"),
                sigalg=query.get("SigAlg"),
                signature=query.get("Signature"),
            )
            .message
        )

    def login_form(self, start_response, query: dict, error: str = ""):
        request = self.request(query)
        hidden = "".join(
            f'<input type="hidden" name="{k}" value="{html.escape(query[k])}">'
            for k in REDIRECT_PARAMETERS
            if k in query
        )
        body = (
            f"<p>Inloggning till <b>{html.escape(request.issuer.text)}</b>.</p>"
            + (f'<p role="alert">{html.escape(error)}</p>' if error else "")
            + '<form method="post" action="/login">'
            + hidden
            + '<p><label for="username">Användarnamn</label><br><input id="username" name="username"></p>'
            + '<p><label for="password">Lösenord</label><br>'
            + '<input id="password" name="password" type="password"></p>'
            + '<p><button type="submit">Logga in</button></p></form>'
        )
        return _send(start_response, "200 OK", _page("Lokal SAML-IdP: logga in", body))

    def login(self, start_response, form: dict):
        user = self.users.get(form.get("username", ""))
        if not user or user.get("password") != form.get("password"):
            return self.login_form(start_response, form, error="Fel användarnamn eller lösenord.")
        server = self.server()
        request = self.request(form)
        http_args = authn_response(server, request, user, relay_state=form.get("RelayState", ""))
        self.signed_in.add(user["uid"])
        return _send(start_response, "200 OK", http_args["data"])

    def logout(self, start_response, query: dict):
        start_response("303 See Other", [("Location", self.logout_answer(query))])
        return [b""]

    def logout_answer(self, query: dict) -> str:
        """End the person's session here; the URL of the signed LogoutResponse at the SP."""
        server = self.server()
        request = server.parse_logout_request(
            query["SAMLRequest"],
            BINDING_HTTP_REDIRECT,
            relay_state=query.get("RelayState"),
            sigalg=query.get("SigAlg"),
            signature=query.get("Signature"),
        )
        self.signed_in.discard(request.message.name_id.text)
        response = server.create_logout_response(request.message, [BINDING_HTTP_REDIRECT], sign=False)
        destination = server.metadata.single_logout_service(
            request.message.issuer.text, BINDING_HTTP_REDIRECT, "spsso"
        )[0]["location"]
        http_args = server.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(response),
            destination,
            query.get("RelayState", ""),
            response=True,
            sign=True,
            sigalg=SIG_RSA_SHA256,
        )
        return dict(http_args["headers"])["Location"]


def authn_response(
    server: Server,
    request,
    user: dict,
    *,
    relay_state: str = "",
    sign_assertion: bool = True,
    audience: str | None = None,
    recipient: str | None = None,
) -> dict:
    """A response to ``request`` for ``user``, to be posted back to the SP's consumer service (HTTP-POST):
    ``{"data": a page with the form, "SAMLResponse": ..., "RelayState": ..., "action": ...}``. The page has
    a button and no script, so that it works (and is checked) like any other page."""
    acs = recipient or request.assertion_consumer_service_url
    response = server.create_authn_response(
        identity={
            "email": [user["email"]],
            "given_name": [user.get("given_name", "")],
            "family_name": [user.get("family_name", "")],
        },
        in_response_to=request.id,
        destination=acs,
        sp_entity_id=audience or request.issuer.text,
        name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=user["uid"]),
        authn={"class_ref": PASSWORD_CLASS, "authn_auth": server.config.entityid},
        sign_assertion=sign_assertion,
        sign_response=False,
        sign_alg=SIG_RSA_SHA256,
    )
    encoded = base64.b64encode(str(response).encode("utf-8")).decode("ascii")
    body = (
        f"<p>Du är inloggad som {html.escape(user.get('given_name', ''))} "
        f"{html.escape(user.get('family_name', ''))}.</p>"
        f'<form method="post" action="{html.escape(acs)}">'
        f'<input type="hidden" name="SAMLResponse" value="{encoded}">'
        f'<input type="hidden" name="RelayState" value="{html.escape(relay_state)}">'
        '<p><button type="submit">Fortsätt till tjänsten</button></p></form>'
    )
    return {"data": _page("Lokal SAML-IdP: fortsätt", body), "SAMLResponse": encoded, "action": acs}


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="sv"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>"
        f"<body><main><h1>{html.escape(title)}</h1>{body}</main></body></html>"
    )


def _send(start_response, status: str, body: str, content_type: str = "text/html; charset=utf-8"):
    data = body.encode("utf-8")
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(data)))])
    return [data]


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def serve(idp: IdP, port: int, host: str = "127.0.0.1"):
    return make_server(host, port, idp, server_class=_ThreadingServer, handler_class=_QuietHandler)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--sp-metadata-url", required=True)
    parser.add_argument("--users", required=True)
    parser.add_argument("--state-dir", required=True)
    parser.add_argument(
        "--host-name", default="127.0.0.1", help="the name in its URLs (it listens on 127.0.0.1)"
    )
    args = parser.parse_args()
    base_url = f"http://{args.host_name}:{args.port}"
    idp = IdP(
        base_url=base_url,
        sp_metadata_url=args.sp_metadata_url,
        users=json.loads(Path(args.users).read_text(encoding="utf-8")),
        state_dir=Path(args.state_dir),
    )
    print(f"SAML-IdP på {base_url}/metadata", flush=True)
    serve(idp, args.port).serve_forever()


if __name__ == "__main__":
    main()
