"""A scripted requester: records requests, answers from a queue of canned responses."""

from __future__ import annotations

from collections import deque
from typing import Any

import msgspec

from sym_api_client_python.core.http import Request, Response


def json_response(body: Any, status: int = 200) -> Response:
    return Response(status, {"content-type": "application/json"}, msgspec.json.encode(body))


class FakeRequester:
    def __init__(self, *responses: Response | Any) -> None:
        self.requests: list[Request] = []
        self._responses: deque[Response] = deque(
            r if isinstance(r, Response) else json_response(r) for r in responses
        )

    def queue(self, *responses: Response | Any) -> None:
        self._responses.extend(r if isinstance(r, Response) else json_response(r) for r in responses)

    def request(self, request: Request) -> Response:
        self.requests.append(request)
        if not self._responses:
            raise AssertionError(f"unexpected request {request.method} {request.path}")
        return self._responses.popleft()

    @property
    def last(self) -> Request:
        return self.requests[-1]


class AsyncFakeRequester(FakeRequester):
    async def request(self, request: Request) -> Response:  # type: ignore[override]
        return FakeRequester.request(self, request)
