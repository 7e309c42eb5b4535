"""Fixtures for research tests: the bundled sample sites, a scriptable site, the fake Anthropic API."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from pydantic import SecretStr

from app.core.config import Settings
from app.research.sample_sites import start_sample_sites_server
from tests.fakes.anthropic_server import FakeAnthropic


@pytest.fixture(scope="session")
def sites() -> Iterator[str]:
    """Base URL of the bundled sample sites."""
    server, base_url = start_sample_sites_server()
    yield base_url
    server.shutdown()
    server.server_close()


@pytest.fixture
def settings() -> Settings:
    """Settings that let fetches reach 127.0.0.1 (and only that host), with no politeness delay."""
    return Settings(fetch_allowed_hosts=["127.0.0.1"], per_host_delay_seconds=0)


@dataclass
class Route:
    status: int = 200
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class SiteRequest:
    path: str
    headers: dict[str, str]


class ScriptedSite:
    """A local site whose routes a test sets; it records every request it receives."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route | Callable[[dict[str, str]], Route]] = {}
        self.requests: list[SiteRequest] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                headers = dict(self.headers.items())
                site.requests.append(SiteRequest(self.path, headers))
                route = site.routes.get(self.path, Route(404, "not found"))
                if callable(route):
                    route = route(headers)
                data = route.body.encode()
                self.send_response(route.status)
                if "Content-Type" not in route.headers:
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                for name, value in route.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        host, port = self.server.server_address[:2]
        self.base_url = f"http://{host}:{port}"

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site() -> Iterator[ScriptedSite]:
    scripted = ScriptedSite()
    yield scripted
    scripted.close()


@pytest.fixture
def llm_settings(fake_anthropic: FakeAnthropic) -> Settings:
    """Settings for the real SDK against the fake API."""
    return Settings(
        anthropic_api_key=SecretStr("sk-ant-test"),
        anthropic_base_url=fake_anthropic.base_url,
        anthropic_timeout_seconds=10,
        fetch_allowed_hosts=["127.0.0.1"],
        per_host_delay_seconds=0,
    )
