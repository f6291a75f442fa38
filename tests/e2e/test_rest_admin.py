"""Admin operations (modern and legacy) with an admin service account created on the emulator."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.e2e.e2e_support import bot_user_config, legacy_bot

from sym_api_client_python.client import SyncApiClient
from sym_api_client_python.clients.sym_bot_client import SymBotClient
from sym_api_client_python.core.errors import ForbiddenError, NotFoundError
from sym_api_client_python.core.models.rest import UserDetail
from sym_api_client_python.rest import SyncServices


@pytest.fixture
def admin_config(pod: Any, bot_config_file: Path, tmp_path: Path) -> Path:
    """bot-config.json of a new bot holding the SUPER_ADMINISTRATOR role."""
    return bot_user_config(
        pod, bot_config_file, "admin-bot", tmp_path, display_name="Admin Bot", roles=["SUPER_ADMINISTRATOR"]
    )


@pytest.fixture
def admin(admin_config: Path) -> Iterator[SyncServices]:
    client = SyncApiClient.from_config(admin_config)
    try:
        yield SyncServices(client)
    finally:
        client.close()


@pytest.fixture
def legacy_admin(admin_config: Path) -> Iterator[SymBotClient]:
    bot = legacy_bot(admin_config)
    try:
        yield bot
    finally:
        bot.close()


def test_plain_bot_is_refused_admin_calls(pod: Any, bot_config_file: Path) -> None:
    with (
        SyncApiClient.from_config(bot_config_file) as client,
        pytest.raises(ForbiddenError, match="not entitled"),
    ):
        SyncServices(client).admin.list_users()


def test_admin_users_roles_features_avatar(pod: Any, admin: SyncServices) -> None:
    created = admin.admin.create_user(
        {
            "userAttributes": {
                "emailAddress": "zoe@example.com",
                "userName": "zoe",
                "displayName": "Zoe",
                "firstName": "Zoe",
                "lastName": "Z",
                "accountType": "NORMAL",
            },
            "roles": ["INDIVIDUAL"],
        }
    )
    assert isinstance(created, UserDetail) and created.user_system_info and created.user_system_info.id
    uid = created.user_system_info.id
    assert admin.admin.get_user(uid).user_attributes.user_name == "zoe"  # type: ignore[union-attr]
    updated = admin.admin.update_user(uid, {"displayName": "Zoe Z"})
    assert updated.user_attributes.display_name == "Zoe Z"  # type: ignore[union-attr]
    assert uid in [u.user_system_info.id for u in admin.admin.iter_users(chunk_size=2) if u.user_system_info]
    assert admin.admin.list_users(limit=1)
    admin.admin.update_user_status(uid, "DISABLED")
    assert admin.admin.get_user_status(uid).status == "DISABLED"
    assert uid in [
        u.user_system_info.id for u in admin.admin.find_users({"status": "DISABLED"}) if u.user_system_info
    ]
    admin.admin.update_user_status(uid, "ENABLED")
    roles = {r.id for r in admin.admin.list_roles()}
    assert "USER_PROVISIONING" in roles
    admin.admin.add_role(uid, "USER_PROVISIONING")
    assert "USER_PROVISIONING" in (admin.admin.get_user(uid).roles or [])
    admin.admin.remove_role(uid, "USER_PROVISIONING")
    assert "USER_PROVISIONING" not in (admin.admin.get_user(uid).roles or [])
    features = admin.admin.list_pod_features()
    assert features
    admin.admin.update_user_features(uid, [{"entitlment": features[0], "enabled": False}])
    assert {f.entitlment: f.enabled for f in admin.admin.get_user_features(uid)}[features[0]] is False
    admin.admin.update_avatar(uid, b"\x89PNG fake image")
    assert admin.admin.get_avatar(uid) is not None
    with pytest.raises(ValueError, match="ENABLED"):
        admin.admin.update_user_status(uid, "SUSPENDED")


def test_admin_streams_messages(pod: Any, admin: SyncServices) -> None:
    amy, ben = pod.create_user("amy"), pod.create_user("ben")
    im = admin.streams.create_im_admin([amy["userId"], ben["userId"]])
    message = pod.send_message("amy", "secret", stream_id=im.id)
    enterprise = admin.streams.list_enterprise({"streamTypes": [{"type": "IM"}]})
    assert im.id in [s.id for s in enterprise.streams]
    assert im.id in [s.id for s in admin.admin.list_streams().streams]
    members = admin.streams.list_members(im.id)
    assert {amy["userId"], ben["userId"]} <= {m.user["userId"] for m in members.members if m.user}
    assert len(list(admin.streams.iter_members(im.id, chunk_size=1))) == members.count
    receipts = admin.messages.list_receipts(message["messageId"])
    assert "MessageReceiptDetail" in receipts
    assert message["messageId"] in json.dumps(admin.messages.list_ids_by_timestamp(im.id, since=0))
    suppressed = admin.admin.suppress_message(message["messageId"])
    assert suppressed.suppressed is True
    imported = admin.messages.import_messages(
        [
            {
                "message": "<messageML>archived</messageML>",
                "format": "MESSAGEML",
                "intendedMessageTimestamp": 1_600_000_000_000,
                "intendedMessageFromUserId": amy["userId"],
                "originatingSystemId": "archive",
                "streamId": im.id,
            }
        ]
    )
    assert imported and imported[0].message_id


def test_legacy_admin_client(pod: Any, legacy_admin: SymBotClient) -> None:
    client = legacy_admin.get_admin_client()
    created = client.admin_create_user(
        {
            "userAttributes": {"emailAddress": "y@example.com", "userName": "yan", "displayName": "Yan"},
            "roles": [],
        }
    )
    uid = created["userSystemInfo"]["id"]
    assert client.admin_get_user(uid)["userAttributes"]["userName"] == "yan"
    assert client.admin_update_user(uid, {"displayName": "Yan Y"})["userAttributes"]["displayName"] == "Yan Y"
    assert uid in [u["userSystemInfo"]["id"] for u in client.admin_list_users(0, 100)]
    client.admin_update_avatar(uid, base64.b64encode(b"img").decode())
    assert client.admin_get_user_avatar(uid) is not None
    client.admin_update_user_status(uid, "DISABLED")
    assert client.admin_get_user_status(uid)["status"] == "DISABLED"
    features = client.admin_list_pod_features()
    client.admin_update_user_features(uid, [{"entitlment": features[0], "enabled": True}])
    assert client.admin_get_user_features(uid)
    assert uid in [u["userSystemInfo"]["id"] for u in client.admin_find_users({"status": "DISABLED"})]
    client.admin_update_user_status(uid, "ENABLED")
    assert client.admin_list_roles()
    client.admin_add_role(uid, {"id": "USER_PROVISIONING"})
    client.admin_remove_role(uid, {"id": "USER_PROVISIONING"})
    assert "USER_PROVISIONING" not in client.admin_get_user(uid).get("roles", [])

    amy = pod.create_user("amy2")
    streams = legacy_admin.get_stream_client()
    im = streams.create_im_admin([amy["userId"], uid])["id"]
    assert im in [s["id"] for s in streams.list_streams_enterprise_v2(0, 100)["streams"]]
    assert streams.get_stream_members(im)["count"] == 2
    message = pod.send_message("amy2", "hello", stream_id=im)
    messages = legacy_admin.get_message_client()
    imported = client.import_message(
        {
            "message": "<messageML>old</messageML>",
            "format": "MESSAGEML",
            "intendedMessageTimestamp": 1_600_000_000_000,
            "intendedMessageFromUserId": amy["userId"],
            "originatingSystemId": "legacy",
            "streamId": im,
        }
    )
    assert imported[0]["messageId"]
    again = messages.import_message(
        {
            "message": "<messageML>older</messageML>",
            "format": "MESSAGEML",
            "intendedMessageTimestamp": 1_500_000_000_000,
            "intendedMessageFromUserId": amy["userId"],
            "originatingSystemId": "legacy",
            "streamId": im,
        }
    )
    assert again[0]["messageId"]
    assert client.suppress_message(message["messageId"])["suppressed"] is True
    presence = legacy_admin.get_presence_client()
    assert presence.set_user_presence(amy["userId"], "BUSY")["category"] == "BUSY"
    assert presence.get_user_status(amy["userId"])["category"] == "BUSY"
    assert messages.suppress_message(imported[0]["messageId"])["suppressed"] is True


def test_admin_generic_operations(pod: Any, admin: SyncServices) -> None:
    kim = pod.create_user("kim")
    room = admin.streams.create_room(name="Admin room")
    room_id = room.room_system_info.id  # type: ignore[union-attr]
    admin.streams.add_member(room_id, kim["userId"])
    deactivated = admin.streams.set_room_active_admin(room_id, active=False)
    assert deactivated["roomSystemInfo"]["active"] is False
    streams = admin.streams.list_user_streams_admin(
        kim["userId"], body={"streamTypes": [{"type": "ROOM"}], "includeInactiveStreams": True}
    )
    assert room_id in [s["id"] for s in streams]
    admin.admin.update_user_suspension(kim["userId"], body={"suspended": True, "suspensionReason": "test"})
    status = admin.admin.get_user_status(kim["userId"])
    assert status.suspended is True


def _skip_if_route_missing(exc: NotFoundError) -> None:
    if "No such endpoint" in exc.message:
        pytest.skip(f"the emulator has no route for this operation: {exc.message}")


def test_legacy_enterprise_streams_receipts_and_message_ids(pod: Any, legacy_admin: SymBotClient) -> None:
    nina = pod.create_user("nina")
    streams = legacy_admin.get_stream_client()
    im = streams.create_im([nina["userId"]])["id"]
    assert im in [s["id"] for s in streams.list_streams_enterprise(0, 100)["streams"]]
    messages = legacy_admin.get_message_client()
    sent = messages.send_msg(im, {"message": "<messageML>receipt me</messageML>"})
    try:
        receipts = messages.list_msg_receipts(sent["messageId"])
        ids = messages.get_msg_ids_by_timestamp(im, since=0)
    except NotFoundError as exc:
        _skip_if_route_missing(exc)
        raise
    assert isinstance(receipts, dict) and "MessageReceiptDetail" in receipts
    assert sent["messageId"] in json.dumps(ids)
