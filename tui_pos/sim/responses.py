"""HTTP answers of the simulator and the contract's error bodies."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from tui_pos.sim.errors import ErrorCode

Headers = Sequence[tuple[str, str]]


@dataclass(frozen=True)
class SimResponse:
    """A complete HTTP answer, independent of how it travels."""

    status: int
    headers: Headers
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def json_response(status: int, payload: Any, headers: Headers = ()) -> SimResponse:
    body = json.dumps(payload, separators=(",", ":")).encode()
    return SimResponse(status, [("content-type", "application/json"), *headers], body)


def rest_error(status: int, message: str | None = None, headers: Headers = ()) -> SimResponse:
    """``{"error": {"code": <status>, "message", "details": null}}`` with that HTTP status."""
    text = message if message is not None else HTTPStatus(status).phrase
    payload = {"error": {"code": status, "message": text, "details": None}}
    return json_response(status, payload, headers)


def graphql_error(
    code: ErrorCode, message: str, path: Sequence[str | int] | None
) -> dict[str, Any]:
    """One entry of a GraphQL ``errors`` list, shaped as the contract says."""
    return {
        "message": message,
        "path": list(path) if path is not None else None,
        "extensions": {"code": code.value, "status": code.status},
    }


def graphql_failure(
    code: ErrorCode, message: str, path: Sequence[str | int] | None, status: int = 200
) -> SimResponse:
    """``{"data": null, "errors": [...]}``: HTTP 200 unless the request itself was unusable."""
    return json_response(status, {"data": None, "errors": [graphql_error(code, message, path)]})
