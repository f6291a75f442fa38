"""The control API under ``/_emulator/``: drive the pod from tests, demos and the chat page.

Not part of Symphony's API and not authenticated (the emulator binds 127.0.0.1 by default).
Every endpoint answers bad input with a 4xx ``{code, message}`` naming the field.
"""

from __future__ import annotations

import base64
import sqlite3
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .. import __version__
from ..auth import expire_all_sessions
from ..domain.messages import create_message, v4_message
from ..domain.streams import create_im
from ..errors import ApiError
from ..events import v4_stream
from ..httputil import field, query_limit, read_json
from ..ids import normalize_id, to_standard_base64
from ..state import PodState, get_pod
from ..store import dumps, loads
from ..tls import generate_rsa_keypair, load_public_key_pem
from ..workdir import restore_bot_profile

MAX_USERNAME_LENGTH = 128


def _user_json(user: dict[str, Any]) -> dict[str, Any]:
    return {
        "userId": user["user_id"],
        "username": user["username"],
        "displayName": user["display_name"],
        "email": user["email"] or "",
        "firstName": user["first_name"] or "",
        "lastName": user["last_name"] or "",
        "bot": user["account_type"] == "SYSTEM",
        "accountType": user["account_type"],
        "active": bool(user["active"]),
        "roles": loads(user["roles_json"], []),
        "publicKey": user["public_key"],
        "certSubject": user["cert_subject"],
    }


def _user_ref(pod: PodState, value: Any, name: str) -> dict[str, Any]:
    if isinstance(value, bool) or not isinstance(value, (str, int)) or (isinstance(value, str) and not value):
        raise ApiError(400, f"Field '{name}' must be a username or a user id")
    user = pod.store.find_user(value)
    if user is None:
        raise ApiError(404, f"Field '{name}': no user {value!r}")
    return user


async def health(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def info(request: Request) -> JSONResponse:
    pod = get_pod(request)
    bot = pod.store.get_user(pod.bot_user_id)
    assert bot is not None
    settings = pod.settings
    return JSONResponse(
        {
            "version": __version__,
            "url": settings.base_url,
            "workdir": str(settings.workdir),
            "caPath": str(pod.ca.ca_path) if pod.ca else None,
            "bot": _user_json(bot),
            "tokenTtlSeconds": settings.token_ttl_s,
            "longPollSeconds": settings.long_poll_s,
            "ackTimeoutSeconds": settings.ack_timeout_s,
        }
    )


# ---------------------------------------------------------------------------------------------- users
async def create_user(request: Request) -> JSONResponse:
    pod = get_pod(request)
    body = await read_json(request)
    username = field(body, "username", str).strip()
    if not username or len(username) > MAX_USERNAME_LENGTH or any(ch.isspace() for ch in username):
        raise ApiError(400, f"Field 'username' must be 1-{MAX_USERNAME_LENGTH} characters without spaces")
    if username.isdigit():
        raise ApiError(400, "Field 'username' must not be all digits (it would read as a user id)")
    display_name = field(body, "displayName", str, default=None)
    email = field(body, "email", str, default=None)
    if email is not None and "@" not in email:
        raise ApiError(400, f"Field 'email' is not an email address: {email!r}")
    bot = field(body, "bot", bool, default=False)
    public_key = field(body, "publicKey", str, default=None)
    roles = field(body, "roles", list, default=[])
    if not all(isinstance(role, str) for role in roles):
        raise ApiError(400, "Field 'roles' must be an array of strings")
    names = {key: field(body, key, str, default=None) for key in ("firstName", "lastName")}
    private_key: str | None = None
    if public_key is not None:
        try:
            public_key = load_public_key_pem(public_key)
        except ValueError as exc:
            raise ApiError(400, f"Field 'publicKey': {exc}") from None
    elif bot:
        private_pem, public_pem = generate_rsa_keypair()
        private_key, public_key = private_pem.decode(), public_pem.decode()
    if pod.store.get_user_by_username(username) is not None:
        raise ApiError(409, f"A user named {username!r} already exists")
    if email is not None and pod.store.get_user_by_email(email) is not None:
        raise ApiError(409, f"A user with email {email!r} already exists")
    try:
        user = pod.store.create_user(
            username,
            display_name=display_name,
            email=email,
            bot=bot,
            public_key=public_key,
            first_name=names["firstName"],
            last_name=names["lastName"],
            roles_json=dumps(roles),
        )
    except sqlite3.IntegrityError as exc:
        raise ApiError(409, f"Cannot create user {username!r}: {exc}") from None
    result = _user_json(user)
    if private_key is not None:
        result["privateKey"] = private_key  # returned once; the pod keeps only the public key
    return JSONResponse(result, status_code=201)


async def list_users(request: Request) -> JSONResponse:
    return JSONResponse([_user_json(user) for user in get_pod(request).store.list_users()])


async def get_user(request: Request) -> JSONResponse:
    pod = get_pod(request)
    return JSONResponse(_user_json(_user_ref(pod, request.path_params["ref"], "user")))


async def issue_certificate(request: Request) -> JSONResponse:
    """A client certificate for mTLS auth (``/sessionauth``, ``/keyauth``), CN = the username."""
    pod = get_pod(request)
    user = _user_ref(pod, request.path_params["ref"], "user")
    body = await read_json(request, required=False) or {}
    password = field(body, "password", str, default=None)
    if pod.ca is None:
        raise ApiError(409, "This pod has no certificate authority")
    bundle = pod.ca.issue_client_certificate(user["username"], password)
    pod.store.update_user(user["user_id"], cert_subject=user["username"])
    return JSONResponse(
        {
            "subject": user["username"],
            "certificate": bundle.certificate_pem.decode(),
            "privateKey": bundle.private_key_pem.decode(),
            "pkcs12": base64.b64encode(bundle.pkcs12).decode(),
        },
        status_code=201,
    )


# ---------------------------------------------------------------------------------------------- messages
def _im_between(pod: PodState, sender: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    if other["user_id"] == sender["user_id"]:
        raise ApiError(400, "Field 'to' must name another user than 'from'")
    return create_im(pod, sender, [other["user_id"]])


async def post_message(request: Request) -> JSONResponse:
    pod = get_pod(request)
    body = await read_json(request)
    sender = _user_ref(pod, body.get("from"), "from")
    message = field(body, "message", str)
    if not message.strip():
        raise ApiError(400, "Field 'message' must not be empty")
    data = body.get("data")
    if data is not None and not isinstance(data, str):
        data = dumps(data)
    stream_id = field(body, "streamId", str, default=None)
    to = body.get("to")
    if (stream_id is None) == (to is None):
        raise ApiError(400, "Give exactly one of 'streamId' or 'to'")
    if stream_id is not None:
        stream = pod.store.get_stream(normalize_id(stream_id))
        if stream is None:
            raise ApiError(404, f"Field 'streamId': no stream {stream_id!r}")
    else:
        stream = _im_between(pod, sender, _user_ref(pod, to, "to"))
    if not pod.store.is_member(stream["stream_id"], sender["user_id"]):
        raise ApiError(403, f"User {sender['username']!r} is not a member of stream {stream['stream_id']}")
    # the same code path as POST /agent/v4/stream/{sid}/message/create
    return JSONResponse(create_message(pod, sender, stream["stream_id"], message, data=data))


async def stream_messages(request: Request) -> JSONResponse:
    pod = get_pod(request)
    stream_id = normalize_id(request.path_params["stream_id"])
    stream = pod.store.get_stream(stream_id)
    if stream is None:
        raise ApiError(404, f"No stream {request.path_params['stream_id']!r}")
    limit = query_limit(request, default=1000, maximum=100_000)
    rows = pod.store.stream_messages(stream_id, limit=limit)
    result = [v4_message(pod.store, row, stream=stream) for row in rows]
    return JSONResponse(result)


# ---------------------------------------------------------------------------------------------- elements
def _form_value(name: str, value: Any) -> Any:
    # strings by default (BDK 2.x rejects other types); lists only when the caller sends lists
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        if not all(isinstance(item, (str, int, float)) and not isinstance(item, bool) for item in value):
            raise ApiError(400, f"formValues['{name}'] must be a list of strings")
        return [str(item) for item in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    raise ApiError(
        400, f"formValues['{name}'] must be a string or a list of strings, got {type(value).__name__}"
    )


async def submit_elements(request: Request) -> JSONResponse:
    pod = get_pod(request)
    body = await read_json(request)
    user = _user_ref(pod, body.get("from"), "from")
    form_message_id = normalize_id(field(body, "formMessageId", str))
    form_id = field(body, "formId", str)
    raw_values = field(body, "formValues", dict)
    form_values = {str(key): _form_value(str(key), value) for key, value in raw_values.items()}
    if not isinstance(form_values.get("action"), str) or not form_values["action"]:
        raise ApiError(400, "formValues must contain 'action': the name of the button clicked")
    message = pod.store.get_message(form_message_id)
    if message is None:
        raise ApiError(404, f"Field 'formMessageId': no message {form_message_id!r}")
    if form_id not in message["message"]:
        raise ApiError(400, f"Message {form_message_id} has no form with id {form_id!r}")
    stream = pod.store.get_stream(message["stream_id"])
    assert stream is not None
    if not pod.store.is_member(stream["stream_id"], user["user_id"]):
        raise ApiError(403, f"User {user['username']!r} is not a member of stream {stream['stream_id']}")
    payload = {
        "stream": v4_stream(stream),
        "formMessageId": form_message_id,
        "formId": form_id,
        "formValues": form_values,
        # the Elements 1.1 shape the legacy SDK's SymElementsParser also reads
        "formStream": {"streamId": to_standard_base64(stream["stream_id"])},
        "actionStream": {"streamId": stream["stream_id"]},
    }
    event = pod.publish_event(
        "SYMPHONYELEMENTSACTION",
        payload,
        user["user_id"],
        pod.store.stream_member_ids(stream["stream_id"]),
        message_id=form_message_id,
    )
    return JSONResponse(event)


# ---------------------------------------------------------------------------------------------- datafeeds
async def list_datafeeds(request: Request) -> JSONResponse:
    """The datafeeds of a user (``?user=`` username or id): lets tests wait until a bot listens."""
    pod = get_pod(request)
    user = _user_ref(pod, request.query_params.get("user", ""), "user")
    feeds = pod.store.list_datafeeds(user["user_id"])
    return JSONResponse(
        [
            {
                "id": feed["feed_id"],
                "version": feed["version"],
                "userId": feed["user_id"],
                "tag": feed["tag"],
                "createdAt": feed["created_at"],
                "lastReadAt": feed["last_read_at"],
                "queuedEvents": pod.store.queued_event_count(feed["feed_id"]),
            }
            for feed in feeds
        ]
    )


# ---------------------------------------------------------------------------------------------- faults
async def add_fault(request: Request) -> JSONResponse:
    pod = get_pod(request)
    body = await read_json(request)
    try:
        rule = pod.faults.add(
            field(body, "path", str),
            method=field(body, "method", str, default=None),
            status=field(body, "status", int, default=None),
            delay_ms=field(body, "delayMs", int, default=None),
            drop=field(body, "drop", bool, default=False),
            times=field(body, "times", int, default=None),
            retry_after_s=field(body, "retryAfter", int, default=None),
        )
    except ValueError as exc:
        raise ApiError(400, str(exc)) from None
    return JSONResponse(rule.describe(), status_code=201)


async def list_faults(request: Request) -> JSONResponse:
    return JSONResponse([rule.describe() for rule in get_pod(request).faults.list()])


async def clear_faults(request: Request) -> Response:
    get_pod(request).faults.clear()
    return Response(status_code=204)


# ---------------------------------------------------------------------------------------------- state
async def expire_sessions(request: Request) -> Response:
    expire_all_sessions(get_pod(request))
    return Response(status_code=204)


async def reset(request: Request) -> Response:
    pod = get_pod(request)
    pod.store.reset([pod.bot_user_id])
    restore_bot_profile(pod.store, pod.bot_user_id)
    pod.faults.clear()
    pod.sessions.clear()
    pod.sessions.load(pod.store.query("SELECT * FROM sessions"))
    pod.hub.notify_all()  # long-polls of deleted feeds answer 400 at once
    return Response(status_code=204)


routes = [
    Route("/_emulator/health", health, methods=["GET"]),
    Route("/_emulator/info", info, methods=["GET"]),
    Route("/_emulator/users", create_user, methods=["POST"]),
    Route("/_emulator/users", list_users, methods=["GET"]),
    Route("/_emulator/users/{ref}", get_user, methods=["GET"]),
    Route("/_emulator/users/{ref}/certificate", issue_certificate, methods=["POST"]),
    Route("/_emulator/messages", post_message, methods=["POST"]),
    Route("/_emulator/streams/{stream_id}/messages", stream_messages, methods=["GET"]),
    Route("/_emulator/elements", submit_elements, methods=["POST"]),
    Route("/_emulator/datafeeds", list_datafeeds, methods=["GET"]),
    Route("/_emulator/faults", add_fault, methods=["POST"]),
    Route("/_emulator/faults", list_faults, methods=["GET"]),
    Route("/_emulator/faults", clear_faults, methods=["DELETE"]),
    Route("/_emulator/sessions/expire", expire_sessions, methods=["POST"]),
    Route("/_emulator/reset", reset, methods=["POST"]),
]
