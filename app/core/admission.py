"""Admission: how many requests one API process works on at once; the others wait their turn.

A request in progress holds a database connection between the threadpool calls FastAPI makes for it
(dependencies, endpoint, response). Were every request let in at once, the threads could all end up
waiting for connections held by requests that wait for a thread: the process would stall. Letting in
no more requests than there are threads and connections makes every wait one that ends. A request that
waits longer than the queue timeout gets a 503 with Retry-After; `/healthz` never waits.

Event streams stay open for hours but hold no thread or connection while they wait: each takes a turn
only until its response starts (auth, the job lookup), and is counted against a cap of its own.
"""

from __future__ import annotations

from collections.abc import Callable

import anyio
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.config import get_settings

# Probes answer from the event loop and touch no database: they must never queue behind requests.
UNLIMITED_PATHS = frozenset({"/healthz"})


def _busy(detail: str, retry_after: int) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=503, headers={"Retry-After": str(retry_after)})


class RequestAdmission:
    """ASGI middleware: at most api_max_concurrent_requests in progress; the rest wait on the event loop.

    ``is_stream`` tells which paths answer with a long-lived stream: at most event_streams_max of them
    are open at once, and each gives its turn back once its response has started."""

    def __init__(self, app: ASGIApp, is_stream: Callable[[str], bool] = lambda _path: False) -> None:
        self.app = app
        self.is_stream = is_stream
        self._turns: anyio.Semaphore | None = None
        self.open_streams = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in UNLIMITED_PATHS:
            await self.app(scope, receive, send)
            return
        if not self.is_stream(scope["path"]):
            await self._admitted(scope, receive, send, stream=False)
            return
        cap = get_settings().event_streams_max
        if self.open_streams >= cap:
            busy = _busy(f"this server already has {cap} event streams open; reconnect after Retry-After seconds", 5)
            await busy(scope, receive, send)
            return
        self.open_streams += 1
        try:
            await self._admitted(scope, receive, send, stream=True)
        finally:
            self.open_streams -= 1

    async def _admitted(self, scope: Scope, receive: Receive, send: Send, *, stream: bool) -> None:
        settings = get_settings()
        if self._turns is None:
            self._turns = anyio.Semaphore(settings.api_max_concurrent_requests)
        turns = self._turns
        admitted = False
        with anyio.move_on_after(settings.api_queue_timeout_seconds):
            await turns.acquire()
            admitted = True
        if not admitted:
            busy = _busy(
                f"the server is busy: this request waited {settings.api_queue_timeout_seconds:g} s "
                "for its turn; try again after Retry-After seconds",
                2,
            )
            await busy(scope, receive, send)
            return
        holding = True

        async def send_then_give_back(message: Message) -> None:
            nonlocal holding
            # The stream's own work (auth, the lookup, its session) is done once its response starts.
            if holding and message["type"] == "http.response.start":
                holding = False
                turns.release()
            await send(message)

        try:
            await self.app(scope, receive, send_then_give_back if stream else send)
        finally:
            if holding:
                turns.release()
