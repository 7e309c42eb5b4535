"""A local fake of the Anthropic Messages API (POST /v1/messages) for tests and benchmarks.

The real ``anthropic`` SDK talks HTTP to it (``base_url`` setting). Responses come from a script
(a queue of status, JSON body, headers) or, when the queue is empty, from an optional default
responder; every request received is recorded. Bodies have the real API's shapes (see the SDK's
``anthropic.types``: Message, Usage, ServerToolUseBlock, WebSearchToolResultBlock, TextBlock with
web_search_result_location citations, error envelopes).
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_ids = itertools.count(1)


@dataclass
class Reply:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class ReceivedRequest:
    path: str
    headers: dict[str, str]  # names lower-cased
    body: dict[str, Any]


# -- response builders (shapes of the real API) ---------------------------------------------------


def text_block(text: str, citations: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"type": "text", "text": text, "citations": citations}


def citation(url: str, cited_text: str, title: str = "") -> dict[str, Any]:
    return {
        "type": "web_search_result_location",
        "url": url,
        "title": title or url,
        "cited_text": cited_text,
        "encrypted_index": "Eo8BCioIAhgBIiQ0ZjU3",
    }


def web_search_call(query: str, tool_id: str | None = None) -> dict[str, Any]:
    return {
        "type": "server_tool_use",
        "id": tool_id or f"srvtoolu_{next(_ids):024d}",
        "name": "web_search",
        "input": {"query": query},
    }


def web_search_results(tool_use_id: str, results: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "type": "web_search_tool_result",
        "tool_use_id": tool_use_id,
        "content": [
            {
                "type": "web_search_result",
                "url": url,
                "title": title,
                "encrypted_content": "EqgfCioIARgBIiQ3",
                "page_age": None,
            }
            for url, title in results
        ],
    }


def message(
    content: list[dict[str, Any]],
    *,
    stop_reason: str = "end_turn",
    input_tokens: int = 1200,
    output_tokens: int = 300,
    cache_creation_input_tokens: int = 0,
    cache_read_input_tokens: int = 0,
    web_search_requests: int = 0,
    model: str = "claude-haiku-4-5",
) -> Reply:
    body = {
        "id": f"msg_{next(_ids):024d}",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": {
            "input_tokens": input_tokens,
            "output_tokens": output_tokens,
            "cache_creation_input_tokens": cache_creation_input_tokens,
            "cache_read_input_tokens": cache_read_input_tokens,
            "server_tool_use": {"web_search_requests": web_search_requests, "web_fetch_requests": 0},
            "service_tier": "standard",
        },
    }
    return Reply(200, body, {"request-id": f"req_{next(_ids):024d}"})


def answer(records: list[dict[str, Any]], **kwargs: Any) -> Reply:
    """A final structured answer: the JSON object in one text block."""
    return message([text_block(json.dumps({"records": records}))], **kwargs)


def text_answer(text: str, **kwargs: Any) -> Reply:
    """An answer written as a model may write it: any text (prose, fences, a cut JSON object) in one block."""
    return message([text_block(text)], **kwargs)


def sourced(value: Any, url: str, quote: str | None = None) -> dict[str, Any]:
    return {"value": value, "source_url": url, "quote": quote if quote is not None else str(value)}


ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}


def error(status: int, message_text: str = "", *, retry_after_seconds: float = 0.001) -> Reply:
    """An error envelope as the API sends it; a tiny retry-after keeps the SDK's retries fast."""
    kind = ERROR_TYPES.get(status, "api_error")
    body = {
        "type": "error",
        "error": {"type": kind, "message": message_text or kind},
        "request_id": f"req_{next(_ids)}",
    }
    headers = {"request-id": body["request_id"], "retry-after-ms": str(max(int(retry_after_seconds * 1000), 1))}
    return Reply(status, body, headers)


# -- the server ---------------------------------------------------------------------------------------


class FakeAnthropic:
    """Start with ``with FakeAnthropic() as fake:``; point the SDK at ``fake.base_url``."""

    def __init__(
        self, *, latency_seconds: float = 0.0, default: Callable[[dict[str, Any]], Reply] | None = None
    ) -> None:
        self.latency_seconds = latency_seconds
        self.default = default
        self.queue: deque[Reply] = deque()
        self.requests: list[ReceivedRequest] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start the fake first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def script(self, *replies: Reply) -> FakeAnthropic:
        with self._lock:
            self.queue.extend(replies)
        return self

    def _next(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            if self.queue:
                return self.queue.popleft()
        if self.default is not None:
            return self.default(body)
        reply = error(500, "the fake's script is exhausted")
        reply.headers["x-should-retry"] = "false"
        return reply

    def start(self) -> FakeAnthropic:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw or b"{}")
                except json.JSONDecodeError:
                    body = {"_raw": raw.decode(errors="replace")}
                with fake._lock:
                    fake.requests.append(
                        ReceivedRequest(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                    )
                if self.path.split("?")[0] != "/v1/messages":
                    reply = error(404, f"no route {self.path}")
                else:
                    if fake.latency_seconds:
                        time.sleep(fake.latency_seconds)
                    reply = fake._next(body)
                data = json.dumps(reply.body).encode()
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="fake-anthropic", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeAnthropic:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
