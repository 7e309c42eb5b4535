"""The SSRF guard: schemes, credentials, private and reserved addresses, redirects, size."""

from __future__ import annotations

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
