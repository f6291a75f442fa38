"""Validate emulator responses against the Symphony spec files (the contract).

Both spec flavours go through one path: the response schema of the operation is wrapped with the
file's schema table as ``$defs`` (Swagger 2.0 ``definitions`` or OpenAPI 3 ``components/schemas``),
every ``$ref`` is rewritten to point there, and the body is checked with jsonschema (draft 4, the
dialect both flavours derive from). No conversion tool is needed and Swagger 2.0 files get the same
strictness as the OpenAPI 3 agent file.

Lookup order per prefix: the current file first, then the ``-deprecated`` file (datafeed v1, the
legacy HealthCheck and other older operations only live there).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import yaml

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader

SPEC_FILES: dict[str, tuple[str, ...]] = {
    "/agent": ("agent/agent-api-public.yaml", "agent/agent-api-public-deprecated.yaml"),
    "/pod": ("pod/pod-api-public.yaml", "pod/pod-api-public-deprecated.yaml"),
    "/login": ("login/login-api-public.yaml",),
    "/relay": ("login/login-api-public.yaml",),
}


def _stringify_keys(value: Any) -> Any:
    """YAML loads unquoted response codes (``200:``) as ints; the spec tools expect strings."""
    if isinstance(value, dict):
        return {str(key): _stringify_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_stringify_keys(item) for item in value]
    return value


def _rewrite_refs(value: Any) -> Any:
    """Point ``#/definitions/X`` and ``#/components/schemas/X`` at ``#/$defs/X``."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str):
                out[key] = re.sub(r"^#/(definitions|components/schemas)/", "#/$defs/", item)
            else:
                out[key] = _rewrite_refs(item)
        return out
    if isinstance(value, list):
        return [_rewrite_refs(item) for item in value]
    return value


@dataclass(frozen=True)
class Operation:
    spec_file: str
    template: str  # the full path template, prefix included, e.g. /pod/v3/room/{id}/info
    method: str
    definition: dict[str, Any]
    is_openapi3: bool


class SpecFile:
    """One loaded spec file: its path templates (as regexes) and its schema table."""

    def __init__(self, spec_dir: Path, relative: str, prefix: str) -> None:
        with open(spec_dir / relative, encoding="utf-8") as handle:
            raw = _stringify_keys(yaml.load(handle, Loader=_Loader))
        self.name = relative
        self.prefix = prefix
        self.is_openapi3 = "openapi" in raw
        schemas = (
            raw.get("components", {}).get("schemas", {}) if self.is_openapi3 else raw.get("definitions", {})
        )
        self.defs = _rewrite_refs(schemas)
        self.paths: list[tuple[re.Pattern[str], str, dict[str, Any]]] = []
        for template, item in raw.get("paths", {}).items():
            pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template.rstrip("/")))
            self.paths.append((re.compile(f"^{pattern}/?$"), template, item))
        # literal templates first so /v1/admin/user/find does not match /v1/admin/user/{uid}
        self.paths.sort(key=lambda entry: entry[1].count("{"))

    def find(self, method: str, path: str) -> Operation | None:
        local = path[len(self.prefix) :]
        for pattern, template, item in self.paths:
            if pattern.match(local) and method.lower() in item:
                return Operation(self.name, self.prefix + template, method.upper(), item[method.lower()],
                                 self.is_openapi3)  # fmt: skip
        return None


class SpecValidationError(AssertionError):
    """A response does not match the spec; the message names operation, status and schema errors."""


class SpecValidator:
    """Finds the spec operation for a request and validates the response body against it."""

    def __init__(self, spec_dir: Path) -> None:
        self.spec_dir = spec_dir
        self._files: dict[str, SpecFile] = {}

    def _spec_files(self, path: str) -> Iterator[SpecFile]:
        for prefix, relatives in SPEC_FILES.items():
            if path == prefix or path.startswith(prefix + "/"):
                for relative in relatives:
                    key = f"{prefix}:{relative}"
                    if key not in self._files:
                        self._files[key] = SpecFile(self.spec_dir, relative, prefix)
                    yield self._files[key]

    def find_operation(self, method: str, path: str) -> tuple[Operation, SpecFile] | None:
        for spec_file in self._spec_files(path):
            operation = spec_file.find(method, path)
            if operation is not None:
                return operation, spec_file
        return None

    def response_schema(self, operation: Operation, status: int) -> dict[str, Any] | None:
        """The declared schema for ``status`` (None when the status declares no body)."""
        responses = operation.definition.get("responses", {})
        declared = responses.get(str(status)) or responses.get("default")
        if declared is None:
            raise SpecValidationError(
                f"{operation.method} {operation.template}: status {status} is not declared "
                f"(declared: {', '.join(sorted(responses))}) in {operation.spec_file}"
            )
        if not operation.is_openapi3:
            schema = declared.get("schema")
            return _rewrite_refs(schema) if schema is not None else None
        content = declared.get("content") or {}
        for media_type in ("application/json", "*/*", *content):
            if media_type in content and "schema" in content[media_type]:
                return _rewrite_refs(content[media_type]["schema"])
        return None

    def validate(self, method: str, path: str, status: int, body: Any) -> Operation:
        """Raise :class:`SpecValidationError` unless ``body`` matches the spec for this call."""
        found = self.find_operation(method, path)
        if found is None:
            raise SpecValidationError(f"{method} {path}: no operation in the spec files")
        operation, spec_file = found
        schema = self.response_schema(operation, status)
        if schema is None or status == 204:
            return operation
        document = {**schema, "$defs": spec_file.defs}
        validator = jsonschema.Draft4Validator(document)
        errors = sorted(validator.iter_errors(body), key=lambda error: list(error.absolute_path))
        if errors:
            details = "; ".join(
                f"at {'/'.join(str(part) for part in error.absolute_path) or '<root>'}: {error.message[:200]}"
                for error in errors[:5]
            )
            raise SpecValidationError(
                f"{method} {path} → {status} does not match {operation.template} in {operation.spec_file}: "
                f"{details}"
            )
        return operation


@functools.lru_cache(maxsize=1)
def default_validator() -> SpecValidator:
    """One validator per process over the shared spec directory (parsing the YAML takes ~1 s)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "shared" / "symphony-api-spec"
        if candidate.is_dir():
            return SpecValidator(candidate)
    raise FileNotFoundError("shared/symphony-api-spec not found above the test directory")


#: (METHOD, spec template) → number of validated responses, filled by :class:`ValidatingClient`.
COVERAGE: dict[tuple[str, str], int] = {}


class ValidatingClient:
    """Wraps a raw test client: checks the status, validates every JSON body against the spec and
    records which spec operations were exercised (``COVERAGE``)."""

    def __init__(
        self,
        client: Any,
        validator: SpecValidator | None = None,
        coverage: dict[tuple[str, str], int] | None = None,
    ) -> None:
        self.client = client
        self.validator = validator or default_validator()
        self.coverage = COVERAGE if coverage is None else coverage

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)

    def call(self, method: str, path: str, expect: int = 200, **kwargs: Any) -> Any:
        """Send, assert ``expect``, validate; returns the reply (``.json``, ``.status``, ``.body``)."""
        reply = self.client.request(method, path, **kwargs)
        assert reply.status == expect, (
            f"{method} {path}: expected {expect}, got {reply.status}: {reply.body[:500]!r}"
        )
        route_path = path.split("?", 1)[0]
        content_type = reply.headers.get("content-type", reply.headers.get("Content-Type", ""))
        if reply.status == 204 or not reply.body:
            body = None
        elif "json" in content_type:
            body = reply.json
        else:
            body = reply.body.decode("utf-8", "replace")
        if reply.status >= 400:
            assert isinstance(body, dict) and body.get("code") == reply.status and body.get("message"), body
        if reply.status == 204 or "json" in content_type:
            operation = self.validator.validate(method, route_path, reply.status, body)
        else:
            found = self.validator.find_operation(method, route_path)
            assert found is not None, f"{method} {route_path}: no operation in the spec files"
            operation = found[0]
            self.validator.response_schema(operation, reply.status)  # the status must be declared
        key = (operation.method, operation.template)
        self.coverage[key] = self.coverage.get(key, 0) + 1
        return reply


# ---------------------------------------------------------------------------------------------- world
@functools.lru_cache(maxsize=1)
def _user_key_pair() -> tuple[Any, str]:
    """One RSA key pair shared by the test users: the private key as a loaded key object, because
    loading a PEM validates the RSA key (~0.1 s) and PyJWT would do that on every signature."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return key, public_pem


@functools.lru_cache(maxsize=4)
def _loaded_private_key(pem: bytes) -> Any:
    from cryptography.hazmat.primitives import serialization

    return serialization.load_pem_private_key(pem, password=None)


@dataclass
class World:
    """A reset pod with the bot, two people and an admin, each with a logged-in validating client."""

    emulator: Any
    bot: ValidatingClient
    bot_user: dict[str, Any]
    alice: ValidatingClient
    alice_user: dict[str, Any]
    bob_user: dict[str, Any]
    admin: ValidatingClient
    admin_user: dict[str, Any]

    def feed(self, client: ValidatingClient) -> str:
        """A new v2 datafeed of ``client``'s user (events published after this land in it)."""
        return str(client.call("POST", "/agent/v5/datafeeds", 201, json_body={}).json["id"])

    def events(self, client: ValidatingClient, feed_id: str) -> list[dict[str, Any]]:
        """The events queued on the feed since the previous call (each read leases what it returns,
        so the next read only sees newer events). Blocks for the long-poll time when there are none."""
        reply = client.call("POST", f"/agent/v5/datafeeds/{feed_id}/read", json_body={"ackId": ""})
        return list(reply.json["events"])

    def event_types(self, client: ValidatingClient, feed_id: str) -> list[str]:
        return [event["type"] for event in self.events(client, feed_id)]


def make_world(emulator: Any) -> World:
    from .podclient import PodClient

    private_key, public_pem = _user_key_pair()

    def person(username: str, display: str, **extra: Any) -> tuple[ValidatingClient, dict[str, Any]]:
        user = emulator.create_user(username, display, email=f"{username}@example.com", public_key=public_pem,
                                    **extra)  # fmt: skip
        return ValidatingClient(PodClient(emulator).login(username, private_key)), user

    alice, alice_user = person("alice", "Alice Archer", firstName="Alice", lastName="Archer")
    bob_user = emulator.create_user("bob", "Bob Baker", email="bob@example.com")
    admin, admin_user = person("admin", "Pod Admin", bot=True, roles=["SUPER_ADMINISTRATOR"])
    bot_key = _loaded_private_key(emulator.bot_private_key_path.read_bytes())
    bot = ValidatingClient(PodClient(emulator).login(emulator.bot["username"], bot_key))
    return World(emulator, bot, emulator.bot, alice, alice_user, bob_user, admin, admin_user)
