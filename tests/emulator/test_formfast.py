"""The multipart fast path gives exactly what Starlette's general parser gives, or steps aside."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import pytest
from starlette.datastructures import Headers, UploadFile
from starlette.formparsers import MultiPartParser

from sympod.formfast import parse_text_fields

BOUNDARY = "b0undary7"
CONTENT_TYPE = f"multipart/form-data; boundary={BOUNDARY}"


def _body(*parts: tuple[str, str], closing: bytes = b"\r\n") -> bytes:
    chunks = []
    for headers, content in parts:
        chunks.append(f"--{BOUNDARY}\r\n{headers}\r\n\r\n{content}\r\n".encode())
    return b"".join(chunks) + f"--{BOUNDARY}--".encode() + closing


def _field(name: str, value: str, content_type: bool = True) -> tuple[str, str]:
    headers = f'Content-Disposition: form-data; name="{name}"'
    if content_type:
        headers = "Content-Type: text/plain; charset=utf-8\r\n" + headers
    return headers, value


async def _general(body: bytes, content_type: str = CONTENT_TYPE) -> list[tuple[str, object]]:
    async def stream() -> AsyncGenerator[bytes, None]:
        yield body

    form = await MultiPartParser(Headers({"content-type": content_type}), stream()).parse()
    return [
        (key, value.filename if isinstance(value, UploadFile) else value) for key, value in form.multi_items()
    ]


@pytest.mark.parametrize(
    "body",
    [
        _body(_field("message", "<messageML>hi <b>1</b></messageML>")),
        _body(
            _field("message", "é ünï\r\n-- not the boundary"), _field("data", '{"a": 1}', content_type=False)
        ),
        _body(_field("message", ""), closing=b""),
        _body(_field("message", "a"), _field("version", "2.0"), _field("silent", "false")),
    ],
)
async def test_text_fields_match_the_general_parser(body: bytes) -> None:
    fast = parse_text_fields(body, CONTENT_TYPE)
    assert fast is not None
    assert list(fast.multi_items()) == await _general(body)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (_body(('Content-Disposition: form-data; name="attachment"; filename="a.txt"', "x")), CONTENT_TYPE),
        (_body(("Content-Type: application/json\r\n" + _field("data", "{}", False)[0], "{}")), CONTENT_TYPE),
        (_body(("Content-Transfer-Encoding: base64\r\n" + _field("m", "", False)[0], "aGk=")), CONTENT_TYPE),
        (_body(_field("message", f"x--{BOUNDARY}y")), CONTENT_TYPE),
        (_body(_field("message", "hi")), CONTENT_TYPE + "; charset=latin-1"),
        (_body(_field("message", "hi"))[:-4], CONTENT_TYPE),  # truncated
        (b"\r\n" + _body(_field("message", "hi")), CONTENT_TYPE),  # preamble
        (_body(_field("message", "hi")), "multipart/form-data"),  # no boundary
        (_body(_field("m", "\xff")).replace("\xff".encode(), b"\xff"), CONTENT_TYPE),  # not UTF-8
    ],
)  # fmt: skip
def test_anything_else_goes_to_the_general_parser(body: bytes, content_type: str) -> None:
    assert parse_text_fields(body, content_type) is None
