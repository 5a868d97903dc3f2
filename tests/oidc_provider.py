"""A minimal OpenID Connect provider for tests: discovery, authorize, token, userinfo and JWKS.

It stands in for ID-porten, Feide or Entra ID. `/authorize` signs in the one configured
test user at once (no login page) and redirects back with a code; `/token` trades the
code (checking the client secret and the PKCE verifier) for an access token and an
RS256-signed id_token. Start it with `running_provider()`; it listens on 127.0.0.1 on a
free port, in a thread.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


@dataclass
class ProviderUser:
    sub: str
    email: str
    email_verified: bool = True
    given_name: str = "Test"
    family_name: str = "Person"

    def claims(self) -> dict[str, Any]:
        """The claims of the id_token and userinfo; no e-mail when it is empty (as ID-porten, which gives `pid`)."""
        claims: dict[str, Any] = {
            "sub": self.sub,
            "given_name": self.given_name,
            "family_name": self.family_name,
            "name": f"{self.given_name} {self.family_name}",
        }
        if self.email:
            claims.update(email=self.email, email_verified=self.email_verified)
        return claims


@dataclass
class Provider:
    client_id: str
    client_secret: str
    user: ProviderUser
    issuer: str = ""
    kid: str = "test-key-1"
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    tokens: dict[str, ProviderUser] = field(default_factory=dict)
    requests_seen: list[str] = field(default_factory=list)

    def configuration(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "profile", "email"],
        }

    def jwks(self) -> dict[str, Any]:
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            return 400, {}, {"error": "invalid_request"}
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "redirect_uri": query["redirect_uri"],
            "code_challenge": query.get("code_challenge", ""),
            "nonce": query.get("nonce", ""),
        }
        back = {"code": code, **({"state": query["state"]} if "state" in query else {})}
        return 302, {"Location": f"{query['redirect_uri']}?{urlencode(back)}"}, None

    def token(self, form: dict[str, str], authorization: str) -> tuple[int, dict[str, str], Any]:
        client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        if authorization.startswith("Basic "):
            client_id, _sep, secret = base64.b64decode(authorization[6:]).decode().partition(":")
        grant = self.codes.pop(form.get("code", ""), None)
        if (client_id, secret) != (self.client_id, self.client_secret) or grant is None:
            return 400, {}, {"error": "invalid_grant"}
        if form.get("redirect_uri") != grant["redirect_uri"] or not _pkce_ok(grant, form.get("code_verifier", "")):
            return 400, {}, {"error": "invalid_grant"}
        access_token = secrets.token_urlsafe(24)
        self.tokens[access_token] = self.user
        return (
            200,
            {},
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": self.id_token(grant["nonce"]),
            },
        )

    def id_token(self, nonce: str = "") -> str:
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": self.client_id, "iat": now, "exp": now + 300, **self.user.claims()}
        if nonce:
            claims["nonce"] = nonce
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})

    def userinfo(self, authorization: str) -> tuple[int, dict[str, str], Any]:
        user = self.tokens.get(authorization.removeprefix("Bearer "))
        return (200, {}, user.claims()) if user else (401, {}, {"error": "invalid_token"})


def _pkce_ok(grant: dict[str, str], verifier: str) -> bool:
    if not grant["code_challenge"]:
        return True
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == grant["code_challenge"]


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server API)
            url = urlsplit(self.path)
            provider.requests_seen.append(f"GET {url.path}")
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            routes = {
                "/.well-known/openid-configuration": lambda: (200, {}, provider.configuration()),
                "/jwks": lambda: (200, {}, provider.jwks()),
                "/authorize": lambda: provider.authorize(query),
                "/userinfo": lambda: provider.userinfo(self.headers.get("Authorization", "")),
            }
            self._answer(*routes.get(url.path, lambda: (404, {}, {"error": "not_found"}))())

        def do_POST(self) -> None:  # noqa: N802
            url = urlsplit(self.path)
            provider.requests_seen.append(f"POST {url.path}")
            body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
            form = {k: v[0] for k, v in parse_qs(body).items()}
            if url.path != "/token":
                self._answer(404, {}, {"error": "not_found"})
                return
            self._answer(*provider.token(form, self.headers.get("Authorization", "")))

        def _answer(self, status: int, headers: dict[str, str], payload: Any) -> None:
            body = json.dumps(payload).encode() if payload is not None else b""
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if payload is not None:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep the test output quiet

    return Handler


@contextmanager
def running_provider(
    user: ProviderUser, client_id: str = "lokalkomp-test", secret: str = "test-secret"
) -> Iterator[Provider]:
    provider = Provider(client_id=client_id, client_secret=secret, user=user)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(provider))
    provider.issuer = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
