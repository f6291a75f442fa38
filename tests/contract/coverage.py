"""Writes docs/api-coverage.md: spec operation → endpoint-table entry → modern method (sync and
async facades share it) → legacy method(s) → tested end-to-end (yes/no).

"Tested" is derived, not declared: the service and legacy client sources are parsed (AST) to learn
which table entries each method calls, then the e2e test modules (tests/e2e/test_rest_*.py) are
scanned for the methods they call; those tests run against the emulator and assert on the answers.
An entry counts as tested only if the emulator also has a route for it (tests of operations the
emulator does not serve yet skip).

    python -m tests.contract.coverage          # rewrite docs/api-coverage.md
    (tests/contract/test_coverage_report.py fails when the committed file is stale)
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

from sym_api_client_python.bot._base import SERVICE_NAMES
from sym_api_client_python.core.endpoints import ENDPOINTS, Endpoint

from .spec_index import spec_operations, split_prefix

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "src" / "sym_api_client_python"
REPORT = REPO / "docs" / "api-coverage.md"
E2E_GLOB = "tests/e2e/test_rest_*.py"
BDK_OPERATIONS = 211  # symphony-bdk-python 3.0.0's generated operations (docs: bdk-python.md §1)
SERVICES = (*SERVICE_NAMES, "datafeed")  # the bot exposes all but the raw datafeed API

#: Spec families the SDK does not call, with the reason.
EXCLUDED_FAMILIES = {
    "profile-manager (9 operations)": "Bearer-token API of the Symphony Groups extension, not a bot API",
    "community-connect": "channel-partner API, not served to bots",
    "users (SDL groups, app users)": "tenant-management API of a separate service",
    "files-api (content export)": "compliance export API with its own IdM token flow",
}


def _endpoint_names_in(node: ast.AST) -> list[str]:
    names = []
    for child in ast.walk(node):
        if isinstance(child, ast.Constant) and isinstance(child.value, str) and child.value in ENDPOINTS:
            names.append(child.value)
    return names


def modern_methods() -> dict[tuple[str, str], set[str]]:
    """(service, method) → table entries it calls; generic methods map to their own entry."""
    mapping: dict[tuple[str, str], set[str]] = defaultdict(set)
    for entry in ENDPOINTS.values():
        mapping[(entry.service, entry.method_name)].add(entry.name)
    for module in (PACKAGE / "rest").glob("*.py"):
        for node in ast.parse(module.read_text()).body:
            if not isinstance(node, ast.ClassDef):
                continue
            service = next(
                (
                    stmt.value.value
                    for stmt in node.body
                    if isinstance(stmt, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == "service_name" for t in stmt.targets)
                    and isinstance(stmt.value, ast.Constant)
                ),
                None,
            )
            if not service:
                continue
            for stmt in node.body:
                if isinstance(stmt, ast.FunctionDef):
                    mapping[(service, stmt.name)] = set(_endpoint_names_in(stmt))
    return mapping


def legacy_methods() -> dict[str, set[str]]:
    """legacy method name → table entries it calls (``Class.method`` style names are unique)."""
    mapping: dict[str, set[str]] = defaultdict(set)
    for module in (PACKAGE / "clients").glob("*_client.py"):
        for node in ast.parse(module.read_text()).body:
            if isinstance(node, ast.ClassDef):
                for stmt in node.body:
                    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and not stmt.name.startswith(
                        "_"
                    ):
                        names = _endpoint_names_in(stmt)
                        if names:
                            mapping[f"{node.name}.{stmt.name}"].update(names)
    return mapping


def _match_path(method: str, path: str) -> str | None:
    for entry in ENDPOINTS.values():
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(entry.path))
        if entry.method == method and re.fullmatch(pattern, path):
            return entry.name
    return None


def entries_hit_by_e2e() -> set[str]:
    """Table entries the e2e tests reach through a modern or legacy method or a raw call."""
    modern, legacy = modern_methods(), legacy_methods()
    legacy_by_short = defaultdict(set)
    for qualified, names in legacy.items():
        legacy_by_short[qualified.split(".", 1)[1]].update(names)
    hit: set[str] = set()
    service_call = re.compile(r"\.(" + "|".join(SERVICES) + r")\.(\w+)\(")
    for test_file in REPO.glob(E2E_GLOB):
        source = test_file.read_text()
        for service, method in service_call.findall(source):
            hit.update(modern.get((service, method), ()))
        for name in re.findall(r"\.call\(\"([a-z_]+\.[a-z0-9_]+)\"", source):
            hit.add(name)
        for method_name in re.findall(r"\.(\w+)\(", source):
            hit.update(legacy_by_short.get(method_name, ()))
        for verb, path in re.findall(r"execute_rest_call(?:_async)?\(\"(\w+)\", \"(/[^\"?]+)\"", source):
            found = _match_path(verb.upper(), path)
            if found:
                hit.add(found)
    return hit


def served_by_emulator() -> set[str]:
    """Table entries whose method + path the emulator (sympod) has a route for."""
    from starlette.routing import Route

    from sympod.routes import collect_routes

    served: set[str] = set()
    routes = [r for r in collect_routes() if isinstance(r, Route)]
    for entry in ENDPOINTS.values():
        concrete = re.sub(r"\{[^}]+\}", "x", entry.path)
        for route in routes:
            if entry.method in (route.methods or ()) and route.path_regex.fullmatch(concrete):
                served.add(entry.name)
                break
    return served


def render() -> str:
    operations = spec_operations()
    modern, legacy = modern_methods(), legacy_methods()
    # "tested" = called by an e2e test AND served by the emulator (a test of an unserved route skips)
    tested = entries_hit_by_e2e() & served_by_emulator()
    entries_by_op: dict[tuple[str, str, str], list[Endpoint]] = defaultdict(list)
    for entry in ENDPOINTS.values():
        family, path = split_prefix(entry.path)
        entries_by_op[(family, entry.method, path)].append(entry)
    legacy_by_entry: dict[str, list[str]] = defaultdict(list)
    for qualified, names in sorted(legacy.items()):
        for name in names:
            legacy_by_entry[name].append(qualified)
    modern_by_entry: dict[str, list[str]] = defaultdict(list)
    for (service, method), names in sorted(modern.items()):
        for name in names:
            modern_by_entry[name].append(f"{service}.{method}")

    covered = [key for key in operations if entries_by_op.get(key)]
    current = [key for key, op in operations.items() if not op.deprecated]
    tested_ops = [key for key in covered if any(e.name in tested for e in entries_by_op[key])]
    lines = [
        "# REST API coverage",
        "",
        "Generated by `python -m tests.contract.coverage` from the endpoint table",
        "(`src/sym_api_client_python/core/endpoints*.py`), the spec files (`symphony-api-spec`: pod, agent,",
        "login, authenticator; current and deprecated files) and the e2e tests (`tests/e2e/test_rest_*.py`).",
        "`tests/contract/test_spec_contract.py` checks every table entry against the spec (method, path,",
        'path and query parameter names, body kind, deprecation). "tested" means an e2e test calls the',
        "operation (directly or through a legacy method) and the emulator serves it.",
        "",
        "Every method exists on both facades with the same name and arguments:",
        "`SyncServices(client).<service>.<method>(...)` returns the result,",
        "`AsyncServices(async_client).<service>.<method>(...)` an awaitable. Entries without a hand-written",
        "method are generic methods built from the table (positional path values, query parameters as",
        'keywords, `body=` JSON); `services.call("<entry>", ...)` reaches any entry.',
        "",
        "## Using the services",
        "",
        "```python",
        "from sym_api_client_python.client import SyncApiClient, AsyncApiClient",
        "from sym_api_client_python.rest import SyncServices, AsyncServices",
        "",
        'with SyncApiClient.from_config("bot-config.json") as client:',
        "    services = SyncServices(client)",
        "    im = services.streams.create_im(user_id)",
        '    sent = services.messages.send(im.id, "<messageML>Report</messageML>", data={...},',
        '                                  attachments=["report.pdf", ("notes.txt", b"...")])',
        '    for room in services.streams.iter_rooms("project"):   # pages fetched on demand',
        "        ...",
        "    services.admin.list_ib_groups()                      # generic method from the table",
        "",
        'async with AsyncApiClient.from_config("bot-config.json") as client:',
        "    services = AsyncServices(client)",
        '    sent = await services.messages.send(stream_id, "hi")',
        "    async for message in services.messages.iter_messages(stream_id, since=0): ...",
        "```",
        "",
        "Stream and message ids are accepted in both base64 alphabets and sent URL-safe in paths.",
        "Query parameters the spec does not declare are refused with a `ValueError` naming them; HTTP",
        "errors raise the SDK's exceptions (`BadRequestError`, `ForbiddenError`...) with Symphony's message.",
        "",
        "## Summary",
        "",
        "| | count |",
        "|---|---|",
        f"| spec operations (pod, agent, login, authenticator; incl. deprecated) | {len(operations)} |",
        f"| of which current (not deprecated) | {len(current)} |",
        f"| covered by the endpoint table (sync + async methods) | {len(covered)} |",
        f"| endpoint-table entries (login/auth ops are served under two prefixes) | {len(ENDPOINTS)} |",
        f"| covered operations exercised by the e2e tests against the emulator | {len(tested_ops)} |",
        f"| BDK 3.0.0 generated operations, for comparison | {BDK_OPERATIONS} |",
        "",
        "## Excluded",
        "",
        "| spec | reason |",
        "|---|---|",
        *[f"| {name} | {reason} |" for name, reason in EXCLUDED_FAMILIES.items()],
        "",
        "No operation of the four covered families is left out. Some are callable only with special",
        "credentials (extension-app and OBO authentication need an app certificate or key; admin, DLP and",
        "audit-trail operations need admin roles); they are in the table so such bots can use them.",
        "",
    ]
    by_service: dict[str, list[tuple[tuple[str, str, str], Endpoint]]] = defaultdict(list)
    for key in sorted(operations, key=lambda k: (k[0], k[2], k[1])):
        for entry in entries_by_op.get(key, []):
            by_service[entry.service].append((key, entry))
    for service in SERVICES:
        rows = by_service.get(service)
        if not rows:
            continue
        lines += [
            f"## {service}",
            "",
            "| spec operation | entry | modern method(s) | legacy method(s) | deprecated | tested |",
            "|---|---|---|---|---|---|",
        ]
        for (_family, method, _path), entry in rows:
            op = operations[_spec_key_of(entry)]
            methods = ", ".join(f"`{m}`" for m in modern_by_entry.get(entry.name, [])) or "-"
            legacy_names = ", ".join(f"`{m}`" for m in legacy_by_entry.get(entry.name, [])) or "-"
            lines.append(
                f"| `{method} {entry.path}` | `{entry.name}` | {methods} | {legacy_names} | "
                f"{'yes' if op.deprecated else ''} | {'yes' if entry.name in tested else 'no'} |"
            )
        lines.append("")
    return "\n".join(lines)


def _spec_key_of(entry: Endpoint) -> tuple[str, str, str]:
    family, path = split_prefix(entry.path)
    return family, entry.method, path


def main() -> None:
    REPORT.write_text(render())
    print(f"wrote {REPORT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
