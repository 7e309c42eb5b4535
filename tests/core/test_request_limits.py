"""What a stranger sends cannot stall the API: bodies are bounded and checked before they are read or parsed."""

from __future__ import annotations

import json
import select
import socket
import threading
import typing
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from app.auth.models import User
from app.auth.tokens import issue_token
from app.core.body import StrictJSONRoute
from app.core.config import get_settings
from app.main import app
from tests.factories import auth_headers, make_admin, make_builder, make_community

API = "/api/v1/admin"
LIMIT = get_settings().max_request_body_bytes
MIB = 1024 * 1024


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def live_api() -> Iterator[str]:
    """The app served by a real uvicorn on a free loopback port, for what only real sockets show."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            httpx.get(f"{base}/healthz", timeout=1)
            break
        except httpx.TransportError:
            threading.Event().wait(0.05)
    yield base
    server.should_exit = True
    thread.join(timeout=10)


def _unsaved_admin_token() -> str:
    """A correctly signed token: the checks before the body is read need no database."""
    return issue_token(User(user_id="USR-BODY-LIMIT", email="limit@artitec.local", role="admin"), get_settings())


def _port(base: str) -> int:
    return int(base.rsplit(":", 1)[1])


def _upload_until_answered(base: str, headers: str, total: int) -> tuple[str, int]:
    """Sends a chunked JSON body of up to ``total`` bytes, 64 KiB at a time, until the API answers.

    Returns the answer and how much was sent; /healthz must answer while the upload is held open."""
    chunk = b" " * 65536
    frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    with socket.create_connection(("127.0.0.1", _port(base)), timeout=30) as sock:
        head = f"POST {API}/builders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n{headers}"
        sock.sendall(f"{head}Transfer-Encoding: chunked\r\n\r\n".encode())
        sent = 0
        while sent < total:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break
            sock.sendall(frame)
            sent += len(chunk)
        answer = sock.recv(4096).decode()
        assert httpx.get(f"{base}/healthz", timeout=30).status_code == 200  # the upload is still open
    return answer, sent


def test_a_declared_body_over_the_limit_is_refused_naming_the_limit(client: TestClient) -> None:
    headers = {"Authorization": f"Bearer {_unsaved_admin_token()}", "Content-Type": "application/json"}

    response = client.post(f"{API}/builders", content=b" " * (LIMIT + 1), headers=headers)

    assert response.status_code == 413
    assert str(LIMIT) in response.json()["detail"]


def test_an_unauthenticated_100_mb_body_is_refused_before_it_is_read(live_api: str) -> None:
    length = 100 * MIB
    with socket.create_connection(("127.0.0.1", _port(live_api)), timeout=30) as sock:
        head = f"POST {API}/builders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        sock.sendall(f"{head}Content-Length: {length}\r\n\r\n".encode() + b"[" * 1024)
        answer = sock.recv(4096).decode()  # the answer comes with 1 KiB of the declared 100 MB sent

    assert answer.startswith("HTTP/1.1 413")
    assert str(LIMIT) in answer
    assert httpx.get(f"{live_api}/healthz").status_code == 200


def test_a_chunked_upload_without_a_token_is_refused_unread_and_healthz_answers_meanwhile(live_api: str) -> None:
    answer, sent = _upload_until_answered(live_api, "", 100 * MIB)

    assert answer.startswith("HTTP/1.1 401")
    assert sent < 100 * MIB  # refused on its headers: the client never had to send it all


def test_a_chunked_upload_with_a_token_stops_at_the_limit(live_api: str) -> None:
    answer, sent = _upload_until_answered(live_api, f"Authorization: Bearer {_unsaved_admin_token()}\r\n", 100 * MIB)

    assert answer.startswith("HTTP/1.1 413")
    assert str(LIMIT) in answer
    assert sent < 100 * MIB


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_json_is_a_400_with_or_without_a_token(client: TestClient, session: Session, depth: int) -> None:
    body = "[" * depth + "]" * depth
    with_token = {**auth_headers(make_admin(session)), "Content-Type": "application/json"}

    authorized = client.post(f"{API}/builders", content=body, headers=with_token)
    anonymous = client.post(f"{API}/builders", content=body, headers={"Content-Type": "application/json"})

    assert authorized.status_code == 400 and "nested more than" in authorized.json()["detail"]
    assert anonymous.status_code == 401


def _numeric_targets(session: Session) -> list[tuple[str, str, str, str]]:
    """(method, path, field, body template) for the numeric fields of each kind of write."""
    builder = make_builder(session)
    community = make_community(session)
    return [
        ("POST", f"{API}/builders", "rating", '{"name": "Perry Homes", "rating": %s}'),
        ("PATCH", f"{API}/builders/{builder.id}", "rating", '{"rating": %s}'),
        ("POST", f"{API}/communities", "latitude", '{"name": "Cinco Ranch", "latitude": %s}'),
        ("PATCH", f"{API}/communities/{community.id}", "longitude", '{"longitude": %s}'),
        ("POST", f"{API}/properties", "price", '{"title": "12 Elm", "price": %s}'),
        ("POST", f"{API}/builders/{builder.id}/collect", "priority", '{"priority": %s}'),
        ("POST", f"{API}/communities/discover", "radius_miles", '{"location": "Katy, TX", "radius_miles": %s}'),
        ("POST", f"{API}/properties/discover", "min_price", '{"location": "Katy, TX", "min_price": %s}'),
        ("PATCH", f"{API}/sources/1", "rate_limit_per_day", '{"rate_limit_per_day": %s}'),
    ]


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_non_finite_numbers_are_a_422_naming_the_field(client: TestClient, session: Session, number: str) -> None:
    headers = {**auth_headers(make_admin(session)), "Content-Type": "application/json"}

    for method, path, field, template in _numeric_targets(session):
        response = client.request(method, path, content=template % number, headers=headers)

        assert response.status_code == 422, (path, response.text)
        assert response.json()["detail"][0]["loc"] == ["body", field], path


def test_a_nested_non_finite_number_is_named_where_it_is(client: TestClient, session: Session) -> None:
    headers = {**auth_headers(make_admin(session)), "Content-Type": "application/json"}
    body = '{"name": "Perry Homes", "socials": {"x": NaN}}'

    response = client.post(f"{API}/builders", content=body, headers=headers)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "socials", "x"]


def test_a_422_echoes_only_a_short_excerpt_of_the_bad_input(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))
    huge = "x" * (LIMIT - 1000)

    too_long = client.post(f"{API}/builders", json={"name": huge}, headers=headers)
    wrong_type = client.post(f"{API}/builders", json={"name": "Perry Homes", "rating": [huge]}, headers=headers)

    for response in (too_long, wrong_type):
        assert response.status_code == 422
        assert len(response.content) < 2_000
    assert too_long.json()["detail"][0]["loc"] == ["body", "name"]
    assert too_long.json()["detail"][0]["input"].endswith(f"({len(huge)} characters)")


def test_a_long_list_field_is_refused(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))

    too_many = client.post(f"{API}/builders", json={"name": "Perry Homes", "specialties": ["a"] * 101}, headers=headers)
    too_long = client.post(f"{API}/builders", json={"name": "Perry Homes", "specialties": ["a" * 256]}, headers=headers)

    assert too_many.status_code == 422 and too_many.json()["detail"][0]["loc"] == ["body", "specialties"]
    assert too_long.status_code == 422 and too_long.json()["detail"][0]["loc"] == ["body", "specialties", 0]


def test_a_boolean_field_refuses_a_string(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))
    builder = make_builder(session)

    response = client.post(f"{API}/builders/{builder.id}/collect", json={"auto_apply": "yes"}, headers=headers)

    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "auto_apply"]


def _body_models() -> dict[str, type[BaseModel]]:
    models: dict[str, type[BaseModel]] = {}
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and route.body_field is not None:
            annotation = route.body_field.field_info.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                models[annotation.__name__] = annotation
    return models


def test_every_route_parses_json_strictly() -> None:
    routes = [c.original_route for c in iter_route_contexts(app.routes) if isinstance(c.original_route, APIRoute)]
    routes = [route for route in routes if route.include_in_schema]  # the docs pages take no body

    assert routes
    assert [r.path for r in routes if not isinstance(r, StrictJSONRoute)] == []


def _is_bool(annotation: Any) -> bool:
    return annotation is bool or bool in typing.get_args(annotation)


def test_every_boolean_of_a_request_body_is_strict() -> None:
    lax: list[str] = []
    models = _body_models()
    assert models
    for name, model in models.items():
        for field, info in model.model_fields.items():
            if not _is_bool(info.annotation):
                continue
            try:
                model.model_validate_json(json.dumps({field: "yes"}))
            except ValidationError as exc:
                if any(error["loc"] == (field,) and error["type"] == "bool_type" for error in exc.errors()):
                    continue
            lax.append(f"{name}.{field}")

    assert lax == []


def _unbounded(schema: dict[str, Any], where: str, components: dict[str, Any], seen: frozenset[str]) -> Iterator[str]:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        if name in seen:
            return
        yield from _unbounded(components[name], name, components, seen | {name})
        return
    alternatives = schema.get("anyOf", []) + schema.get("oneOf", []) + schema.get("allOf", [])
    numeric = any(alt.get("type") in ("number", "integer") for alt in alternatives)
    for alternative in alternatives:
        if not (numeric and alternative.get("type") == "string"):  # a decimal's string form: bounded by its number
            yield from _unbounded(alternative, where, components, seen)
    kind = schema.get("type")
    if kind == "string" and not ({"maxLength", "enum", "const"} & schema.keys() or schema.get("format") in TIMES):
        yield f"{where}: string without maxLength"
    if kind == "array":
        if "maxItems" not in schema:
            yield f"{where}: array without maxItems"
        yield from _unbounded(schema.get("items", {}), f"{where}[]", components, seen)
    if kind == "object":
        for name, child in schema.get("properties", {}).items():
            yield from _unbounded(child, f"{where}.{name}", components, seen)
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            if "maxProperties" not in schema:
                yield f"{where}: object without maxProperties"
            yield from _unbounded(extra, f"{where}{{}}", components, seen)


TIMES = ("date", "date-time", "time", "duration")


def test_every_string_and_list_of_a_request_body_is_bounded() -> None:
    spec = app.openapi()
    components = spec["components"]["schemas"]
    found: list[str] = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                found.extend(_unbounded(content["schema"], f"{method.upper()} {path}", components, frozenset()))

    assert sorted(set(found)) == []
