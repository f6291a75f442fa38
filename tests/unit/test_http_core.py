import random

import pytest

from sym_api_client_python.core import errors
from sym_api_client_python.core.http import (
    Component,
    Request,
    Response,
    RetryPolicy,
    encode_params,
    error_for_response,
)


def _req(path: str = "/pod/v1/x", method: str = "GET") -> Request:
    return Request(method, Component.POD, path)


def test_encode_params_booleans_lists_and_none():
    assert encode_params({"local": False, "uid": [1, 2], "skip": 0, "x": None}) == [
        ("local", "false"),
        ("uid", "1,2"),
        ("skip", "0"),
    ]


@pytest.mark.parametrize(
    ("status", "body", "path", "cls"),
    [
        (
            400,
            b'{"code":400,"message":"Could not find a datafeed with the id: X"}',
            "/agent/v4/datafeed/X/read",
            errors.DatafeedNotFoundError,
        ),
        (404, b'{"code":404,"message":"gone"}', "/agent/v5/datafeeds/X/read", errors.DatafeedNotFoundError),
        (400, b'{"code":400,"message":"bad"}', "/pod/v1/x", errors.BadRequestError),
        (401, b"", "/pod/v1/x", errors.AuthError),
        (403, b'{"message":"nope"}', "/pod/v1/x", errors.ForbiddenError),
        (405, b"", "/pod/v1/x", errors.ForbiddenError),
        (404, b"<html>not found</html>", "/pod/v1/x", errors.NotFoundError),
        (409, b"{}", "/pod/v1/x", errors.ClientError),
        (429, b"", "/pod/v1/x", errors.RateLimitedError),
        (503, b"truncated {", "/pod/v1/x", errors.ServerError),
        (302, b"", "/pod/v1/x", errors.UnexpectedResponseError),
    ],
)
def test_status_mapping(status, body, path, cls):
    err = error_for_response(_req(path), Response(status, {"retry-after": "3"}, body, request_id="t-1"))
    assert type(err) is cls
    assert err.status == status
    assert err.request_id == "t-1"
    assert str(status) in str(err)


def test_error_carries_symphony_message_and_code():
    err = error_for_response(_req(), Response(400, {}, b'{"code":4001,"message":"Invalid MessageML"}'))
    assert err.message == "Invalid MessageML"
    assert err.code == 4001
    assert "Invalid MessageML" in str(err) and "code 4001" in str(err)


def test_retry_after_is_parsed():
    err = error_for_response(_req(), Response(429, {"retry-after": "7"}, b""))
    assert isinstance(err, errors.RateLimitedError)
    assert err.retry_after == 7.0


def test_legacy_result_convention():
    assert Response(204).legacy_result() == []
    assert Response(200, body=b'{"a":1}').legacy_result() == {"a": 1}
    assert Response(200, body=b"plain").legacy_result() == "plain"


def test_non_json_success_body_raises_clear_error():
    with pytest.raises(errors.UnexpectedResponseError, match="not valid JSON"):
        Response(200, body=b"<html>").json()


def test_retry_policy_backoff_bounded_with_jitter():
    policy = RetryPolicy(max_attempts=4, initial_delay=1.0, max_delay=5.0)
    rng = random.Random(1)
    delays = [policy.delay(n, rng=rng) for n in (1, 2, 3)]
    assert all(d is not None for d in delays)
    assert 0.5 <= delays[0] <= 1.0 and 1.0 <= delays[1] <= 2.0 and 2.0 <= delays[2] <= 4.0
    assert policy.delay(4) is None
    assert RetryPolicy(max_attempts=None, max_delay=5.0).delay(100, rng=rng) <= 5.0
    assert policy.delay(1, retry_after=3.0) >= 3.0
