"""Every event type the emulator emits reaches the right legacy callback (sync and async
services, datafeed v1 and v2) over real sockets. Helpers here are shared by the other
tests/e2e/test_datafeed_*.py, test_bot_*.py and test_fault_matrix.py modules."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.unit.datafeed.helpers import recording_listener_class

from sym_api_client_python.client import SyncApiClient
from sym_api_client_python.rest import SyncServices

FORM = (
    '<messageML><form id="order"><text-field name="qty"/>'
    '<button name="submit" type="action">Order</button></form></messageML>'
)

# event type -> legacy listener method (MESSAGESENT in a room / an IM is told apart by the stream)
CALLBACKS = {
    "INSTANTMESSAGECREATED": "on_im_created",
    "USERJOINEDROOM": "on_user_joined_room",
    "ROOMUPDATED": "on_room_updated",
    "ROOMMEMBERPROMOTEDTOOWNER": "on_room_member_promoted_to_owner",
    "ROOMMEMBERDEMOTEDFROMOWNER": "on_room_member_demoted_from_owner",
    "ROOMDEACTIVATED": "on_room_deactivated",
    "ROOMREACTIVATED": "on_room_reactivated",
    "CONNECTIONREQUESTED": "on_connection_requested",
    "SYMPHONYELEMENTSACTION": "on_elements_action",
    "USERLEFTROOM": "on_user_left_room",
}
EXPECTED_CALLS = {*CALLBACKS.values(), "on_im_message", "on_room_msg"}


def wait_until(predicate: Callable[[], Any], timeout: float = 15.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


async def async_wait_until(
    predicate: Callable[[], Any], timeout: float = 15.0, what: str = "condition"
) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        await asyncio.sleep(0.02)
    raise AssertionError(f"timed out after {timeout} s waiting for {what} (last value: {predicate()!r})")


def config_variant(pod: Any, name: str, **changes: Any) -> Path:
    """A copy of the emulator's bot-config.json with some keys changed."""
    data = json.loads(Path(pod.bot_config_path).read_text())
    data.update(changes)
    path = Path(pod.workdir) / f"{name}.json"
    path.write_text(json.dumps(data))
    return path


def peer_services(pod: Any, username: str) -> tuple[dict[str, Any], SyncServices]:
    """A second user (created with a key pair) and REST services acting as that user."""
    user = pod.create_user(username, username.capitalize(), bot=True)
    key = Path(pod.workdir) / f"{username}.pem"
    key.write_text(user["privateKey"])
    config = config_variant(
        pod,
        username,
        botUsername=username,
        botPrivateKeyPath=str(key.parent) + "/",
        botPrivateKeyName=key.name,
    )
    return user, SyncServices(SyncApiClient.from_config(config))


def drive_events(pod: Any, alice: SyncServices, bot_services: SyncServices) -> None:
    """Make the emulator emit every event type it supports, as user alice (and one own event)."""
    bot_id = pod.bot["userId"]
    im = pod.send_message("alice", "hello bot", to=bot_id)
    room = alice.streams.create_room(name="events room", description="for tests")
    room_id = room.room_system_info.id
    alice.streams.add_member(room_id, bot_id)
    pod.send_message("alice", "hello room", stream_id=room_id)
    alice.streams.update_room(room_id, description="changed")
    alice.streams.promote_owner(room_id, bot_id)
    alice.streams.demote_owner(room_id, bot_id)
    alice.streams.set_room_active(room_id, False)
    alice.streams.set_room_active(room_id, True)
    alice.connections.create(bot_id)
    form = bot_services.messages.send(im["stream"]["streamId"], FORM)  # the bot's own event: skipped
    pod.submit_form("alice", form.message_id, "order", {"action": "submit", "qty": "2"})
    alice.streams.remove_member(room_id, bot_id)


def recorder(asynchronous: bool = False) -> Any:
    """A listener implementing every legacy interface that records ``(method, argument)``."""
    methods = {
        *EXPECTED_CALLS,
        "on_room_created",
        "on_connection_accepted",
        "on_wall_post_msg",
        "on_shared_post",
        "on_message_suppression",
    }
    return recording_listener_class(methods, asynchronous=asynchronous)()


def check_shapes(calls: list[tuple[str, Any]]) -> None:
    by_method: dict[str, list[Any]] = {}
    for method, arg in calls:
        by_method.setdefault(method, []).append(arg)
    assert set(by_method) >= EXPECTED_CALLS, sorted(EXPECTED_CALLS - set(by_method))
    assert by_method["on_im_message"][0]["stream"]["streamType"] == "IM"  # a V4Message dict
    assert by_method["on_room_msg"][0]["stream"]["streamType"] == "ROOM"
    assert by_method["on_elements_action"][0]["type"] == "SYMPHONYELEMENTSACTION"  # the whole event
    assert by_method["on_elements_action"][0]["payload"]["symphonyElementsAction"]["formValues"]["qty"] == "2"
    assert "affectedUser" in by_method["on_user_joined_room"][0]  # the payload part
    assert "toUser" in by_method["on_connection_requested"][0]
    texts = [m["message"] for m in by_method["on_im_message"]]
    assert not any("<form" in t for t in texts), "the bot's own message must be skipped"


def legacy_bot_client(config_path: Path) -> Any:
    from sym_api_client_python.auth.rsa_auth import SymBotRSAAuth
    from sym_api_client_python.clients.sym_bot_client import SymBotClient
    from sym_api_client_python.configure.configure import SymConfig

    configure = SymConfig(str(config_path))
    configure.load_config()
    auth = SymBotRSAAuth(configure)
    auth.authenticate()
    return SymBotClient(auth, configure)


@pytest.mark.parametrize("version", ["v2", "v1"])
def test_legacy_sync_service_gets_every_event_type(pod: Any, tmp_path: Path, version: str) -> None:
    config = config_variant(
        pod, f"legacy-{version}", datafeedVersion=version, datafeedIdFilePath=str(tmp_path)
    )
    bot_client = legacy_bot_client(config)
    service = bot_client.get_datafeed_event_service()
    listener = recorder()
    service.add_listeners(listener)
    thread = threading.Thread(target=service.start_datafeed, daemon=True)
    thread.start()
    wait_until(lambda: service.datafeed_id, what="the feed")  # events before it exists are not kept
    _, alice = peer_services(pod, "alice")
    drive_events(pod, alice, SyncServices(SyncApiClient.from_config(config)))
    wait_until(lambda: {m for m, _ in listener.calls} >= EXPECTED_CALLS, what="every callback")
    service.deactivate_datafeed()
    thread.join(10)
    assert not thread.is_alive()
    check_shapes(listener.calls)
    if version == "v1":
        assert (tmp_path / "datafeed.id").read_text().count("@") == 1


@pytest.mark.parametrize("version", ["v2", "v1"])
async def test_legacy_async_service_gets_every_event_type(pod: Any, tmp_path: Path, version: str) -> None:
    from sym_api_client_python.datafeed_event_service import AsyncDataFeedEventService

    config = config_variant(
        pod, f"legacy-async-{version}", datafeedVersion=version, datafeedIdFilePath=str(tmp_path)
    )
    bot_client = await asyncio.to_thread(legacy_bot_client, config)
    errors: list[BaseException] = []
    service = AsyncDataFeedEventService(bot_client, exception_handler=errors.append)
    listener = recorder(asynchronous=True)
    service.add_listeners(listener)
    task = asyncio.ensure_future(service.start_datafeed())
    await async_wait_until(lambda: service.datafeed_id, what="the feed")
    _, alice = await asyncio.to_thread(peer_services, pod, "alice")
    await asyncio.to_thread(drive_events, pod, alice, SyncServices(SyncApiClient.from_config(config)))
    await async_wait_until(lambda: {m for m, _ in listener.calls} >= EXPECTED_CALLS, what="every callback")
    await service.deactivate_datafeed()
    await asyncio.wait_for(task, 10)
    check_shapes(listener.calls)
    assert errors == []
