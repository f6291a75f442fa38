"""Command patterns and filters, without a network."""

from __future__ import annotations

import json

import pytest

from sym_api_client_python.bot import CommandPattern, CommandUsageError, filters, to_messageml
from sym_api_client_python.bot.commands import strip_leading_mention
from sym_api_client_python.bot.context import Context
from sym_api_client_python.core.models.events import decode_event


def test_typed_arguments_literals_quotes_and_rest():
    buy = CommandPattern.parse("/buy {qty:int} {ticker}")
    assert buy.match("/buy 10 AAPL") == {"qty": 10, "ticker": "AAPL"}
    assert buy.match("/BUY 3 'BRK B'") == {"qty": 3, "ticker": "BRK B"}
    assert buy.match("/sell 1 X") is None and buy.match("") is None
    say = CommandPattern.parse("/c++ say {text:rest}")
    assert say.match("/c++ say hello   world") == {"text": "hello   world"}
    assert CommandPattern.parse("/price {x:float}").match("/price 2.5") == {"x": 2.5}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("/buy ten AAPL", "qty must be an integer, got 'ten'"),
        ("/buy 10", "missing ticker"),
        ("/buy 1 A extra", "unexpected 'extra'"),
    ],
)
def test_bad_arguments_give_a_usage_error(text, problem):
    with pytest.raises(CommandUsageError) as info:
        CommandPattern.parse("/buy {qty:int} {ticker}").match(text)
    assert info.value.problem == problem and info.value.usage == "/buy {qty:int} {ticker}"


@pytest.mark.parametrize("pattern", ["{x}", "/a {x:date}", "/a {x} {x}", "/a {x:rest} {y}", "/a {x"])
def test_bad_patterns_are_refused_with_a_clear_message(pattern):
    with pytest.raises(ValueError, match="command pattern"):
        CommandPattern.parse(pattern)


def test_leading_mention_of_the_bot_is_stripped():
    assert strip_leading_mention("@Joke Bot /joke", ("Joke Bot",)) == "/joke"
    assert strip_leading_mention("hello @Joke Bot", ("Joke Bot",)) == "hello @Joke Bot"


class FakeBot:
    bot_user_id = 99


def ctx_for(text, *, stream_type="IM", user=None, data=None):
    user = user or {"userId": 5, "username": "alice", "email": "alice@example.com"}
    raw = {
        "id": "e",
        "type": "MESSAGESENT",
        "initiator": {"user": user},
        "payload": {
            "messageSent": {
                "message": {
                    "messageId": "m",
                    "message": f'<div data-format="PresentationML" data-version="2.0">{text}</div>',
                    "data": json.dumps(data or {}),
                    "stream": {"streamId": "S", "streamType": stream_type},
                }
            }
        },
    }
    return Context(FakeBot(), decode_event(json.dumps(raw).encode()))


def test_filters_compose_and_inject():
    ctx = ctx_for("deploy prod now")
    deploy = filters.im & filters.regex(r"deploy (?P<env>\w+)")
    result = filters.evaluate(deploy, ctx)
    assert result is not None and result["match"]["env"] == "prod"
    assert filters.evaluate(filters.room, ctx) is None
    assert filters.evaluate(~filters.room | filters.room, ctx) == {}
    assert filters.evaluate(filters.from_user("ALICE"), ctx) == {}
    assert (
        filters.evaluate(filters.from_user(5), ctx) == {}
        and filters.evaluate(filters.from_user(6), ctx) is None
    )
    assert filters.evaluate(filters.text_contains("PROD"), ctx) == {}
    assert filters.evaluate(filters.text_contains("PROD", case_sensitive=True), ctx) is None


def test_entity_filters_and_mentions():
    data = {
        "0": {
            "type": "org.symphonyoss.fin.security",
            "id": [{"type": "org.symphonyoss.fin.security.id.ticker", "value": "AAPL"}],
        },
        "1": {"type": "com.symphony.user.mention", "id": [{"type": "com.symphony.user.userId", "value": 99}]},
    }
    ctx = ctx_for(
        '<span class="entity" data-entity-id="0">$AAPL</span> '
        '<span class="entity" data-entity-id="1">@bot</span>',
        data=data,
    )
    assert filters.evaluate(filters.has_cashtag, ctx) is not None
    assert filters.evaluate(filters.has_cashtag("aapl"), ctx) is not None
    assert filters.evaluate(filters.has_cashtag("MSFT"), ctx) is None
    assert filters.evaluate(filters.has_hashtag, ctx) is None
    assert ctx.mentions_bot and filters.evaluate(filters.mentions_bot, ctx) == {}


def test_reply_content_rules():
    assert to_messageml("a < b & c") == "<messageML>a &lt; b &amp; c</messageML>"
    assert to_messageml("<b>hi</b>") == "<messageML><b>hi</b></messageML>"
    assert to_messageml("<messageML>x</messageML>") == "<messageML>x</messageML>"
    assert to_messageml("<b>hi</b> there") == "<messageML><b>hi</b> there</messageML>"
    assert to_messageml("1 < 2 but <b>") == "<messageML>1 &lt; 2 but &lt;b&gt;</messageML>"
    # a reader sees the reply's line breaks; template markers never reach the pod's Freemarker
    assert to_messageml("line 1\nline 2 ${x}") == "<messageML>line 1<br/>line 2 $&#123;x}</messageML>"


def test_registration_errors_name_the_problem():
    from sym_api_client_python.bot import Bot

    bot = Bot(client=object())
    with pytest.raises(TypeError, match=r"requires ticker, which the pattern '/buy \{qty:int\}'"):

        @bot.command("/buy {qty:int}")
        def buy(ctx, qty, ticker):
            pass

    with pytest.raises(TypeError, match="context as its first argument"):
        bot.on_message()(lambda: None)
    with pytest.raises(TypeError, match="needs a config"):
        Bot()


def test_package_exports_the_framework_lazily():
    import sym_api_client_python as sdk

    assert sdk.Bot.__name__ == "Bot" and sdk.AsyncBot.__name__ == "AsyncBot"
    assert sdk.filters.im is filters.im
