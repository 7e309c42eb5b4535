"""Bundled sample sites (builders, a community, a directory, an inventory, a feed) served on localhost.

``start_sample_sites_server()`` serves them from a daemon thread; ``?page=N`` selects ``page-N.html``
and every response carries an ETag, so conditional GETs answer 304.
"""

from __future__ import annotations

import hashlib
import mimetypes
import threading
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

SITE_ROOT = Path(__file__).parent / "site"
# A fixed date, so Last-Modified is stable across restarts as the ETag is.
LAST_MODIFIED = formatdate(1_790_000_000, usegmt=True)


def _resolve(path: str, query: str) -> Path | None:
    """The file for a request path; None when it is outside the site or missing."""
    relative = unquote(path).lstrip("/")
    target = (SITE_ROOT / relative).resolve()
    if not target.is_relative_to(SITE_ROOT.resolve()):
        return None
    if target.is_dir():
        page = parse_qs(query).get("page", ["1"])[0]
        target = target / ("index.html" if page in ("", "1") else f"page-{page}.html")
    return target if target.is_file() else None


class SampleSiteHandler(BaseHTTPRequestHandler):
    server_version = "ArtitecSampleSites/1.0"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        parts = urlsplit(self.path)
        if parts.path and not parts.path.endswith("/") and (SITE_ROOT / parts.path.lstrip("/")).is_dir():
            self.send_response(301)
            self.send_header("Location", parts.path + "/" + (f"?{parts.query}" if parts.query else ""))
            self.end_headers()
            return
        target = _resolve(parts.path, parts.query)
        if target is None:
            body = b"<!doctype html><title>Not found</title><h1>Not found</h1>"
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        body = target.read_bytes()
        etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
        if etag in [tag.strip() for tag in self.headers.get("If-None-Match", "").split(",")]:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type.endswith("xml"):
            content_type += "; charset=utf-8"
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", LAST_MODIFIED)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # quiet: the demo and tests read the collector's logs, not the sites'


def start_sample_sites_server(host: str = "127.0.0.1", port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    """Serve the sample sites from a daemon thread; returns the server (call ``shutdown()``) and its base URL."""
    server = ThreadingHTTPServer((host, port), SampleSiteHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="sample-sites", daemon=True)
    thread.start()
    return server, f"http://{host}:{server.server_port}"


def main() -> None:
    """Serve the sample sites in the foreground (``python -m app.research.sample_sites [PORT]``)."""
    import sys

    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8765
    server, base_url = start_sample_sites_server(port=port)
    print(f"sample sites at {base_url}/", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.shutdown()


if __name__ == "__main__":
    main()
