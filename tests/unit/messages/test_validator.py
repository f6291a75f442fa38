"""validate_messageml: the rules the pod enforces, each with an error naming the element."""

from __future__ import annotations

import pytest

from sym_api_client_python.messages import MessageMLError, validate_messageml

BUTTON = '<button name="ok">OK</button>'


def form(body: str, form_id: str = "f") -> str:
    return f'<messageML><form id="{form_id}">{body}</form></messageML>'


VALID = [
    "<messageML>hello</messageML>",
    '<messageML><p class="tempo-text-color--red" style="x">a</p><br/><hr/></messageML>',
    '<messageML><div data-entity-id="0" class="entity">x</div></messageML>',
    '<messageML><table><tr><td colspan="2">a</td></tr></table></messageML>',
    form('<text-field name="a" minlength="1" maxlength="10"/>' + BUTTON),
    form('<radio name="r" value="1">A</radio><radio name="r" value="2">B</radio>' + BUTTON),
    form('<checkbox name="c" value="1">A</checkbox><checkbox name="c" value="2">B</checkbox>' + BUTTON),
    form(
        '<select name="s" multiple="true"><option value="a" selected="true">A</option>'
        '<option value="b" selected="true">B</option></select>' + BUTTON
    ),
    form('<button type="reset">Reset</button>' + BUTTON),
    '<messageML><ui-action action="open-dialog" target-id="d"><button>Open</button></ui-action>'
    '<dialog id="d"><title>T</title><body>B</body></dialog></messageML>',
    "<messageML>${name}</messageML>",
]

INVALID = [
    ("<p>no root</p>", None, "root element must be <messageML>"),
    ("<messageML>a</messageML><messageML>b</messageML>", None, "exactly one"),
    ("<messageML>", None, "not well-formed"),
    ("<messageML><script>x</script></messageML>", "script", "not allowed"),
    ('<messageML><p onclick="x">a</p></messageML>', "p", "'onclick'"),
    ('<messageML><a href="javascript:x">a</a></messageML>', "a", "href"),
    ("<messageML><img/></messageML>", "img", "src"),
    ("<messageML><mention/></messageML>", "mention", "uid or email"),
    ('<messageML><mention uid="x"/></messageML>', "mention", "number"),
    ('<messageML><mention uid="\u0663"/></messageML>', "mention", "number"),
    ('<messageML><hash tag="a b"/></messageML>', "hash", "non-empty word"),
    ("<messageML><cash/></messageML>", "cash", "non-empty word"),
    ("<messageML><emoji/></messageML>", "emoji", "shortcode"),
    ("<messageML>x<chime/></messageML>", "chime", "only content"),
    ("<messageML><li>x</li></messageML>", "li", "inside <ol> or <ul>"),
    ("<messageML><td>x</td></messageML>", "td", "inside <tr>"),
    ('<messageML><table><tr><td rowspan="0">x</td></tr></table></messageML>', "td", "rowspan"),
    ('<messageML><table><tr><th colspan="\u00b2">x</th></tr></table></messageML>', "th", "colspan"),
    (
        '<messageML><expandable-card state="open"><header>h</header><body>b</body>'
        "</expandable-card></messageML>",
        "expandable-card",
        "state",
    ),
    (
        "<messageML><expandable-card><header>h</header></expandable-card></messageML>",
        "expandable-card",
        "<body>",
    ),
    (form(BUTTON, form_id=""), "form", "id is required"),
    (form('<text-field name="a"/>'), "form", "action"),
    (form(form(BUTTON)[11:-12] + BUTTON), "form", "nested"),
    (form("<text-field/>" + BUTTON), "text-field", "name is required"),
    (form('<text-field name="a"/><textarea name="a"/>' + BUTTON), "textarea", "used twice"),
    (
        form('<radio name="a" value="1">x</radio><checkbox name="a">y</checkbox>' + BUTTON),
        "checkbox",
        "used twice",
    ),
    (form('<text-field name="action"/>' + BUTTON), "text-field", "reserved"),
    (form('<text-field name="a" maxlength="500"/>' + BUTTON), "text-field", "at most 128"),
    (form('<text-field name="a" minlength="9" maxlength="2"/>' + BUTTON), "text-field", "greater than"),
    (form('<textarea name="a" maxlength="x"/>' + BUTTON), "textarea", "integer"),
    (form('<textarea name="a" maxlength="\u00b2"/>' + BUTTON), "textarea", "integer"),
    (form('<text-field name="a" required="yes"/>' + BUTTON), "text-field", '"true" or "false"'),
    (form('<select name="s"></select>' + BUTTON), "select", "at least one"),
    (
        form(
            '<select name="s"><option value="a" selected="true">A</option>'
            '<option value="b" selected="true">B</option></select>' + BUTTON
        ),
        "select",
        "not multiple",
    ),
    (form('<select name="s"><option>A</option></select>' + BUTTON), "option", "value"),
    (form("<button>x</button>"), "button", "needs a name"),
    (form('<button name="x" type="submit">x</button>' + BUTTON), "button", "type"),
    ('<messageML><text-field name="a"/></messageML>', "text-field", "inside a <form>"),
    ("<messageML><dialog><title>t</title><body>b</body></dialog></messageML>", "dialog", "id"),
    ('<messageML><dialog id="d"><body>b</body></dialog></messageML>', "dialog", "<title>"),
    (
        '<messageML><ui-action action="open-dialog" target-id="zz"><button>o</button>'
        "</ui-action></messageML>",
        "ui-action",
        "does not match",
    ),
    (
        '<messageML><ui-action action="close"><button>o</button></ui-action></messageML>',
        "ui-action",
        "open-dialog",
    ),
    (
        '<messageML><ui-action trigger="hover" action="open-dialog" target-id="d">'
        "<button>o</button></ui-action>"
        '<dialog id="d"><title>t</title><body>b</body></dialog></messageML>',
        "ui-action",
        "trigger",
    ),
    ("<messageML>${x}</messageML>", None, "Freemarker"),
    ("<messageML>#{x}</messageML>", None, "Freemarker"),
]


@pytest.mark.parametrize("messageml", VALID)
def test_valid_documents(messageml: str) -> None:
    allow = "${" in messageml
    validate_messageml(messageml, allow_freemarker=allow)


@pytest.mark.parametrize(("messageml", "element", "fragment"), INVALID)
def test_invalid_documents(messageml: str, element: str | None, fragment: str) -> None:
    with pytest.raises(MessageMLError) as info:
        validate_messageml(messageml)
    assert info.value.element == element
    assert fragment in str(info.value)


def test_freemarker_directives_never_allowed() -> None:
    with pytest.raises(MessageMLError, match="<#"):
        validate_messageml("<messageML><#list x as y>${y}</#list></messageML>", allow_freemarker=True)


def test_entity_ids_checked_against_data() -> None:
    document = '<messageML><span class="entity" data-entity-id="k">x</span></messageML>'
    validate_messageml(document, data='{"k": {"type": "t"}}')
    with pytest.raises(MessageMLError, match="'k' is not defined"):
        validate_messageml(document, data="{}")
    with pytest.raises(MessageMLError, match="entity data"):
        validate_messageml(document, data="[]")


def test_non_string() -> None:
    with pytest.raises(MessageMLError, match="must be a string"):
        validate_messageml(None)  # type: ignore[arg-type]
