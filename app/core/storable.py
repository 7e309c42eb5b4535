"""Refuses request text that PostgreSQL cannot store (NUL characters, unpaired surrogates) with a 422."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse


def _unstorable(text: str) -> bool:
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a JSON "\\ud800" escape
        return True
    return False


def _bad_paths(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
    if isinstance(value, str):
        if _unstorable(value):
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            if _unstorable(key):
                yield (*path, key)
            yield from _bad_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _bad_paths(item, (*path, index))


def _error(loc: tuple[str | int, ...]) -> JSONResponse:
    detail = [
        {
            "type": "value_error",
            "loc": list(loc),
            "msg": "text contains a NUL character or an unpaired surrogate, which cannot be stored",
        }
    ]
    return JSONResponse({"detail": detail}, status_code=422)


def install_storable_text_check(app: FastAPI) -> None:
    @app.middleware("http")
    async def _check(request: Request, call_next: Any) -> Response:
        if _unstorable(request.scope["path"]):
            return _error(("path",))
        for key, value in request.query_params.multi_items():
            if _unstorable(key) or _unstorable(value):
                return _error(("query", key))
        if request.headers.get("content-type", "").startswith("application/json"):
            body = await request.body()
            try:
                payload = json.loads(body) if body else None
            except ValueError:
                payload = None  # malformed JSON: FastAPI's own validation answers it
            for path in _bad_paths(payload, ("body",)):
                return _error(path)
        response: Response = await call_next(request)
        return response
