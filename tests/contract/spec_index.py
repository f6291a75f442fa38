"""The public Symphony spec files as an index of operations, for the contract test and the
coverage report. Each operation is keyed by (family, METHOD, path as written in the spec)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

SPEC_DIR = Path(__file__).resolve().parents[3] / "shared" / "symphony-api-spec"

#: family -> (current file, deprecated file or None)
SPEC_FILES: dict[str, tuple[str, str | None]] = {
    "pod": ("pod/pod-api-public.yaml", "pod/pod-api-public-deprecated.yaml"),
    "agent": ("agent/agent-api-public.yaml", "agent/agent-api-public-deprecated.yaml"),
    "login": ("login/login-api-public.yaml", None),
    "authenticator": (
        "authenticator/authenticator-api-public.yaml",
        "authenticator/authenticator-api-public-deprecated.yaml",
    ),
}

#: how our full paths map to spec families (the login and authenticator specs are each served
#: under two prefixes: one on the pod, one on the key manager)
PREFIX_FAMILIES: dict[str, str] = {
    "/pod": "pod",
    "/agent": "agent",
    "/login": "login",
    "/relay": "login",
    "/sessionauth": "authenticator",
    "/keyauth": "authenticator",
}

HTTP_METHODS = ("get", "post", "put", "delete", "patch")


@dataclass(frozen=True)
class SpecOperation:
    family: str
    method: str
    path: str
    file: str
    deprecated: bool
    path_params: frozenset[str]
    query_params: frozenset[str]
    body: str  # none | json | multipart
    summary: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.family, self.method, self.path)


def _load(relative: str) -> dict[str, Any]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(SPEC_DIR / relative, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader)  # type: ignore[no-any-return]


def _resolve(document: dict[str, Any], parameter: dict[str, Any]) -> dict[str, Any]:
    ref = parameter.get("$ref")
    if not ref:
        return parameter
    name = ref.rsplit("/", 1)[-1]
    pool = document.get("parameters") or document.get("components", {}).get("parameters", {})
    return pool[name]  # type: ignore[no-any-return]


@functools.lru_cache(maxsize=1)
def spec_operations() -> dict[tuple[str, str, str], SpecOperation]:
    """Every operation of the current and deprecated files (current wins when in both)."""
    operations: dict[tuple[str, str, str], SpecOperation] = {}
    for family, (current, deprecated_file) in SPEC_FILES.items():
        for relative in (current, deprecated_file):
            if relative is None:
                continue
            document = _load(relative)
            for raw_path, item in document["paths"].items():
                path = str(raw_path)
                shared = item.get("parameters", [])
                for method in HTTP_METHODS:
                    operation = item.get(method)
                    if operation is None or (family, method.upper(), path) in operations:
                        continue
                    params = [_resolve(document, p) for p in [*shared, *operation.get("parameters", [])]]
                    body = "none"
                    if any(p["in"] == "formData" for p in params):
                        body = "multipart"
                    elif any(p["in"] == "body" for p in params):
                        body = "json"
                    content = (operation.get("requestBody") or {}).get("content") or {}
                    if content:
                        body = "multipart" if "multipart/form-data" in content else "json"
                    operations[(family, method.upper(), path)] = SpecOperation(
                        family=family,
                        method=method.upper(),
                        path=path,
                        file=relative,
                        deprecated=relative == deprecated_file or bool(operation.get("deprecated")),
                        path_params=frozenset(p["name"] for p in params if p["in"] == "path"),
                        query_params=frozenset(p["name"] for p in params if p["in"] == "query"),
                        body=body,
                        summary=str(operation.get("summary") or "").strip(),
                    )
    return operations


def split_prefix(full_path: str) -> tuple[str, str]:
    """``/pod/v1/x`` → ``("pod", "/v1/x")``."""
    for prefix, family in PREFIX_FAMILIES.items():
        if full_path.startswith(prefix + "/"):
            return family, full_path[len(prefix) :]
    raise ValueError(f"{full_path!r} has no known prefix")
