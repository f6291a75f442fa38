"""The hot routes (message create) skip Starlette's router and exception layers and answer exactly
what the full stack answers: same statuses, same ``{code, message}`` bodies, faults and the body
limit still applied, 401 before anything else."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import Match, Route
from starlette.types import Message

import sympod.app
import sympod.routes.agent_messages
from sympod.app import HOT_ROUTES, create_app
from sympod.auth import KEY_MANAGER, SESSION, issue_token
from sympod.domain.streams import create_im
from sympod.errors import ApiError
from sympod.routes import collect_routes
from sympod.state import PodState, Settings
from sympod.workdir import open_pod

BOUNDARY = "perfpathsboundary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


def _multipart(**fields: str) -> bytes:
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    return ("".join(parts) + f"--{BOUNDARY}--\r\n").encode()


def _form(*parts: tuple[str, str | None, bytes]) -> bytes:
    """A multipart body of (name, file name or None, content) parts."""
    chunks = []
    for name, filename, content in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        chunks.append(
            f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + content + b"\r\n"
        )
    return b"".join(chunks) + f"--{BOUNDARY}--\r\n".encode()


def test_each_hot_route_is_the_only_route_matching_its_paths() -> None:
    routes = collect_routes()
    hot = [route for route in routes if isinstance(route, Route) and route.path in HOT_ROUTES]
    assert [route.path for route in hot] == list(HOT_ROUTES)
    for route in hot:
        for value in ("x", "rLc5IiQog1m-7uXBV4QSb5WNnGFUJypJwQ", "a_b-c", "A+b", "123", "create", "message"):
            path = route.path.replace("{sid}", value)
            for method in ("GET", "POST", "PUT", "DELETE"):
                scope = {"type": "http", "path": path, "root_path": "", "method": method}
                matching = [other for other in routes if other.matches(scope)[0] is not Match.NONE]
                assert matching == [route], (method, path, matching)


class _Pod:
    """One pod served by two apps: with the hot-route dispatch, and with every route through Starlette."""

    def __init__(self, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.pod: PodState = open_pod(Settings(workdir=workdir, max_body_bytes=4096), tls=False).pod
        self.fast = create_app(self.pod)
        with monkeypatch.context() as patch:
            patch.setattr(sympod.app, "HOT_ROUTES", {})
            self.plain = create_app(self.pod)
        store = self.pod.store
        bot = store.get_user(self.pod.bot_user_id)
        assert bot is not None
        self.alice = store.create_user("alice")
        self.carol = store.create_user("carol")
        self.im = create_im(self.pod, self.alice, [self.pod.bot_user_id])["stream_id"]
        self.tokens = {
            "sessiontoken": issue_token(self.pod, bot, SESSION)["token"],
            "keymanagertoken": issue_token(self.pod, bot, KEY_MANAGER)["token"],
        }
        carol = store.get_user(self.carol["user_id"])
        assert carol is not None
        self.carol_tokens = {
            "sessiontoken": issue_token(self.pod, carol, SESSION)["token"],
            "keymanagertoken": issue_token(self.pod, carol, KEY_MANAGER)["token"],
        }
        store.commit()

    def call(
        self, app: Starlette, method: str, path: str, body: bytes, headers: dict[str, str]
    ) -> tuple[int, Any, dict[str, Any]]:
        """Status, decoded JSON body and the scope after the request."""
        raw_headers = [(b"host", b"127.0.0.1")] + [
            (name.lower().encode(), value.encode()) for name, value in headers.items()
        ]
        if "content-length" not in headers:
            raw_headers.append((b"content-length", str(len(body)).encode()))
        scope: dict[str, Any] = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
            "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
            "headers": raw_headers, "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 2), "extensions": {},
        }  # fmt: skip
        sent: list[Message] = []
        chunks = [body[:10], body[10:]]

        async def receive() -> Message:
            if chunks:
                chunk = chunks.pop(0)
                return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}
            return {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            sent.append(message)

        asyncio.run(app(scope, receive, send))
        status = sent[0]["status"]
        payload = b"".join(message.get("body", b"") for message in sent[1:])
        return status, json.loads(payload) if payload else None, scope


@pytest.fixture
def pods(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[_Pod]:
    pods = _Pod(tmp_path, monkeypatch)
    yield pods
    pods.pod.store.close()


def _same_answer(pods: _Pod, method: str, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
    fast_status, fast_body, _ = pods.call(pods.fast, method, path, body, headers)
    plain_status, plain_body, _ = pods.call(pods.plain, method, path, body, headers)
    assert fast_status == plain_status, (fast_body, plain_body)
    if fast_status == 200:  # two messages: ids and times differ, nothing else
        for varying in ("messageId", "timestamp"):
            assert fast_body.pop(varying) != plain_body.pop(varying) or varying == "timestamp"
        for answer in (fast_body, plain_body):
            for attachment in answer.get("attachments", []):
                attachment.pop("id")
    assert fast_body == plain_body
    return fast_status, fast_body


def test_success_and_every_error_answer_as_through_starlette(pods: _Pod) -> None:
    create = f"/agent/v4/stream/{pods.im}/message/create"
    message = _multipart(message="<messageML>hi <b>there</b></messageML>")
    auth = {"content-type": MULTIPART, **pods.tokens}
    cases: list[tuple[str, str, bytes, dict[str, str], int]] = [
        ("POST", create, message, auth, 200),
        ("POST", create + "/", message, auth, 200),  # trailing slash stripped first
        ("POST", create, message, {"content-type": MULTIPART}, 401),
        ("POST", create, message, {**auth, "keymanagertoken": "nope"}, 401),
        ("POST", create, message, {"content-type": MULTIPART, **pods.carol_tokens}, 403),
        ("POST", "/agent/v4/stream/unknown/message/create", message, auth, 400),
        ("POST", create, _multipart(message="<messageML><b>x</messageML>"), auth, 400),
        ("POST", create, _multipart(message=" "), auth, 400),
        ("POST", create, _multipart(data="{}"), auth, 400),
        ("POST", create, b"--x\r\nbroken", {**auth, "content-type": "multipart/form-data; boundary=x"}, 400),
        ("POST", create, b"message=hi", {**auth, "content-type": "application/x-www-form-urlencoded"}, 400),
        ("POST", create, json.dumps({"message": "<messageML>j</messageML>"}).encode(),
         {**auth, "content-type": "application/json"}, 200),
        ("POST", create, b"{", {**auth, "content-type": "application/json"}, 400),
        ("POST", create, b"x" * 5000, auth, 413),  # declared
        ("POST", create, b"x" * 5000, {**auth, "content-length": "100"}, 413),  # streamed
        ("GET", create, b"", auth, 405),
        # what the hot handler leaves to the general route: files, odd parts, other content types
        ("POST", create, _form(("message", "message", b"<messageML>as a file part</messageML>")), auth, 200),
        ("POST", create, _form(("message", None, b"hi"), ("attachment", "a.txt", b"x")), auth, 200),
        ("POST", create, _form(("message", None, b"hi"), ("attachment", "a.exe", b"x")), auth, 400),
        ("POST", create, _multipart(message="hi", attachment="not a file"), auth, 400),
        ("POST", create, _multipart(message="hi", preview="not a file"), auth, 400),
        ("POST", create, message, {**pods.tokens}, 400),  # no content type
        ("POST", create, b"x" * 5000, {**auth, "content-type": "text/plain", "content-length": "10"}, 400),
        ("POST", create, message, {**auth, "sessiontoken": pods.carol_tokens["sessiontoken"]}, 401),
    ]  # fmt: skip
    for method, path, body, headers, expected in cases:
        status, answer = _same_answer(pods, method, path, body, headers)
        assert status == expected, (method, path, headers, answer)
        if status >= 400:
            assert answer["code"] == status and answer["message"]


def test_the_hot_path_knows_every_exception_handler_of_the_app(pods: _Pod) -> None:
    # _serve_endpoint answers these two itself: a handler added to create_app must be added there too
    assert set(pods.fast.exception_handlers) == {ApiError, HTTPException}


def test_hot_route_skips_the_router_and_the_others_do_not(pods: _Pod) -> None:
    create = f"/agent/v4/stream/{pods.im}/message/create"
    headers = {"content-type": MULTIPART, **pods.tokens}
    status, _, scope = pods.call(pods.fast, "POST", create, _multipart(message="hi"), headers)
    assert status == 200 and "router" not in scope and scope["path_params"] == {"sid": pods.im}
    status, _, scope = pods.call(pods.fast, "GET", "/agent/v3/health", b"", {})
    assert status == 200 and "router" in scope
    status, _, scope = pods.call(pods.fast, "GET", create, b"", headers)  # not a full match: the router
    assert status == 405 and "router" in scope


def test_faults_apply_to_the_hot_route(pods: _Pod) -> None:
    create = f"/agent/v4/stream/{pods.im}/message/create"
    headers = {"content-type": MULTIPART, **pods.tokens}
    pods.pod.faults.add(r"/message/create$", status=503, times=2, retry_after_s=1)
    status, answer = _same_answer(pods, "POST", create, _multipart(message="hi"), headers)
    assert status == 503 and answer["message"].startswith("Injected fault")
    assert pods.call(pods.fast, "POST", create, _multipart(message="hi"), headers)[0] == 200


def test_an_unexpected_error_is_a_500_with_its_type(pods: _Pod, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("boom")

    monkeypatch.setattr("sympod.domain.messages.create_message", broken)
    create = f"/agent/v4/stream/{pods.im}/message/create"
    headers = {"content-type": MULTIPART, **pods.tokens}
    status, answer = _same_answer(pods, "POST", create, _multipart(message="hi"), headers)
    assert status == 500 and "KeyError" in answer["message"]


def test_text_fields_take_the_hot_handler_and_files_the_general_route(
    pods: _Pod, monkeypatch: pytest.MonkeyPatch
) -> None:
    general = sympod.routes.agent_messages.create_message
    calls: list[str] = []

    async def counting(request: Any) -> Any:
        calls.append(request.scope["path"])
        return await general(request)

    monkeypatch.setattr(sympod.routes.agent_messages, "create_message", counting)
    create = f"/agent/v4/stream/{pods.im}/message/create"
    headers = {"content-type": MULTIPART, **pods.tokens}
    assert pods.call(pods.fast, "POST", create, _multipart(message="hi", data="{}"), headers)[0] == 200
    assert calls == []
    file_part = _form(("message", "message", b"<messageML>hi</messageML>"))
    assert pods.call(pods.fast, "POST", create, file_part, headers)[0] == 200
    json_body = json.dumps({"message": "hi"}).encode()
    assert (
        pods.call(pods.fast, "POST", create, json_body, {**headers, "content-type": "application/json"})[0]
        == 200
    )
    assert calls == [create, create]
