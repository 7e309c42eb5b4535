"""Admission: how many requests one API process works on at once; the others wait their turn.

A request in progress holds a database connection between the threadpool calls FastAPI makes for it
(dependencies, endpoint, response). Were every request let in at once, the threads could all end up
waiting for connections held by requests that wait for a thread: the process would stall. Letting in
no more requests than there are threads and connections makes every wait one that ends. A request that
waits longer than the queue timeout gets a 503 with Retry-After; `/healthz` never waits.
"""

from __future__ import annotations

import anyio
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from app.core.config import get_settings

# Probes answer from the event loop and touch no database: they must never queue behind requests.
UNLIMITED_PATHS = frozenset({"/healthz"})


class RequestAdmission:
    """ASGI middleware: at most api_max_concurrent_requests in progress; the rest wait on the event loop."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._turns: anyio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in UNLIMITED_PATHS:
            await self.app(scope, receive, send)
            return
        settings = get_settings()
        if self._turns is None:
            self._turns = anyio.Semaphore(settings.api_max_concurrent_requests)
        turns = self._turns
        admitted = False
        with anyio.move_on_after(settings.api_queue_timeout_seconds):
            await turns.acquire()
            admitted = True
        if not admitted:
            busy = JSONResponse(
                {
                    "detail": f"the server is busy: this request waited {settings.api_queue_timeout_seconds:g} s "
                    "for its turn; try again after Retry-After seconds"
                },
                status_code=503,
                headers={"Retry-After": "2"},
            )
            await busy(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            turns.release()
