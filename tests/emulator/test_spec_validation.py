"""The spec validator itself: it must reject what the spec rejects, or the fidelity figures mean nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from .spec_validation import SpecValidationError, SpecValidator, default_validator

SWAGGER = """
swagger: '2.0'
paths:
  /v1/thing/{id}/info:
    get:
      responses:
        200:
          schema: {$ref: '#/definitions/Thing'}
        204: {description: none}
        400:
          schema: {$ref: '#/definitions/Error'}
  /v1/thing/list/info:
    get:
      responses:
        200:
          schema: {type: array, items: {$ref: '#/definitions/Thing'}}
definitions:
  Thing:
    type: object
    required: [id]
    properties:
      id: {type: integer}
      kind: {type: string, enum: [A, B]}
  Error:
    type: object
    properties: {code: {type: integer}, message: {type: string}}
"""
SWAGGER_DEPRECATED = """
swagger: '2.0'
paths:
  /v0/old:
    get:
      responses:
        200: {schema: {type: object, properties: {ok: {type: boolean}}}}
definitions: {}
"""
OPENAPI = """
openapi: 3.0.1
paths:
  /v1/item:
    post:
      responses:
        '201':
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
components:
  schemas:
    Item:
      allOf:
        - {$ref: '#/components/schemas/Base'}
        - {type: object, required: [size], properties: {size: {type: integer}}}
    Base:
      type: object
      required: [name]
      properties: {name: {type: string}}
"""


@pytest.fixture
def validator(tmp_path: Path) -> SpecValidator:
    (tmp_path / "pod").mkdir()
    (tmp_path / "agent").mkdir()
    (tmp_path / "pod" / "pod-api-public.yaml").write_text(SWAGGER)
    (tmp_path / "pod" / "pod-api-public-deprecated.yaml").write_text(SWAGGER_DEPRECATED)
    (tmp_path / "agent" / "agent-api-public.yaml").write_text(OPENAPI)
    (tmp_path / "agent" / "agent-api-public-deprecated.yaml").write_text(OPENAPI)
    return SpecValidator(tmp_path)


def test_swagger_bodies_are_checked_through_refs(validator: SpecValidator) -> None:
    operation = validator.validate("GET", "/pod/v1/thing/7/info", 200, {"id": 7, "kind": "A"})
    assert operation.template == "/pod/v1/thing/{id}/info"
    with pytest.raises(SpecValidationError, match="at id: '7' is not of type 'integer'"):
        validator.validate("GET", "/pod/v1/thing/7/info", 200, {"id": "7"})
    with pytest.raises(SpecValidationError, match="'C' is not one of"):
        validator.validate("GET", "/pod/v1/thing/7/info", 200, {"id": 1, "kind": "C"})
    with pytest.raises(SpecValidationError, match="'id' is a required property"):
        validator.validate("GET", "/pod/v1/thing/7/info", 200, {})


def test_literal_paths_win_over_templates_and_trailing_slashes_match(validator: SpecValidator) -> None:
    assert validator.validate("GET", "/pod/v1/thing/list/info/", 200, [{"id": 1}]).template == (
        "/pod/v1/thing/list/info"
    )


def test_undeclared_status_and_unknown_operation_fail(validator: SpecValidator) -> None:
    with pytest.raises(SpecValidationError, match="status 404 is not declared"):
        validator.validate("GET", "/pod/v1/thing/7/info", 404, {"code": 404, "message": "x"})
    with pytest.raises(SpecValidationError, match="no operation"):
        validator.validate("DELETE", "/pod/v1/thing/7/info", 200, None)
    assert validator.validate("GET", "/pod/v1/thing/7/info", 204, None).method == "GET"


def test_deprecated_file_is_the_fallback(validator: SpecValidator) -> None:
    operation = validator.validate("GET", "/pod/v0/old", 200, {"ok": True})
    assert operation.spec_file == "pod/pod-api-public-deprecated.yaml"


def test_openapi3_all_of_and_components(validator: SpecValidator) -> None:
    validator.validate("POST", "/agent/v1/item", 201, {"name": "n", "size": 1})
    with pytest.raises(SpecValidationError, match="'size' is a required property"):
        validator.validate("POST", "/agent/v1/item", 201, {"name": "n"})


def test_real_spec_catches_a_v4_message_attachment_without_images() -> None:
    message = {"messageId": "m", "attachments": [{"id": "f", "name": "a.txt", "size": 1}]}
    with pytest.raises(SpecValidationError, match="'images' is a required property"):
        default_validator().validate("GET", "/agent/v1/message/m", 200, message)
    message["attachments"][0]["images"] = []  # type: ignore[index]
    default_validator().validate("GET", "/agent/v1/message/m", 200, message)
