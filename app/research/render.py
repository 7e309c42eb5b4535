"""Headless Chromium for pages that need JavaScript, every request the page makes held to the fetch guard.

Chromium never reaches the network itself. Each request the page makes is intercepted (Playwright's
``page.route`` over the Chrome DevTools Protocol), checked — http(s) only, the SSRF rules on the host's
resolved addresses, opt-outs, robots.txt for documents, the per-render limits — and fetched in Python by the
guard, pinned to the address it checked, so a second DNS answer cannot send it elsewhere. Images, fonts and
media are never downloaded. Whatever escapes interception (a preconnect, WebRTC) meets a proxy that is not
there.

The browsers are shared by the workers of one machine: ``render_browsers`` slots, each one Chromium process
that any worker process uses while it holds the slot's file lock. A render that overruns its time or memory
kills its browser and the next render starts a new one.
"""

from __future__ import annotations

import atexit
import fcntl
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Playwright, Request, Route, sync_playwright
from sqlalchemy import select

from app.core.config import Settings
from app.research.bdx import looks_like_bdx, parse_bdx
from app.research.fetch import Fetcher, SourceRefused
from app.research.findings import Extractor, Finding
from app.research.guard import FetchRefused, GuardedResponse, check_url, guarded_get
from app.research.listings import listing_findings
from app.research.structured import extract_structured, schema_org_findings
from app.research.text import main_text
from app.sources.bookkeeping import registered_domain
from app.sources.models import CollectionSource

# Resource types a page may load: its documents, scripts, styles and data. Images, fonts and media are not.
SKIPPED_TYPES = {"image", "media", "font", "imageset", "texttrack", "beacon", "ping", "csp_report", "manifest"}
MAX_BODIES = 50  # JSON / XML bodies kept per page
READ_METHODS = {"GET", "HEAD", "POST"}  # POST for search APIs that take their query in the body
GRACE_SECONDS = 5.0  # past the time limit, a browser still busy is killed
LAUNCH_SECONDS = 20.0
# Dropped from a response handed back to the page: the body is already decoded and its length recomputed.
_HOP_HEADERS = {"content-encoding", "content-length", "transfer-encoding", "connection", "keep-alive"}
_NOT_FORWARDED = {"host", "connection", "content-length", "accept-encoding", "cookie"}
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",  # workers run as root in containers, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--mute-audio",
    # Every request is answered by the interception; anything else goes to a proxy that does not exist,
    # loopback included (Chromium sends loopback around a proxy unless told otherwise).
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
]


class RenderFailed(Exception):
    """The page could not be rendered; the message says why (it becomes the job's warning)."""


@dataclass
class LoadedBody:
    """A JSON or XML response the page's scripts loaded."""

    url: str
    text: str


@dataclass
class RenderedPage:
    url: str  # where the page ended up
    html: str  # the final DOM
    text: str  # its visible text
    bodies: list[LoadedBody]
    requests: int  # fetched for the page, the document included
    refused: list[str]  # requests refused by the guard, robots.txt, opt-outs or the limits


def chromium_executable(settings: Settings) -> str | None:
    """The Chromium to launch, or None when it is not installed."""
    return shutil.which(settings.chromium_path)


def marked_for_render(session: Any, url: str) -> bool:
    """Whether an admin marked the URL's source as one whose pages must be rendered."""
    domain = registered_domain(url)
    return bool(session.scalar(select(CollectionSource.render).where(CollectionSource.domain == domain)))


# -- the shared browsers


@dataclass
class Browser:
    """One Chromium process, reached over the DevTools protocol at ``endpoint``."""

    pid: int
    endpoint: str
    profile: str

    def alive(self) -> bool:
        try:
            cmdline = Path(f"/proc/{self.pid}/cmdline").read_bytes()
        except OSError:
            return False
        return f"--user-data-dir={self.profile}".encode() in cmdline

    def processes(self) -> list[int]:
        """The browser and its helpers (renderers, zygote): the process group it leads."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # Fields after the command name: state, ppid, pgrp, ...
            fields = stat.rsplit(")", 1)[-1].split()
            if len(fields) > 2 and fields[2] == str(self.pid):
                found.append(int(entry.name))
        return found

    def memory_mb(self) -> float:
        """Memory of all the browser's processes, shared pages divided among them (PSS, not RSS)."""
        total_kb = 0
        for pid in self.processes():
            try:
                for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                    if line.startswith("Pss:"):
                        total_kb += int(line.split()[1])
            except OSError:
                continue
        return total_kb / 1024

    def kill(self) -> None:
        """Kill the browser with all its processes, and forget its profile."""
        if self.alive():
            with suppress(OSError):
                os.killpg(self.pid, signal.SIGKILL)
        child = _LAUNCHED.pop(self.pid, None)
        if child is not None:
            child.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


_LAUNCHED: dict[int, subprocess.Popen[bytes]] = {}


def launch_browser(settings: Settings, executable: str) -> Browser:
    """Start Chromium with a new empty profile; its DevTools port is a free one it picks itself."""
    profile = tempfile.mkdtemp(prefix="artitec-chromium-")
    heap_mb = max(settings.render_max_memory_mb // 2, 32)
    command = [
        executable,
        *CHROMIUM_FLAGS,
        f"--js-flags=--max-old-space-size={heap_mb}",
        f"--user-data-dir={profile}",
        "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0",
        "about:blank",
    ]
    child = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: killing the group leaves no helper behind
    )
    _LAUNCHED[child.pid] = child
    browser = Browser(child.pid, "", profile)
    port_file = Path(profile) / "DevToolsActivePort"
    deadline = time.monotonic() + LAUNCH_SECONDS
    while time.monotonic() < deadline:
        if child.poll() is not None:
            browser.kill()
            raise RenderFailed(f"Chromium exited at start (exit code {child.returncode})")
        lines = port_file.read_text().split() if port_file.exists() else []
        if lines:
            browser.endpoint = f"http://127.0.0.1:{lines[0]}"
            return browser
        time.sleep(0.05)
    browser.kill()
    raise RenderFailed(f"Chromium did not start within {LAUNCH_SECONDS:g} seconds")


class BrowserPool:
    """``size`` browser slots shared by every worker process of the machine through file locks."""

    def __init__(self, settings: Settings, executable: str) -> None:
        self.settings = settings
        self.executable = executable
        self.size = settings.render_browsers
        folder = settings.render_pool_dir or os.path.join(tempfile.gettempdir(), f"artitec-render-{os.getuid()}")
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._owned: set[int] = set()  # slots whose browser this process launched

    def _state_file(self, slot: int) -> Path:
        return self.folder / f"slot-{slot}.json"

    def _acquire(self, deadline: float) -> tuple[int, int]:
        """A free slot, locked: its number and the lock's file descriptor."""
        while True:
            for slot in range(self.size):
                fd = os.open(self.folder / f"slot-{slot}.lock", os.O_RDWR | os.O_CREAT, 0o600)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    os.close(fd)
                    continue
                return slot, fd
            if time.monotonic() >= deadline:
                raise RenderFailed(f"all {self.size} browsers stayed busy; the page was not rendered in time")
            time.sleep(0.05)

    def _running(self, slot: int) -> Browser | None:
        try:
            browser = Browser(**json.loads(self._state_file(slot).read_text()))
        except (OSError, ValueError, TypeError):
            return None
        if browser.alive():
            return browser
        shutil.rmtree(browser.profile, ignore_errors=True)
        return None

    @contextmanager
    def browser(self, deadline: float) -> Iterator[Browser]:
        """A running browser, for this caller alone until the block ends; over its memory limit it is recycled."""
        slot, fd = self._acquire(deadline)
        try:
            browser = self._running(slot)
            if browser is None:
                browser = launch_browser(self.settings, self.executable)
                self._state_file(slot).write_text(json.dumps(browser.__dict__))
                self._owned.add(slot)
            try:
                yield browser
            finally:
                if browser.alive() and browser.memory_mb() > self.settings.render_max_memory_mb:
                    browser.kill()
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def shutdown(self) -> None:
        """Stop the browsers this process launched (waiting for a render that is using one)."""
        for slot in sorted(self._owned):
            fd = os.open(self.folder / f"slot-{slot}.lock", os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                browser = self._running(slot)
                if browser is not None and browser.pid in _LAUNCHED:
                    browser.kill()
                    self._state_file(slot).unlink(missing_ok=True)
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
        self._owned.clear()


_POOLS: dict[tuple[int, str, int], BrowserPool] = {}
_POOLS_LOCK = threading.Lock()
_THREAD = threading.local()


def browser_pool(settings: Settings) -> BrowserPool | None:
    """This process's handle on the shared browsers; None when rendering is off or Chromium is missing."""
    executable = chromium_executable(settings)
    if settings.render_browsers <= 0 or executable is None:
        return None
    key = (os.getpid(), settings.render_pool_dir, settings.render_browsers)
    with _POOLS_LOCK:
        if key not in _POOLS:
            _POOLS[key] = BrowserPool(settings, executable)
        return _POOLS[key]


def shutdown_browsers() -> None:
    """Stop every browser this process launched, and this thread's Playwright driver."""
    with _POOLS_LOCK:
        pools = [pool for (pid, _, _), pool in _POOLS.items() if pid == os.getpid()]
    for pool in pools:
        pool.shutdown()
    stop_driver()


def stop_driver() -> None:
    """Stop this thread's Playwright driver (a thread that rendered and ends)."""
    playwright = getattr(_THREAD, "playwright", None)
    if playwright is not None:
        _THREAD.playwright = None
        playwright.stop()


atexit.register(shutdown_browsers)


def _playwright() -> Playwright:
    """Playwright's driver for this thread (its sync API belongs to the thread that started it)."""
    playwright: Playwright | None = getattr(_THREAD, "playwright", None)
    if playwright is None:
        playwright = sync_playwright().start()
        _THREAD.playwright = playwright
    return playwright


class _Watchdog(threading.Thread):
    """Kills the browser when a render overruns its time or the browser its memory; says which."""

    def __init__(self, browser: Browser, kill_at: float, settings: Settings) -> None:
        super().__init__(daemon=True)
        self.browser = browser
        self.kill_at = kill_at
        self.settings = settings
        self.reason: str | None = None
        self._done = threading.Event()

    def run(self) -> None:
        limit = self.settings.render_max_memory_mb
        while not self._done.wait(0.5):
            if time.monotonic() >= self.kill_at:
                self.reason = (
                    f"still loading after {self.settings.render_timeout_seconds:g} seconds; its browser was killed"
                )
            elif self.browser.memory_mb() > limit:
                self.reason = f"its browser used more than {limit} MB of memory and was killed"
            if self.reason is not None:
                self.browser.kill()
                return

    def stop(self) -> None:
        self._done.set()
        self.join()


# -- one render


@dataclass
class _PageRequests:
    """Answers every request of one page through the guard, within the render's limits."""

    fetcher: Fetcher
    url: str
    html: str | None
    deadline: float
    devtools_port: int | None = None
    requests: int = 0
    bytes: int = 0
    bodies: list[LoadedBody] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    @property
    def settings(self) -> Settings:
        return self.fetcher.settings

    def handle(self, route: Route, request: Request) -> None:
        url = request.url
        if request.resource_type in SKIPPED_TYPES:
            route.abort("blockedbyclient")
            return
        document = request.resource_type == "document"
        if document and self.html is not None and url == self.url and request.frame.parent_frame is None:
            # The document itself was fetched politely already: the browser gets that body, not a second request.
            self.html, html = None, self.html
            self.requests += 1
            route.fulfill(status=200, headers={"content-type": "text/html; charset=utf-8"}, body=html)
            return
        reason = self._refusal(url, document)
        if reason is None and request.method not in READ_METHODS:
            reason = f"method {request.method} (a collector only reads)"
        response = None
        if reason is None:
            try:
                response = self._get(request, document)
            except FetchRefused as exc:
                reason = exc.reason
            except httpx.HTTPError as exc:
                route.abort("failed")
                self.refused.append(f"{url}: {type(exc).__name__}")
                return
        if response is None:
            self.refused.append(f"{url}: {reason}")
            route.abort("blockedbyclient")
            return
        self._keep(response, request.resource_type)
        route.fulfill(status=response.status_code, headers=_headers(response.headers), body=response.body)

    def _refusal(self, url: str, document: bool) -> str | None:
        """Why the page may not fetch ``url``; None when it may."""
        if self.requests >= self.settings.render_max_requests:
            return f"more than {self.settings.render_max_requests} requests for one page"
        if time.monotonic() >= self.deadline:
            return f"past the {self.settings.render_timeout_seconds:g} s time limit"
        try:
            check_url(url, self.settings, self.fetcher.resolver)  # the scheme, and where the host resolves
        except FetchRefused as exc:
            return exc.reason
        if self.devtools_port is not None and urlsplit(url).port == self.devtools_port:
            return "the browser's own DevTools port"  # reachable only where loopback is allowed (tests, the demo)
        if self.fetcher.policy.covers_url(url):
            return "the site opted out of collection"
        try:
            if document and not self.fetcher.robots_allows(url):
                return "robots.txt disallows it for our user agent"
        except SourceRefused as exc:
            return exc.reason
        return None

    def _check_redirect(self, document: bool) -> Any:
        def check(target: str) -> None:
            reason = self._refusal(target, document)
            if reason is not None:
                raise FetchRefused(target, f"redirected there: {reason}")

        return check

    def _get(self, request: Request, document: bool) -> GuardedResponse:
        remaining = self.deadline - time.monotonic()
        left_bytes = self.settings.render_max_bytes - self.bytes
        if left_bytes <= 0:
            raise FetchRefused(request.url, f"the page downloaded more than {self.settings.render_max_bytes} bytes")
        limited = self.settings.model_copy(
            update={
                "fetch_timeout_seconds": max(min(self.settings.fetch_timeout_seconds, remaining), 0.1),
                "fetch_max_bytes": min(self.settings.fetch_max_bytes, left_bytes),
            }
        )
        headers = {k: v for k, v in request.all_headers().items() if k.lower() not in _NOT_FORWARDED}
        headers["user-agent"] = self.settings.user_agent
        self.requests += 1
        if document:
            self.fetcher.requests_made += 1  # a document the browser fetched is a page fetched
        response = guarded_get(
            self.fetcher.client,
            request.url,
            limited,
            headers=headers,
            resolver=self.fetcher.resolver,
            on_redirect=self._check_redirect(document),
            method=request.method,
            content=request.post_data_buffer,
        )
        self.bytes += len(response.body)
        return response

    def _keep(self, response: GuardedResponse, resource_type: str) -> None:
        """Keep a JSON or XML body the page loaded: the listing often arrives this way."""
        if len(self.bodies) >= MAX_BODIES or response.status_code >= 400:
            return
        kind = response.headers.get("content-type", "").lower()
        text = response.text
        loaded = resource_type in ("xhr", "fetch")
        is_json = "json" in kind or (loaded and text.lstrip()[:1] in ("{", "["))
        if is_json or (("xml" in kind or loaded) and looks_like_bdx(text)):
            self.bodies.append(LoadedBody(response.url, text))


def _headers(headers: httpx.Headers) -> dict[str, str]:
    kept: dict[str, str] = {}
    for name, value in headers.multi_items():
        name = name.lower()
        if name in _HOP_HEADERS:
            continue
        kept[name] = f"{kept[name]}\n{value}" if name in kept else value
    return kept


class Renderer:
    """Renders pages in the shared browsers; one per web researcher."""

    def __init__(self, pool: BrowserPool) -> None:
        self.pool = pool

    @classmethod
    def for_settings(cls, settings: Settings) -> Renderer | None:
        """A renderer, or None when rendering is off (``render_browsers`` 0) or Chromium is not installed."""
        pool = browser_pool(settings)
        return cls(pool) if pool is not None else None

    def render(self, fetcher: Fetcher, url: str, html: str | None) -> RenderedPage:
        """Render ``url`` (from ``html`` when its body was fetched already); RenderFailed says why not."""
        settings = fetcher.settings
        with self.pool.browser(time.monotonic() + settings.render_timeout_seconds) as browser:
            playwright = _playwright()
            # The time limit is the page's: starting a browser or the driver is not counted against it.
            deadline = time.monotonic() + settings.render_timeout_seconds
            page_requests = _PageRequests(fetcher, url, html or None, deadline, urlsplit(browser.endpoint).port)
            watchdog = _Watchdog(browser, deadline + GRACE_SECONDS, settings)
            watchdog.start()
            try:
                rendered = _render(playwright, browser, page_requests, settings)
            except PlaywrightError as exc:
                if watchdog.reason is None:
                    browser.kill()  # whatever state it is in, the next render gets a fresh one
                reason = watchdog.reason or _first_line(exc.message)
                raise RenderFailed(reason) from exc
            finally:
                watchdog.stop()
        return rendered


def _first_line(message: str) -> str:
    line = (message or "Chromium failed").strip().splitlines()[0]
    if "Timeout" in line:
        return "did not finish loading in time; its browser was stopped"
    return line[:300]


def _render(playwright: Playwright, browser: Browser, requests: _PageRequests, settings: Settings) -> RenderedPage:
    def remaining_ms() -> float:
        return max((requests.deadline - time.monotonic()) * 1000, 1.0)

    connected = playwright.chromium.connect_over_cdp(browser.endpoint, timeout=remaining_ms())
    try:
        context = connected.new_context(user_agent=settings.user_agent, service_workers="block")
        try:
            page = context.new_page()
            page.route("**/*", requests.handle)
            page.route_web_socket("**/*", lambda socket: socket.close())
            page.goto(requests.url, wait_until="load", timeout=remaining_ms())
            try:
                settle = min(settings.render_settle_seconds * 1000, remaining_ms())
                page.wait_for_load_state("networkidle", timeout=settle)
            except PlaywrightError:
                pass  # still busy (polling, analytics): read what has arrived
            html = page.content()
            final_url = page.url
        finally:
            context.close()
    finally:
        connected.close()
    return RenderedPage(
        url=final_url,
        html=html,
        text=main_text(html),
        bodies=requests.bodies,
        requests=requests.requests,
        refused=requests.refused,
    )


# -- reading a rendered page

_RENDERED = {
    Extractor.json_ld: Extractor.rendered_json_ld,
    Extractor.microdata: Extractor.rendered_microdata,
    Extractor.bdx_feed: Extractor.rendered_bdx,
    Extractor.html: Extractor.rendered_html,
}


def _relabel(findings: list[Finding]) -> list[Finding]:
    """Name the extractors of values read from a rendered page as such."""
    for finding in findings:
        for found in finding.fields.values():
            found.evidence.extractor = _RENDERED.get(found.evidence.extractor, found.evidence.extractor)
        _relabel(finding.children)
    return findings


@dataclass
class RenderedReading:
    findings: list[Finding]
    page_text: str  # the DOM's visible text and its structured data as text
    body_texts: dict[str, str]  # each loaded body by its URL: the evidence of values read from it


def read_rendered(rendered: RenderedPage) -> RenderedReading:
    """Findings from the final DOM (JSON-LD, microdata) and from the JSON and XML bodies the page loaded."""
    structured = extract_structured(rendered.html, rendered.url, rendered.text)
    findings = _relabel(structured.findings)
    page_text = rendered.text + ("\n" + structured.raw_text if structured.raw_text else "")
    body_texts: dict[str, str] = {}
    for body in rendered.bodies:
        if looks_like_bdx(body.text):
            found = _relabel(parse_bdx(body.text, body.url))
        else:
            try:
                data = json.loads(body.text)
            except ValueError:
                continue
            found = schema_org_findings(data, body.url, Extractor.xhr_json) or listing_findings(data, body.url)
        if found:
            findings.extend(found)
            body_texts[body.url] = (body_texts.get(body.url, "") + "\n" + body.text).strip()
    return RenderedReading(findings, page_text, body_texts)
