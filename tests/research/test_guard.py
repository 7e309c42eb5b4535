"""The SSRF guard: schemes, credentials, private and reserved addresses, redirects, size."""

from __future__ import annotations

import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from app.core.config import Settings
from app.research.guard import FetchRefused, check_url, guarded_get
from tests.research.conftest import Route, ScriptedSite


def resolver_to(*addresses: str):  # type: ignore[no-untyped-def]
    return lambda host, port: list(addresses)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "scheme 'file'"),
        ("ftp://example.com/x", "scheme 'ftp'"),
        ("gopher://example.com/", "scheme 'gopher'"),
        ("http://user:secret@example.com/", "credentials"),
        ("http://user@example.com/", "credentials"),
        ("http://127.0.0.1:8000/", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://10.0.0.5/", "private"),
        ("http://10.255.1.1:8080/admin", "private"),
        ("http://192.168.1.1/", "private"),
        ("http://172.16.0.1/", "private"),
        ("http://[::1]/", "loopback"),
        ("http://[::ffff:10.0.0.1]/", "private"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
        ("http:///nohost", "no host"),
    ],
)
def test_check_url_refuses_unsafe_targets(url: str, reason: str) -> None:
    with pytest.raises(FetchRefused) as caught:
        check_url(url, Settings(), resolver_to("93.184.215.14"))
    assert reason in str(caught.value)


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("100.100.100.200", "non-global"),  # shared address space: a cloud's instance metadata
        ("100.64.0.1", "non-global"),
        ("::ffff:100.64.0.1", "non-global"),
        ("2002:a00:1::1", "6to4"),  # 6to4 around 10.0.0.1
        ("2002:5db8:d70e::1", "6to4"),
        ("64:ff9b::a9fe:a9fe", "link-local"),  # NAT64 around 169.254.169.254
    ],
)
def test_check_url_refuses_addresses_that_are_not_global(address: str, reason: str) -> None:
    with pytest.raises(FetchRefused) as caught:
        check_url("http://metadata.example.com/latest/", Settings(), resolver_to(address))
    assert reason in str(caught.value)


def test_check_url_accepts_public_ipv6_and_nat64_of_a_public_address() -> None:
    check_url("http://v6.example.com/", Settings(), resolver_to("2606:4700::1111", "64:ff9b::5db8:d70e"))


def test_check_url_refuses_a_name_that_resolves_to_a_private_address() -> None:
    with pytest.raises(FetchRefused, match="non-public address"):
        check_url("http://intranet.example.com/", Settings(), resolver_to("93.184.215.14", "10.1.2.3"))


def test_check_url_accepts_a_public_address() -> None:
    check_url("https://www.perryhomes.com/", Settings(), resolver_to("93.184.215.14"))


def test_allow_list_admits_a_named_host_only() -> None:
    allowed = Settings(fetch_allowed_hosts=["127.0.0.1"])
    check_url("http://127.0.0.1:8765/perry-homes/", allowed)
    with pytest.raises(FetchRefused, match="loopback"):
        check_url("http://localhost:8765/perry-homes/", allowed, resolver_to("127.0.0.1"))
    with pytest.raises(FetchRefused, match="loopback"):
        check_url("http://127.0.0.1:8765/", Settings())


def test_redirect_to_a_private_address_is_refused(site: ScriptedSite) -> None:
    site.routes["/go"] = Route(302, "", {"Location": "http://169.254.169.254/latest/meta-data/"})
    settings = Settings(fetch_allowed_hosts=["127.0.0.1"])
    with httpx.Client() as client, pytest.raises(FetchRefused, match="169.254.169.254"):
        guarded_get(client, f"{site.base_url}/go", settings)


def test_redirect_to_another_loopback_name_is_refused(site: ScriptedSite) -> None:
    port = site.base_url.rsplit(":", 1)[1]
    site.routes["/go"] = Route(301, "", {"Location": f"http://localhost:{port}/secret"})
    site.routes["/secret"] = Route(200, "secret")
    settings = Settings(fetch_allowed_hosts=["127.0.0.1"])
    with httpx.Client() as client, pytest.raises(FetchRefused, match="localhost"):
        guarded_get(client, f"{site.base_url}/go", settings)
    assert "/secret" not in site.paths()


def test_redirects_within_allowed_host_are_followed_and_capped(site: ScriptedSite) -> None:
    site.routes["/a"] = Route(302, "", {"Location": "/b"})
    site.routes["/b"] = Route(200, "landed")
    for n in range(7):
        site.routes[f"/loop{n}"] = Route(302, "", {"Location": f"/loop{n + 1}"})
    settings = Settings(fetch_allowed_hosts=["127.0.0.1"])
    with httpx.Client() as client:
        response = guarded_get(client, f"{site.base_url}/a", settings)
        assert (response.status_code, response.body, response.url) == (200, b"landed", f"{site.base_url}/b")
        with pytest.raises(FetchRefused, match="more than 5 redirects"):
            guarded_get(client, f"{site.base_url}/loop0", settings)


def test_response_size_is_capped(site: ScriptedSite) -> None:
    site.routes["/big"] = Route(200, "x" * 5000)
    settings = Settings(fetch_allowed_hosts=["127.0.0.1"], fetch_max_bytes=1000)
    with httpx.Client() as client, pytest.raises(FetchRefused, match="larger than 1000 bytes"):
        guarded_get(client, f"{site.base_url}/big", settings)


class RebindingResolver:
    """A fast-rebinding DNS: a public address on the first lookup, loopback on every later one."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        return ["93.184.215.14"] if len(self.calls) == 1 else ["127.0.0.1"]


def recording_client(seen: list[httpx.Request], routes: dict[str, httpx.Response]) -> httpx.Client:
    """A client whose transport stands in for the internet (the public address) and records what was sent."""

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return routes.get(request.url.path, httpx.Response(404))

    return httpx.Client(transport=httpx.MockTransport(handle))


def test_the_connection_goes_to_the_checked_address_not_a_second_lookup() -> None:
    seen: list[httpx.Request] = []
    resolver = RebindingResolver()
    with recording_client(seen, {"/page": httpx.Response(200, text="public page")}) as client:
        response = guarded_get(client, "http://rebind.example.com/page", Settings(), resolver=resolver)
    assert resolver.calls == ["rebind.example.com"]
    assert [(r.url.host, r.headers["host"]) for r in seen] == [("93.184.215.14", "rebind.example.com")]
    assert (response.status_code, response.body, response.url) == (
        200,
        b"public page",
        "http://rebind.example.com/page",
    )


def test_https_keeps_the_real_name_for_sni_and_certificate_checks() -> None:
    seen: list[httpx.Request] = []
    with recording_client(seen, {"/": httpx.Response(200)}) as client:
        guarded_get(client, "https://www.example.com:8443/", Settings(), resolver=resolver_to("93.184.215.14"))
    (request,) = seen
    assert str(request.url) == "https://93.184.215.14:8443/"
    assert request.headers["host"] == "www.example.com:8443"
    assert request.extensions["sni_hostname"] == "www.example.com"


def test_a_redirect_is_resolved_and_checked_again_so_rebinding_there_is_refused() -> None:
    seen: list[httpx.Request] = []
    routes = {"/start": httpx.Response(302, headers={"Location": "/internal"}), "/internal": httpx.Response(200)}
    resolver = RebindingResolver()
    with recording_client(seen, routes) as client, pytest.raises(FetchRefused, match="127.0.0.1 is a loopback"):
        guarded_get(client, "http://rebind.example.com/start", Settings(), resolver=resolver)
    assert [r.url.path for r in seen] == ["/start"]
    assert len(resolver.calls) == 2


def test_an_allowed_named_host_is_pinned_and_keeps_its_host_header(site: ScriptedSite) -> None:
    port = site.base_url.rsplit(":", 1)[1]
    site.routes["/hello"] = Route(200, "hello")
    settings = Settings(fetch_allowed_hosts=["sites.test"])
    with httpx.Client() as client:
        response = guarded_get(client, f"http://sites.test:{port}/hello", settings, resolver=resolver_to("127.0.0.1"))
    assert (response.status_code, response.body, response.url) == (200, b"hello", f"http://sites.test:{port}/hello")
    assert [r.headers["Host"] for r in site.requests] == [f"sites.test:{port}"]


def test_an_allowed_ip_fetch_sends_its_own_host_header(site: ScriptedSite) -> None:
    site.routes["/x"] = Route(200, "x")
    with httpx.Client() as client:
        guarded_get(client, f"{site.base_url}/x", Settings(fetch_allowed_hosts=["127.0.0.1"]))
    assert [r.headers["Host"] for r in site.requests] == [site.base_url.removeprefix("http://")]


def test_the_next_checked_address_is_tried_when_one_refuses_the_connection(site: ScriptedSite) -> None:
    port = site.base_url.rsplit(":", 1)[1]
    site.routes["/x"] = Route(200, "x")
    settings = Settings(fetch_allowed_hosts=["sites.test"])
    # Nothing listens on 127.0.0.2 (the site is bound to 127.0.0.1 only).
    with httpx.Client() as client:
        response = guarded_get(
            client, f"http://sites.test:{port}/x", settings, resolver=resolver_to("127.0.0.2", "127.0.0.1")
        )
    assert response.body == b"x"


@pytest.fixture
def tls_site(tmp_path: Path) -> Iterator[tuple[int, ssl.SSLContext, list[str | None]]]:
    """An https site on 127.0.0.1 with a certificate for sites.test only; it records the SNI names it is sent."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=sites.test",
         "-addext", "subjectAltName=DNS:sites.test", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    names: list[str | None] = []
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    server_context.sni_callback = lambda sock, name, ctx: names.append(name)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            data = f"host={self.headers['Host']}".encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.socket = server_context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], ssl.create_default_context(cafile=str(cert)), names
    server.shutdown()
    server.server_close()


def test_a_pinned_https_fetch_verifies_the_certificate_against_the_real_name(
    tls_site: tuple[int, ssl.SSLContext, list[str | None]],
) -> None:
    port, trust, names = tls_site
    settings = Settings(fetch_allowed_hosts=["sites.test", "other.test"])
    with httpx.Client(verify=trust) as client:
        response = guarded_get(client, f"https://sites.test:{port}/", settings, resolver=resolver_to("127.0.0.1"))
        assert response.body == f"host=sites.test:{port}".encode()
        assert names == ["sites.test"]
        # A name the certificate does not cover fails verification: pinning never turns it off.
        with pytest.raises(httpx.ConnectError, match="certificate"):
            guarded_get(client, f"https://other.test:{port}/", settings, resolver=resolver_to("127.0.0.1"))


@pytest.fixture
def trickling_site() -> Iterator[str]:
    """A site that sends its 200-byte body one byte every 20 ms: each read is quick, the whole is not."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Length", "200")
            self.end_headers()
            try:
                for _ in range(200):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.02)
            except OSError:
                pass  # the client gave up

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_body_trickled_past_the_fetch_timeout_is_refused(trickling_site: str) -> None:
    # Every byte comes well within the 0.5 s read timeout; the whole body would take 4 s.
    settings = Settings(fetch_allowed_hosts=["127.0.0.1"], fetch_timeout_seconds=0.5)
    with httpx.Client() as client, pytest.raises(FetchRefused, match="not fetched within 0.5 seconds"):
        guarded_get(client, f"{trickling_site}/slow", settings)
