"""The bundled sample sites: paths, pagination, ETags, nothing served outside the site."""

from __future__ import annotations

import httpx


def test_sample_sites_serve_every_agreed_path(sites: str) -> None:
    for path in (
        "/perry-homes/",
        "/perry-homes/homes/",
        "/perry-homes/homes/?page=2",
        "/perry-homes/homes/?page=3",
        "/perry-homes/feed.xml",
        "/toll-brothers/",
        "/highland-homes/",
        "/spa-builder/",
        "/cinco-ranch/",
        "/communities/houston/",
        "/robots.txt",
    ):
        assert httpx.get(f"{sites}{path}").status_code == 200, path
    assert "Disallow: /private/" in httpx.get(f"{sites}/robots.txt").text
    assert httpx.get(f"{sites}/perry-homes/feed.xml").headers["content-type"].endswith("xml; charset=utf-8")


def test_pages_differ_and_etags_answer_304(sites: str) -> None:
    first = httpx.get(f"{sites}/perry-homes/homes/")
    second = httpx.get(f"{sites}/perry-homes/homes/?page=2")
    assert first.text != second.text and first.headers["etag"] != second.headers["etag"]
    again = httpx.get(f"{sites}/perry-homes/homes/", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_nothing_outside_the_site_is_served(sites: str) -> None:
    assert httpx.get(f"{sites}/%2e%2e/__init__.py").status_code == 404
    assert httpx.get(f"{sites}/perry-homes/homes/?page=9").status_code == 404
    redirect = httpx.get(f"{sites}/perry-homes")
    assert redirect.status_code == 301 and redirect.headers["location"] == "/perry-homes/"
