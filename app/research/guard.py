"""The SSRF guard every outbound fetch passes: scheme, credentials, resolved address, redirects, size, time."""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from app.core.config import Settings

MAX_REDIRECTS = 5
REDIRECT_STATUSES = {301, 302, 303, 307, 308}

Resolver = Callable[[str, int], list[str]]


class FetchRefused(Exception):
    """The guard refused a URL; the message says why."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"refused {url}: {reason}")
        self.url = url
        self.reason = reason


def resolve_host(host: str, port: int) -> list[str]:
    """Every address the host resolves to (all must be public, not just the first)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchRefused(host, f"host {host} does not resolve ({exc.strerror})") from exc
    return sorted({str(info[4][0]) for info in infos})


_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# 6to4 relays forward to the IPv4 address inside; the scheme is deprecated (RFC 7526) and newer Pythons
# count the whole range as not global, so it is refused outright whatever address it carries.
_SIX_TO_FOUR = ipaddress.ip_network("2002::/16")


def _blocked_reason(address: str) -> str | None:
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _SIX_TO_FOUR:
            return f"{address} is a 6to4 address"
        # Mapped and NAT64 addresses end up at the IPv4 address they carry.
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif ip in _NAT64:
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("private", ip.is_private),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        # Shared address space (100.64.0.0/10, where some clouds serve instance metadata) and other
        # special ranges are neither private nor reserved, yet not on the internet either.
        ("non-global", not ip.is_global),
    )
    for name, hit in checks:
        if hit:
            return f"{address} is a {name} address"
    return None


def _host_and_port(url: str) -> tuple[str, int]:
    """Host and port of a URL the guard may fetch: http(s), no credentials; FetchRefused otherwise."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchRefused(url, f"scheme {scheme or '(none)'!r} is not http or https")
    if parts.username is not None or parts.password is not None:
        raise FetchRefused(url, "credentials in the URL are not allowed")
    host = (parts.hostname or "").lower()
    if not host:
        raise FetchRefused(url, "no host")
    try:
        return host, parts.port or (443 if scheme == "https" else 80)
    except ValueError as exc:
        raise FetchRefused(url, "invalid port") from exc


def _check_addresses(url: str, host: str, addresses: list[str], settings: Settings) -> None:
    if not addresses:
        raise FetchRefused(url, f"host {host} has no address")
    if host in {h.lower() for h in settings.fetch_allowed_hosts}:
        return
    for address in addresses:
        reason = _blocked_reason(address)
        if reason is not None:
            raise FetchRefused(url, f"{host} resolves to a non-public address ({reason})")


def refusal_without_lookup(url: str, settings: Settings) -> str | None:
    """Why the guard refuses the URL, as far as it shows without a DNS lookup (scheme, credentials, an address)."""
    try:
        host, _port = _host_and_port(url)
        try:
            address = str(ipaddress.ip_address(host))
        except ValueError:
            return None  # a name: only a lookup tells
        _check_addresses(url, host, [address], settings)
    except FetchRefused as exc:
        return exc.reason
    return None


def check_url(url: str, settings: Settings, resolver: Resolver = resolve_host) -> list[str]:
    """The addresses the URL may be fetched from; FetchRefused unless http(s), no credentials, only public addresses.

    Allow-listed hosts skip the address check but are still resolved, so the caller can pin the connection.
    """
    host, port = _host_and_port(url)
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        try:
            addresses = resolver(host, port)
        except FetchRefused as exc:
            raise FetchRefused(url, exc.reason) from exc
    _check_addresses(url, host, addresses, settings)
    return addresses


def _connect_order(addresses: list[str]) -> list[str]:
    # IPv4 first: hosts often publish IPv6 addresses the machine cannot route to.
    return sorted(addresses, key=lambda a: isinstance(ipaddress.ip_address(a.split("%", 1)[0]), ipaddress.IPv6Address))


def _pinned_request(
    client: httpx.Client,
    url: str,
    address: str,
    headers: dict[str, str] | None,
    settings: Settings,
    method: str = "GET",
    content: bytes | None = None,
) -> httpx.Request:
    """A GET to the checked address itself: no second DNS lookup can send it elsewhere (DNS rebinding).

    The Host header keeps the real name for virtual hosts; for https, sni_hostname makes httpcore use the
    real name as TLS server_hostname, so SNI and certificate verification still check the real host.
    """
    original = httpx.URL(url)
    pinned = original.copy_with(host=address.split("%", 1)[0])
    extensions: dict[str, object] = {}
    if original.scheme == "https":
        extensions["sni_hostname"] = original.host
    return client.build_request(
        method,
        pinned,
        headers={**(headers or {}), "Host": original.netloc.decode("ascii")},
        content=content,
        timeout=settings.fetch_timeout_seconds,
        extensions=extensions,
    )


def _send_pinned(
    client: httpx.Client,
    url: str,
    addresses: list[str],
    headers: dict[str, str] | None,
    settings: Settings,
    method: str = "GET",
    content: bytes | None = None,
) -> httpx.Response:
    """Send to the first checked address that accepts a connection (as a normal connect tries each address)."""
    ordered = _connect_order(addresses)
    for address in ordered[:-1]:
        try:
            request = _pinned_request(client, url, address, headers, settings, method, content)
            return client.send(request, stream=True, follow_redirects=False)
        except (httpx.ConnectError, httpx.ConnectTimeout):
            continue
    request = _pinned_request(client, url, ordered[-1], headers, settings, method, content)
    return client.send(request, stream=True, follow_redirects=False)


@dataclass
class GuardedResponse:
    url: str  # after redirects
    status_code: int
    headers: httpx.Headers
    body: bytes
    redirects: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        charset = httpx.Response(200, headers=self.headers).charset_encoding or "utf-8"
        return self.body.decode(charset, errors="replace")


def _check_deadline(url: str, deadline: float, settings: Settings) -> None:
    if time.monotonic() > deadline:
        raise FetchRefused(url, f"not fetched within {settings.fetch_timeout_seconds:g} seconds")


def guarded_get(
    client: httpx.Client,
    url: str,
    settings: Settings,
    *,
    headers: dict[str, str] | None = None,
    resolver: Resolver = resolve_host,
    on_redirect: Callable[[str], None] | None = None,
    method: str = "GET",
    content: bytes | None = None,
) -> GuardedResponse:
    """GET the checked address only (pinned), every redirect re-checked (at most 5), body capped at fetch_max_bytes.

    The whole fetch, redirects and body included, must finish within fetch_timeout_seconds. ``on_redirect``
    is called with each redirect target before it is requested; it raises to refuse it (robots, opt-outs).
    ``method`` and ``content`` serve a rendered page's own requests (a POST to a search API); a redirect
    other than 307/308 turns them into a plain GET, as browsers do.
    """
    redirects: list[str] = []
    current = url
    # The timeout of each read does not bound the whole: a server trickling a byte at a time would hold us.
    deadline = time.monotonic() + settings.fetch_timeout_seconds
    for _ in range(MAX_REDIRECTS + 1):
        _check_deadline(current, deadline, settings)
        addresses = check_url(current, settings, resolver)
        response = _send_pinned(client, current, addresses, headers, settings, method, content)
        try:
            location = response.headers.get("location")
            if response.status_code in REDIRECT_STATUSES and location:
                if response.status_code not in (307, 308):
                    method, content = "GET", None
                redirects.append(current)
                current = urljoin(current, location)
                if on_redirect is not None:
                    on_redirect(current)
                continue
            body = bytearray()
            for chunk in response.iter_bytes():
                body.extend(chunk)
                if len(body) > settings.fetch_max_bytes:
                    raise FetchRefused(current, f"response larger than {settings.fetch_max_bytes} bytes")
                _check_deadline(current, deadline, settings)
            return GuardedResponse(current, response.status_code, response.headers, bytes(body), redirects)
        finally:
            response.close()
    raise FetchRefused(url, f"more than {MAX_REDIRECTS} redirects")
