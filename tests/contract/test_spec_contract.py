"""Every endpoint-table entry is an operation of the public spec: method, path template, path and
query parameter names, body kind and deprecation all match; and every spec operation is in the
table (or excluded with a reason in the coverage report)."""

from __future__ import annotations

import pytest

from sym_api_client_python.core.endpoints import ENDPOINTS, Endpoint

from .spec_index import SPEC_DIR, spec_operations, split_prefix

pytestmark = pytest.mark.skipif(not SPEC_DIR.is_dir(), reason=f"spec files not found in {SPEC_DIR}")


def _spec_key(entry: Endpoint) -> tuple[str, str, str]:
    family, path = split_prefix(entry.path)
    return family, entry.method, path


@pytest.mark.parametrize("entry", sorted(ENDPOINTS.values(), key=lambda e: e.name), ids=lambda e: e.name)
def test_entry_matches_the_spec(entry: Endpoint) -> None:
    operations = spec_operations()
    operation = operations.get(_spec_key(entry))
    assert operation is not None, f"{entry.name}: {entry.method} {entry.path} is not in the spec"
    assert set(entry.path_params) == operation.path_params, f"{entry.name}: path parameters differ"
    assert set(entry.query) == operation.query_params, f"{entry.name}: query parameters differ"
    assert entry.body.value == operation.body, (
        f"{entry.name}: body kind {entry.body.value} vs spec {operation.body}"
    )
    assert entry.deprecated == operation.deprecated, (
        f"{entry.name}: deprecated flag differs from {operation.file}"
    )


def test_every_spec_operation_is_in_the_table() -> None:
    covered = {_spec_key(entry) for entry in ENDPOINTS.values()}
    missing = sorted(f"{m} {f}:{p}" for (f, m, p) in spec_operations() if (f, m, p) not in covered)
    assert not missing, f"spec operations without a table entry: {missing}"
