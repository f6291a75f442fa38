"""A fast path for the multipart bodies most message creates send: a few small text fields.

Starlette's general parser (python-multipart, callbacks per header and chunk) cost about a tenth
of the server's CPU per message create. :func:`parse_text_fields` handles only the common shape
(every part a ``form-data`` text field with a quoted name, no file name, no transfer encoding)
and returns None for anything else, so the caller falls back to ``request.form()`` and every
unusual or malformed body gets exactly the general parser's answer.
"""

from __future__ import annotations

import re

from starlette.datastructures import FormData, UploadFile

# Starlette's per-field limit: larger fields go to its parser, which refuses them with its message
MAX_FIELD_BYTES = 1024 * 1024
MAX_FIELDS = 16

_BOUNDARY = re.compile(rb'boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))', re.IGNORECASE)
_DISPOSITION = re.compile(rb'form-data; *name="([^"\\]*)" *\Z', re.IGNORECASE)
# part headers that do not change how a text field is read
_NEUTRAL_HEADER = re.compile(rb"content-type: *text/plain(?:; *charset=utf-8)? *\Z", re.IGNORECASE)


def parse_text_fields(body: bytes, content_type: str) -> FormData | None:
    """The fields of a multipart/form-data ``body`` of plain UTF-8 text fields, None otherwise."""
    if "charset" in content_type.lower():  # a request-level charset: leave it to the general parser
        return None
    found = _BOUNDARY.search(content_type.encode("latin-1"))
    if found is None:
        return None
    delimiter = b"--" + (found.group(1) or found.group(2))
    if not body.startswith(delimiter + b"\r\n"):
        return None
    closing = delimiter + b"--"
    if body.endswith(closing + b"\r\n"):
        inner = body[len(delimiter) + 2 : -len(closing) - 2]
    elif body.endswith(closing):
        inner = body[len(delimiter) + 2 : -len(closing)]
    else:
        return None
    if not inner.endswith(b"\r\n"):
        return None
    parts = inner[:-2].split(b"\r\n" + delimiter + b"\r\n")
    if len(parts) > MAX_FIELDS:
        return None
    fields: list[tuple[str, str | UploadFile]] = []
    for part in parts:
        head, separator, content = part.partition(b"\r\n\r\n")
        if not separator or delimiter in content or len(content) > MAX_FIELD_BYTES:
            return None
        name: bytes | None = None
        for header in head.split(b"\r\n"):
            key, colon, value = header.partition(b":")
            if not colon:
                return None
            key, value = key.strip().lower(), value.strip()
            if key == b"content-disposition" and name is None:
                disposition = _DISPOSITION.match(value)
                if disposition is None:
                    return None
                name = disposition.group(1)
            elif not _NEUTRAL_HEADER.match(header):
                return None
        if name is None:
            return None
        try:
            fields.append((name.decode("utf-8"), content.decode("utf-8")))
        except UnicodeDecodeError:
            return None
    return FormData(fields)
