"""Legacy services over the engine: routing table, listener kinds, errors, sync and async."""

from __future__ import annotations

import asyncio
import threading

import pytest

from sym_api_client_python.clients.constants.DatafeedVersion import DatafeedVersion, version_of
from sym_api_client_python.datafeed_event_service import AsyncDataFeedEventService, DataFeedEventService
from sym_api_client_python.listeners.im_listener import IMListener

from .helpers import AsyncScripted, ScriptedRequester, event, ok, recording_listener_class

STREAM = {"streamId": "R1", "streamType": "ROOM"}
USER = {"userId": 9}


def typed(type_, key, body, event_id):
    return {
        "id": event_id,
        "type": type_,
        "timestamp": 1,
        "initiator": {"user": {"userId": 7}},
        "payload": {key: body},
    }


def all_events():
    def msg(eid, stream_type):
        e = event(eid, f"S-{stream_type}")
        e["payload"]["messageSent"]["message"]["stream"]["streamType"] = stream_type
        return e

    return [
        msg("m-room", "ROOM"),
        msg("m-im", "IM"),
        msg("m-mim", "MIM"),
        msg("m-post", "POST"),
        typed("MESSAGESUPPRESSED", "messageSuppressed", {"messageId": "x", "stream": STREAM}, "sup"),
        typed("INSTANTMESSAGECREATED", "instantMessageCreated", {"stream": STREAM}, "imc"),
        typed("ROOMCREATED", "roomCreated", {"stream": STREAM, "roomProperties": {"name": "r"}}, "rc"),
        typed("ROOMUPDATED", "roomUpdated", {"stream": STREAM}, "ru"),
        typed("ROOMDEACTIVATED", "roomDeactivated", {"stream": STREAM}, "rd"),
        typed("ROOMREACTIVATED", "roomReactivated", {"stream": STREAM}, "rr"),
        typed("USERJOINEDROOM", "userJoinedRoom", {"stream": STREAM, "affectedUser": USER}, "uj"),
        typed("USERLEFTROOM", "userLeftRoom", {"stream": STREAM, "affectedUser": USER}, "ul"),
        typed("ROOMMEMBERPROMOTEDTOOWNER", "roomMemberPromotedToOwner", {"stream": STREAM}, "pro"),
        typed("ROOMMEMBERDEMOTEDFROMOWNER", "roomMemberDemotedFromOwner", {"stream": STREAM}, "dem"),
        typed("CONNECTIONACCEPTED", "connectionAccepted", {"fromUser": USER}, "ca"),
        typed("CONNECTIONREQUESTED", "connectionRequested", {"toUser": USER}, "cr"),
        typed(
            "SYMPHONYELEMENTSACTION",
            "symphonyElementsAction",
            {"stream": STREAM, "formId": "f", "formValues": {"action": "go"}},
            "ea",
        ),
        typed("SHAREDPOST", "sharedPost", {"message": {"messageId": "p"}}, "sp"),
        typed("GENERICSYSTEMEVENT", "genericSystemEvent", {}, "unknown"),
    ]


EXPECTED = {  # event id -> (listener method, how the argument is recognised)
    "m-room": "on_room_msg",
    "m-im": "on_im_message",
    "m-mim": "on_im_message",
    "m-post": "on_wall_post_msg",
    "sup": "on_message_suppression",
    "imc": "on_im_created",
    "rc": "on_room_created",
    "ru": "on_room_updated",
    "rd": "on_room_deactivated",
    "rr": "on_room_reactivated",
    "uj": "on_user_joined_room",
    "ul": "on_user_left_room",
    "pro": "on_room_member_promoted_to_owner",
    "dem": "on_room_member_demoted_from_owner",
    "ca": "on_connection_accepted",
    "cr": "on_connection_requested",
    "ea": "on_elements_action",
    "sp": "on_shared_post",
}


def recorder_class(asynchronous: bool) -> type:
    return recording_listener_class(EXPECTED.values(), asynchronous=asynchronous)


class FakeBotClient:
    def __init__(self, requester, version="v2"):
        self.requester = requester
        self.async_requester = AsyncScripted(requester)
        self.config = {"datafeedVersion": version, "datafeedEventsErrorMaxTimeout": 0.05}
        self.closed = 0

    def get_sym_config(self):
        return self.config

    async def close_async_sessions(self):
        self.closed += 1


def check_calls(calls):
    by_method = {}
    for method, arg in calls:
        by_method.setdefault(method, []).append(arg)
    assert {m for m, _ in calls} == set(EXPECTED.values())
    assert sorted(a["messageId"] for a in by_method["on_im_message"]) == ["m-m-im", "m-m-mim"]
    assert by_method["on_room_msg"][0]["stream"]["streamType"] == "ROOM"
    assert by_method["on_elements_action"][0]["id"] == "ea"  # the whole event
    assert by_method["on_room_created"][0]["roomProperties"] == {"name": "r"}  # the payload part
    assert by_method["on_connection_requested"][0] == {"toUser": USER}


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_sync_service_routes_every_type_and_survives_listener_errors(version, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    requester = ScriptedRequester()
    requester.defaults["create"] = lambda r: ok({"id": "F"})
    body = all_events()
    requester.push("read", ok(body if version == "v1" else {"events": body, "ackId": "A"}))
    service = DataFeedEventService(FakeBotClient(requester, version))
    recorder = recorder_class(False)()
    failures = []

    class Failing(IMListener):
        def on_im_message(self, message):
            if message["messageId"] == "m-m-im":
                raise RuntimeError("listener bug")

    service.add_listeners(Failing(), recorder)
    service.exception_handler = failures.append
    done = threading.Event()
    original = recorder.on_shared_post

    def stop_after_last(arg):
        original(arg)
        service.deactivate_datafeed()  # stop from inside a listener
        done.set()

    recorder.on_shared_post = stop_after_last
    thread = threading.Thread(target=service.start_datafeed)
    thread.start()
    thread.join(5)
    assert not thread.is_alive() and done.is_set()
    check_calls(recorder.calls)
    assert [str(f) for f in failures] == ["listener bug"]
    assert service.stats.handler_errors == 1


async def test_async_service_works_on_v2_with_async_and_sync_listeners():
    requester = ScriptedRequester()
    requester.push("read", ok({"events": all_events(), "ackId": "A"}))
    service = AsyncDataFeedEventService(
        FakeBotClient(requester), exception_handler=None, trace_enabled=True, trace_recorder=[]
    )
    async_recorder = recorder_class(True)()
    sync_recorder = recorder_class(False)()
    service.add_listeners(async_recorder, sync_recorder)

    class LegacyReadmeStyle(IMListener):  # the README's async sample names it on_im_msg
        def __init__(self):
            self.seen = []

        async def on_im_msg(self, msg):
            self.seen.append(msg["messageId"])

    readme = LegacyReadmeStyle()
    service.add_im_listener(readme)

    async def stop_when_done():
        while len(async_recorder.calls) < len(EXPECTED) or len(sync_recorder.calls) < len(EXPECTED):
            await asyncio.sleep(0.01)
        await service.deactivate_datafeed()

    await asyncio.wait_for(asyncio.gather(service.start_datafeed(), stop_when_done()), 5)
    check_calls(async_recorder.calls)
    check_calls(sync_recorder.calls)
    assert sorted(readme.seen) == ["m-m-im", "m-m-mim"]
    assert len(service.trace_recorder) == len(all_events()) and service.bot_client.closed == 1
    assert [r.json["ackId"] for r in requester.reads()][:2] == ["", "A"]


def test_add_listeners_refuses_non_listeners_and_removes_from_every_list():
    service = DataFeedEventService(FakeBotClient(ScriptedRequester()))
    recorder = recorder_class(False)()
    service.add_listeners(recorder)
    assert recorder in service.wall_post_listeners and recorder in service.suppression_listeners
    service.remove_listeners(recorder)
    assert not any([service.im_listeners, service.room_listeners, service.wall_post_listeners])
    with pytest.raises(TypeError, match="implements no listener interface"):
        service.add_listeners(object())


def test_datafeed_version_enum():
    assert version_of("V2") is DatafeedVersion.V2 and version_of("v1") is DatafeedVersion.V1
    with pytest.raises(ValueError, match="datafeedVersion"):
        version_of("v3")
