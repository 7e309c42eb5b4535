"""Request bodies a stranger cannot use to stall the API, and JSON parsed once, strictly.

``RequestGuard`` (ASGI) refuses a body over the size limit before reading it (413), refuses a request to
a protected path without a valid token before reading its body (401), and refuses text PostgreSQL cannot
store in the path or query (422). ``StrictJSONRoute`` makes the route's one JSON parse refuse what JSON
does not allow (NaN, Infinity, numbers beyond a float) or the database cannot store, naming the field.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Deeper than this, a body is refused before validation: no request schema nests anywhere near it.
MAX_JSON_DEPTH = 32

Loc = tuple[str | int, ...]
UNSTORABLE = "text contains a NUL character or an unpaired surrogate, which cannot be stored"


class _NotJSON:
    """What ``NaN``, ``Infinity`` and ``-Infinity`` parse to: JSON has no such numbers."""

    def __init__(self, text: str) -> None:
        self.text = text


def unstorable(text: str) -> bool:
    """True for text PostgreSQL cannot store: a NUL character or an unpaired surrogate."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a JSON "\\ud800" escape
        return True
    return False


def _problems(value: Any) -> Iterator[tuple[Loc, str, str]]:
    """(location, error type, message) of each value the API refuses; iterative, so depth cannot crash it."""
    stack: list[tuple[Any, Loc]] = [(value, ("body",))]
    while stack:
        item, loc = stack.pop()
        if len(loc) > MAX_JSON_DEPTH + 1:
            yield loc[:-1], "json_too_deep", f"JSON nested more than {MAX_JSON_DEPTH} levels deep"
            return
        if isinstance(item, str):
            if unstorable(item):
                yield loc, "unstorable_text", UNSTORABLE
        elif isinstance(item, _NotJSON) or (isinstance(item, float) and not math.isfinite(item)):
            yield loc, "finite_number", "Input should be a finite number (NaN, Infinity and overflowing numbers)"
        elif isinstance(item, dict):
            for key, child in reversed(item.items()):
                if unstorable(key):
                    yield (*loc, key), "unstorable_text", UNSTORABLE
                stack.append((child, (*loc, key)))
        elif isinstance(item, list):
            stack.extend((child, (*loc, index)) for index, child in reversed(list(enumerate(item))))


def parse_json(body: bytes) -> Any:
    """The body's JSON, or an HTTPException (400 unreadable or too deep, 422 naming the bad field)."""
    try:
        value = json.loads(body, parse_constant=_NotJSON)
    except RecursionError as exc:
        raise HTTPException(400, f"JSON nested more than {MAX_JSON_DEPTH} levels deep") from exc
    for loc, kind, message in _problems(value):
        if kind == "json_too_deep":
            raise HTTPException(400, message)
        raise HTTPException(422, [{"type": kind, "loc": list(loc), "msg": message}])
    return value


class StrictJSONRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = parse_json(await self.body())
        return self._json


class StrictJSONRoute(APIRoute):
    """A route whose JSON body goes through ``parse_json`` (FastAPI's recipe for a custom Request)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict_handler(request: Request) -> Response:
            return await handler(StrictJSONRequest(request.scope, request.receive))

        return strict_handler


class BodyTooLarge(HTTPException):
    """Raised while the body is read: FastAPI passes HTTP errors through its body parsing to the handler."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, too_large_message(limit))


def too_large_message(limit: int) -> str:
    return f"request body larger than the limit of {limit} bytes"


def _error(status: int, detail: Any, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


class RequestGuard:
    """Checks what costs nothing to check before the body is read, and bounds what is read.

    ``authorize`` takes a request to a ``protected_prefix`` path (its headers and cookies) and answers
    None when it carries a valid token, else the reason; only then is the body read.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        protected_prefix: str,
        authorize: Callable[[Request], str | None],
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.protected_prefix = protected_prefix
        self.authorize = authorize

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        received = 0

        async def bounded_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:  # a chunked body has no Content-Length to check first
                    raise BodyTooLarge(self.max_body_bytes)
            return message

        await self.app(scope, bounded_receive, send)

    def _refusal(self, scope: Scope) -> JSONResponse | None:
        """The answer to a request refused on its headers, path and query alone; None to go on."""
        request = Request(scope)
        if unstorable(scope["path"]):
            return _error(422, [{"type": "unstorable_text", "loc": ["path"], "msg": UNSTORABLE}])
        for key, value in request.query_params.multi_items():
            if unstorable(key) or unstorable(value):
                return _error(422, [{"type": "unstorable_text", "loc": ["query", key], "msg": UNSTORABLE}])
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body_bytes:
            return _error(413, too_large_message(self.max_body_bytes))
        if scope["path"].startswith(self.protected_prefix):
            reason = self.authorize(request)
            if reason is not None:
                return _error(401, reason, {"WWW-Authenticate": "Bearer"})
        return None
