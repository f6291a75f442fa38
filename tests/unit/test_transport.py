"""Transport layer without sockets: request preparation, multipart, retry decisions, routes
(proxy and TLS selection) and the mapping of urllib3/aiohttp failures."""

from __future__ import annotations

import random
import ssl
from pathlib import Path

import pytest
from test_client_support import make_config

from sym_api_client_python.core import errors
from sym_api_client_python.core.http import Component, Part, Request, Response, RetryPolicy
from sym_api_client_python.transport.base import (
    USER_AGENT,
    PreparedRequest,
    Route,
    encode_multipart,
    prepare_request,
    retry_delay,
)
from sym_api_client_python.transport.tls import build_routes, build_ssl_context

ROUTE = Route(Component.AGENT, "https://agent.test:8444/ctx")
TOKENS = {"sessionToken": "s-1", "keyManagerToken": "k-1"}


def prepare(request: Request, **kwargs: object) -> PreparedRequest:
    options: dict = {"token_headers": TOKENS, "connect_timeout": 3.0, "read_timeout": 30.0, **kwargs}
    return prepare_request(request, ROUTE, **options)


def test_prepare_url_headers_and_json_body() -> None:
    request = Request(
        "post",
        Component.AGENT,
        "/agent/v4/stream/a%2Bb/message",
        params={"skip": 0, "x": None, "ok": True},
        json={"a": "é"},
        headers={"X-Custom": "1"},
    )
    prepared = prepare(request)
    assert prepared.method == "POST"
    assert prepared.url == "https://agent.test:8444/ctx/agent/v4/stream/a%2Bb/message?skip=0&ok=true"
    assert prepared.path == "/ctx/agent/v4/stream/a%2Bb/message"
    assert prepared.body == '{"a":"é"}'.encode()
    headers = prepared.headers
    assert headers["Content-Type"] == "application/json"
    assert headers["Cache-Control"] == "no-cache" and headers["User-Agent"] == USER_AGENT
    assert headers["sessionToken"] == "s-1" and headers["keyManagerToken"] == "k-1"
    assert headers["X-Custom"] == "1"
    assert headers["X-Trace-Id"] == prepared.trace_id and len(prepared.trace_id) == 16
    assert (prepared.connect_timeout, prepared.read_timeout) == (3.0, 30.0)
    assert "s-1" not in repr(prepared)  # headers (tokens) are kept out of repr


def test_prepare_unauthenticated_and_timeout_override() -> None:
    prepared = prepare(
        Request("GET", Component.AGENT, "/agent/v5/datafeeds/x/read", timeout=90, authenticated=False)
    )
    assert "sessionToken" not in prepared.headers and prepared.body is None
    assert prepared.read_timeout == 90
    assert prepare(Request("GET", Component.AGENT, "/x")).trace_id != prepared.trace_id


def test_multipart_encoding() -> None:
    parts = [
        Part("message", "<messageML>é</messageML>"),
        Part("attachment", b"\x00\xff", filename='a"b.txt'),
        Part("preview", b"png", filename="p.png", content_type="image/png"),
    ]
    body, content_type = encode_multipart(parts, boundary="BOUNDARY")
    assert content_type == "multipart/form-data; boundary=BOUNDARY"
    assert body == (
        b'--BOUNDARY\r\nContent-Disposition: form-data; name="message"\r\n\r\n'
        + "<messageML>é</messageML>".encode()
        + b"\r\n"
        b'--BOUNDARY\r\nContent-Disposition: form-data; name="attachment"; filename="a\\"b.txt"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n\x00\xff\r\n"
        b'--BOUNDARY\r\nContent-Disposition: form-data; name="preview"; filename="p.png"\r\n'
        b"Content-Type: image/png\r\n\r\npng\r\n--BOUNDARY--\r\n"
    )
    prepared = prepare(Request("POST", Component.AGENT, "/x", multipart=parts))
    assert prepared.headers["Content-Type"].startswith("multipart/form-data; boundary=")


POLICY = RetryPolicy(max_attempts=3, initial_delay=1.0, max_delay=10.0)
GET = Request("GET", Component.POD, "/pod/v1/x")
POST = Request("POST", Component.AGENT, "/agent/v4/stream/s/message/create", idempotent=False)


@pytest.mark.parametrize(
    ("request_", "outcome", "retried"),
    [
        (GET, {"response": Response(503)}, True),
        (GET, {"response": Response(500)}, True),
        (GET, {"response": Response(404)}, False),
        (GET, {"response": Response(401)}, False),  # 401 is the auth layer's business
        (POST, {"response": Response(503)}, False),  # may have been processed: never twice
        (POST, {"response": Response(429)}, True),  # refused, nothing happened
        (GET, {"error": errors.TransportError("reset")}, True),
        (POST, {"error": errors.TransportError("reset after sending")}, False),
        (POST, {"error": errors.TransportError("refused", request_sent=False)}, True),
        (GET, {"error": errors.TlsError("bad cert", request_sent=False)}, False),
        (GET, {"error": errors.ProxyError("407", request_sent=False)}, False),
        (GET, {"error": ValueError("not a transport error")}, False),
    ],
)
def test_retry_decisions(request_: Request, outcome: dict, retried: bool) -> None:
    assert (retry_delay(POLICY, request_, 1, **outcome) is not None) is retried


def test_retry_backoff_grows_with_jitter_and_stops() -> None:
    rng = random.Random(1)
    delays = [POLICY.delay(attempt, rng=rng) for attempt in (1, 2)]
    assert 0.5 <= delays[0] <= 1.0 and 1.0 <= delays[1] <= 2.0
    assert retry_delay(POLICY, GET, 3, response=Response(503)) is None


def test_retry_after_is_honoured() -> None:
    delay = retry_delay(POLICY, GET, 1, response=Response(429, {"retry-after": "7"}))
    assert delay == 7


# ------------------------------------------------------------------------------ routes: proxy + TLS
def test_routes_pick_component_proxies(tmp_path: Path) -> None:
    config = make_config(
        tmp_path,
        proxyURL="http://global:3128",
        podProxyURL="http://pod-proxy:3128",
        keyManagerProxyURL="http://km-proxy:3128",
        keyAuthHost="km.test",
    )
    routes = build_routes(config)
    assert routes[Component.POD].proxy.url == "http://pod-proxy:3128"  # type: ignore[union-attr]
    assert routes[Component.SESSION_AUTH].proxy.url == "http://pod-proxy:3128"  # type: ignore[union-attr]
    assert routes[Component.KEY_AUTH].proxy.url == "http://km-proxy:3128"  # type: ignore[union-attr]
    assert routes[Component.AGENT].proxy.url == "http://global:3128"  # type: ignore[union-attr]
    assert routes[Component.KEY_AUTH].base_url == "https://km.test:443"


def test_proxy_credentials_header_and_encoding(tmp_path: Path) -> None:
    config = make_config(
        tmp_path, proxyURL="http://proxy:3128", proxyUsername="dom\\user", proxyPassword="p@ss:word"
    )
    proxy = build_routes(config)[Component.POD].proxy
    assert proxy is not None
    assert proxy.basic_auth_header() == "Basic ZG9tXHVzZXI6cEBzczp3b3Jk"
    assert proxy.url_with_credentials() == "http://dom%5Cuser:p%40ss%3Aword@proxy:3128"


def test_http_scheme_has_no_tls_and_https_verifies(tmp_path: Path) -> None:
    plain = build_routes(make_config(tmp_path, scheme="http"))
    assert all(route.ssl_context is None for route in plain.values())
    secure = build_routes(make_config(tmp_path))
    context = secure[Component.POD].ssl_context
    assert context is not None and context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert secure[Component.AGENT].ssl_context is context  # one context shared


def test_truststore_is_added_to_system_cas(tmp_path: Path) -> None:
    from integration.pki import make_pki

    pki = make_pki(tmp_path / "pki")
    default_count = len(ssl.create_default_context().get_ca_certs())
    context = build_ssl_context(pki.ca_path)
    subjects = [dict(item[0] for item in cert["subject"]) for cert in context.get_ca_certs()]
    assert {"commonName": "symbot test CA"} in subjects
    assert len(context.get_ca_certs()) == default_count + 1


def test_bad_truststore_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(errors.ConfigError, match=r"truststorePath: file .* does not exist"):
        build_ssl_context(tmp_path / "missing.pem")
    junk = tmp_path / "junk.pem"
    junk.write_text("junk")
    with pytest.raises(errors.ConfigError, match="not a PEM certificate bundle"):
        build_ssl_context(junk)


def test_client_certificate_only_on_auth_routes(tmp_path: Path) -> None:
    from integration.pki import make_pki
    from sym_api_client_python.transport.tls import load_client_certificate

    pki = make_pki(tmp_path / "pki")
    p12 = pki.write_client_p12("cert-bot", "pw")
    certificate = load_client_certificate(p12, "pw")
    assert b"BEGIN CERTIFICATE" in certificate.cert_pem and "PRIVATE" not in repr(certificate)
    routes = build_routes(make_config(tmp_path), client_certificate=certificate)
    assert routes[Component.SESSION_AUTH].ssl_context is routes[Component.KEY_AUTH].ssl_context
    assert routes[Component.POD].ssl_context is not routes[Component.SESSION_AUTH].ssl_context
    assert not list(tmp_path.glob("**/client.pem"))  # the temporary PEM is gone
    with pytest.raises(ValueError, match="wrong botCertPassword"):
        load_client_certificate(p12, "bad")
    with pytest.raises(ValueError, match="does not exist"):
        load_client_certificate(tmp_path / "none.p12", "pw")


# ------------------------------------------------------------------------------ error mapping
def _prepared() -> PreparedRequest:
    return prepare(Request("GET", Component.AGENT, "/agent/v1/x"))


def test_urllib3_error_mapping() -> None:
    from urllib3 import exceptions as u3

    from sym_api_client_python.transport.sync_urllib3 import map_urllib3_error

    prepared = _prepared()
    refused = map_urllib3_error(u3.NewConnectionError(None, "Connection refused"), prepared)  # type: ignore[arg-type]
    assert type(refused) is errors.TransportError and not refused.request_sent
    assert "cannot connect to agent.test:8444" in str(refused) and prepared.trace_id in str(refused)
    connect = map_urllib3_error(u3.ConnectTimeoutError("slow"), prepared)
    assert isinstance(connect, errors.TimeoutError_) and not connect.request_sent
    read = map_urllib3_error(u3.ReadTimeoutError(None, prepared.url, "read timed out"), prepared)  # type: ignore[arg-type]
    assert isinstance(read, errors.TimeoutError_) and read.request_sent and "within 30 s" in str(read)
    tls = map_urllib3_error(u3.SSLError("certificate verify failed"), prepared)
    assert isinstance(tls, errors.TlsError) and "agent.test:8444" in str(tls)
    proxy = map_urllib3_error(u3.ProxyError("Unable to connect to proxy", OSError("refused")), prepared)
    assert type(proxy) is errors.TransportError and "proxy" in str(proxy)
    refused = map_urllib3_error(
        u3.ProxyError(
            "Unable to connect to proxy",
            OSError("Tunnel connection failed: 407 Proxy Authentication Required"),
        ),
        prepared,
    )
    assert isinstance(refused, errors.ProxyError) and "rejected the proxy credentials (HTTP 407)" in str(
        refused
    )
    reset = map_urllib3_error(u3.ProtocolError("Connection aborted."), prepared)
    assert type(reset) is errors.TransportError and reset.request_sent
    assert reset.method == "GET" and reset.url == prepared.url


def test_aiohttp_error_mapping() -> None:
    import asyncio

    import aiohttp

    from sym_api_client_python.transport.async_aiohttp import map_aiohttp_error

    prepared = _prepared()
    timeout = map_aiohttp_error(asyncio.TimeoutError(), prepared)
    assert isinstance(timeout, errors.TimeoutError_) and timeout.request_sent
    disconnected = map_aiohttp_error(aiohttp.ServerDisconnectedError(), prepared)
    assert type(disconnected) is errors.TransportError and disconnected.request_sent
    assert "ServerDisconnectedError" in str(disconnected)


def test_client_certificate_temp_file_is_private_and_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import stat

    from integration.pki import make_pki
    from sym_api_client_python.transport import tls

    seen: list[tuple[str, int, bytes]] = []
    real = ssl.SSLContext.load_cert_chain

    def spy(self: ssl.SSLContext, certfile: str, *args: object, **kwargs: object) -> None:
        seen.append((certfile, stat.S_IMODE(os.stat(certfile).st_mode), Path(certfile).read_bytes()))
        real(self, certfile, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ssl.SSLContext, "load_cert_chain", spy)
    pem = make_pki(tmp_path / "pki").write_client_pem("pem-bot")
    tls.build_ssl_context(None, tls.load_client_certificate(pem))
    ((path, mode, content),) = seen
    assert mode == 0o600 and b"PRIVATE KEY" in content
    assert not Path(path).exists() and not Path(path).parent.exists()
