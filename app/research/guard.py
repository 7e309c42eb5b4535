"""The SSRF guard every outbound fetch passes: scheme, credentials, resolved address, redirects, size, time."""

from __future__ import annotations

import ipaddress
import socket
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


def _blocked_reason(address: str) -> str | None:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("private", ip.is_private),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
    )
    for name, hit in checks:
        if hit:
            return f"{address} is a {name} address"
    return None


def check_url(url: str, settings: Settings, resolver: Resolver = resolve_host) -> None:
    """Raise FetchRefused unless the URL is http(s), carries no credentials and reaches only public addresses."""
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
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as exc:
        raise FetchRefused(url, "invalid port") from exc
    allowed = {h.lower() for h in settings.fetch_allowed_hosts}
    if host in allowed:
        return
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        try:
            addresses = resolver(host, port)
        except FetchRefused as exc:
            raise FetchRefused(url, exc.reason) from exc
    if not addresses:
        raise FetchRefused(url, f"host {host} has no address")
    for address in addresses:
        reason = _blocked_reason(address)
        if reason is not None:
            raise FetchRefused(url, f"{host} resolves to a non-public address ({reason})")


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


def guarded_get(
    client: httpx.Client,
    url: str,
    settings: Settings,
    *,
    headers: dict[str, str] | None = None,
    resolver: Resolver = resolve_host,
) -> GuardedResponse:
    """GET through the guard: each redirect re-checked (at most 5), the body capped at fetch_max_bytes."""
    redirects: list[str] = []
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        check_url(current, settings, resolver)
        with client.stream(
            "GET", current, headers=headers, follow_redirects=False, timeout=settings.fetch_timeout_seconds
        ) as response:
            location = response.headers.get("location")
            if response.status_code in REDIRECT_STATUSES and location:
                redirects.append(current)
                current = urljoin(current, location)
                continue
            body = bytearray()
            for chunk in response.iter_bytes():
                body.extend(chunk)
                if len(body) > settings.fetch_max_bytes:
                    raise FetchRefused(current, f"response larger than {settings.fetch_max_bytes} bytes")
            return GuardedResponse(current, response.status_code, response.headers, bytes(body), redirects)
    raise FetchRefused(url, f"more than {MAX_REDIRECTS} redirects")
