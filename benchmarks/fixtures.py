"""Inputs shared by our side and the peers' side of a scenario, so both measure the same work."""

from __future__ import annotations

import json
from typing import Any

_DATA = {
    "0": {
        "id": [{"type": "com.symphony.user.userId", "value": "349026222344902"}],
        "type": "com.symphony.user.mention",
    },
    "1": {
        "id": [{"type": "org.symphonyoss.taxonomy.hashtag", "value": "markets"}],
        "type": "org.symphony.hashtag",
    },
    "2": {
        "id": [{"type": "org.symphonyoss.fin.security.id.ticker", "value": "AAPL"}],
        "type": "org.symphonyoss.fin.security",
    },
}

_BODY = (
    '<div data-format="PresentationML" data-version="2.0" class="wysiwyg">'
    '<p><span class="entity" data-entity-id="0">@Reed Feldman</span> /quote '
    '<span class="entity" data-entity-id="2">$AAPL</span> please, and the usual '
    '<span class="entity" data-entity-id="1">#markets</span> digest.</p>'
    "<p>Morning team, a quick summary before the open: futures are flat, the dollar is a touch "
    "firmer and the curve steepened a little overnight. Nothing in the calendar until the claims "
    "data at half past eight, then two auctions this afternoon.</p>"
    "<ul><li>Equities: watch the semis after last night's guidance.</li>"
    "<li>Rates: 10y at the top of the range; supply is the risk.</li>"
    "<li>FX: yen weaker again, intervention talk is back.</li></ul>"
    "<p>Ping me with questions, <b>thanks</b> &amp; have a good day.</p></div>"
)


def typical_message() -> dict[str, Any]:
    """A V4Message of about 1 KB of PresentationML with a mention, a hashtag and a cashtag."""
    return {
        "messageId": "LKX55AtesGPxrv16ed_TIX___pMru4hmbQ",
        "timestamp": 1566929352601,
        "message": _BODY,
        "data": json.dumps(_DATA),
        "user": {
            "userId": 349026222344902,
            "firstName": "Reed",
            "lastName": "Feldman",
            "displayName": "Reed Feldman",
            "email": "reed@example.com",
            "username": "reed",
        },
        "stream": {"streamId": "sOKpwRk_5_N838P10ATuFX___pNk9zJndA", "streamType": "ROOM"},
        "externalRecipients": False,
        "originalFormat": "com.symphony.messageml.v2",
    }


TYPICAL_TEXT = (
    "Morning team, a quick summary before the open: futures are flat, the dollar is a touch firmer & "
    "the curve steepened a little overnight <see notes>. Nothing until the claims data at 8:30."
)


def message_sent_event(index: int, stream_id: str, user_id: int = 349026222344902) -> dict[str, Any]:
    """A MESSAGESENT datafeed event as a v2 read returns it."""
    message = typical_message()
    message["messageId"] = f"msg{index:012d}"
    message["stream"] = {"streamId": stream_id, "streamType": "ROOM"}
    return {
        "id": f"ev{index:012d}",
        "messageId": message["messageId"],
        "timestamp": 1566929352601 + index,
        "type": "MESSAGESENT",
        "initiator": {"user": message["user"]},
        "payload": {"messageSent": {"message": message}},
    }
