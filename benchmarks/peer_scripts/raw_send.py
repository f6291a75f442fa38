"""Baseline: the same send done with a bare aiohttp / urllib3 loop (no SDK), on our interpreter.

Usage: python raw_send.py <bot-config.json> <stream_id> <count> <concurrency>
Prints {"aiohttp_sequential_per_s", "aiohttp_concurrent_per_s", "urllib3_sequential_per_s"}.
"""

from __future__ import annotations

import asyncio
import json
import ssl
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import aiohttp
import jwt
import urllib3

MESSAGE = "<messageML>Hello from the benchmark, <b>bold</b> and plain.</messageML>"


def base_url(config: dict[str, Any], prefix: str) -> str:
    host, port = config[f"{prefix}Host"], config.get(f"{prefix}Port", 443)
    context = (config.get(f"{prefix}ContextPath") or "").strip("/")
    return f"https://{host}:{port}" + (f"/{context}" if context else "")


def login(config: dict[str, Any], pool: urllib3.PoolManager) -> dict[str, str]:
    key_path = Path(config["botPrivateKeyPath"]) / config["botPrivateKeyName"]
    now = int(time.time())
    token = jwt.encode(
        {"sub": config["botUsername"], "exp": now + 240, "iat": now},
        key_path.read_text(encoding="utf-8"),
        algorithm="RS512",
    )
    tokens = {}
    for header, prefix, path in (
        ("sessionToken", "sessionAuth", "/login/pubkey/authenticate"),
        ("keyManagerToken", "keyAuth", "/relay/pubkey/authenticate"),
    ):
        response = pool.request("POST", base_url(config, prefix) + path, json={"token": token})
        if response.status != 200:
            raise SystemExit(f"login {path}: HTTP {response.status} {response.data[:200]!r}")
        tokens[header] = response.json()["token"]
    return tokens


def multipart() -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    disposition = 'Content-Disposition: form-data; name="message"'
    body = f"--{boundary}\r\n{disposition}\r\n\r\n{MESSAGE}\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


async def aiohttp_rates(
    url: str, headers: dict[str, str], ca: str, count: int, concurrency: int
) -> tuple[float, float]:
    context = ssl.create_default_context(cafile=ca)
    body, content_type = multipart()
    all_headers = {**headers, "Content-Type": content_type}
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=context, limit=100)) as session:

        async def one() -> None:
            async with session.post(url, data=body, headers=all_headers) as response:
                await response.read()
                if response.status != 200:
                    raise SystemExit(f"send: HTTP {response.status}")

        for _ in range(10):
            await one()
        started = time.perf_counter()
        for _ in range(count):
            await one()
        sequential = count / (time.perf_counter() - started)
        gate = asyncio.Semaphore(concurrency)

        async def gated() -> None:
            async with gate:
                await one()

        started = time.perf_counter()
        await asyncio.gather(*(gated() for _ in range(count)))
        return sequential, count / (time.perf_counter() - started)


def main() -> None:
    config_path, stream_id, count, concurrency = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    config = json.loads(Path(config_path).read_text(encoding="utf-8"))
    ca = config["truststorePath"]
    pool = urllib3.PoolManager(ca_certs=ca, cert_reqs="CERT_REQUIRED")
    headers = login(config, pool)
    url = f"{base_url(config, 'agent')}/agent/v4/stream/{stream_id}/message/create"
    body, content_type = multipart()
    sync_headers = {**headers, "Content-Type": content_type}
    for _ in range(10):
        pool.request("POST", url, body=body, headers=sync_headers)
    started = time.perf_counter()
    for _ in range(count):
        response = pool.request("POST", url, body=body, headers=sync_headers)
        if response.status != 200:
            raise SystemExit(f"send: HTTP {response.status}")
    urllib3_rate = count / (time.perf_counter() - started)
    sequential, concurrent = asyncio.run(aiohttp_rates(url, headers, ca, count, concurrency))
    print(
        json.dumps(
            {
                "aiohttp_sequential_per_s": sequential,
                "aiohttp_concurrent_per_s": concurrent,
                "urllib3_sequential_per_s": urllib3_rate,
            }
        )
    )


main()
