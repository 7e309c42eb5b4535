"""Pages that need JavaScript, rendered in real headless Chromium against fixture sites written for it."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.research.findings import Extractor, ResearchRequest
from app.research.render import Renderer, shutdown_browsers
from app.research.web import WebResearcher
from app.sources.models import CollectionSource
from tests.research.conftest import Route, ScriptedSite

pytestmark = pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed")

SHELL = """<!doctype html><html><head><title>{title}</title></head><body>
<noscript>You need to enable JavaScript to run this app.</noscript>
<div id="root"></div><script src="/app.js"></script></body></html>"""

INVENTORY_JS = """
fetch("/api/v2/inventory?community=oak-hollow", {headers: {"Accept": "application/json"}})
  .then((response) => response.json())
  .then((payload) => {
    const root = document.getElementById("root");
    root.innerHTML = "<h1>Available homes</h1>" + payload.data.results.map((home) =>
      `<div class="card"><p>${home.location.street}</p><p>$${home.pricing.current}</p></div>`).join("");
  });
"""
INVENTORY = {
    "data": {
        "total": 2,
        "results": [
            {
                "id": "hs-104",
                "location": {"street": "104 Juniper Way", "city": "Austin", "state": "TX", "zip": "78701"},
                "pricing": {"current": 452990, "pricePerSqft": 201},
                "specs": {"bedroomCount": 4, "fullBaths": 2, "halfBaths": 1, "squareFootage": 2250},
                "salesStatus": "Move-In Ready",
                "plan": {"planName": "Brazos"},
            },
            {
                "id": "hs-220",
                "location": {"street": "220 Cedar Lane", "city": "Austin", "state": "TX", "zip": "78702"},
                "pricing": {"current": 389500},
                "specs": {"bedroomCount": 3, "fullBaths": 2, "squareFootage": 1810},
                "salesStatus": "Under Construction",
            },
        ],
    }
}

JSON_LD_JS = """
const data = {"@context": "https://schema.org", "@type": "HomeAndConstructionBusiness",
  "name": "Hill Country Homes", "telephone": "(512) 555-0142",
  "address": {"@type": "PostalAddress", "streetAddress": "500 Congress Ave", "addressLocality": "Austin",
              "addressRegion": "TX", "postalCode": "78701"}};
const tag = document.createElement("script");
tag.type = "application/ld+json";
tag.textContent = JSON.stringify(data);
document.head.appendChild(tag);
document.getElementById("root").innerHTML = "<h1>Hill Country Homes</h1><p>Call (512) 555-0142</p>";
"""


@pytest.fixture(scope="module")
def pool_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("render-pool")
    yield str(folder)
    shutdown_browsers()


@pytest.fixture
def render_settings(pool_dir: str) -> Settings:
    """Rendering on, two shared browsers, fetches allowed to 127.0.0.1 only."""
    return Settings(
        fetch_allowed_hosts=["127.0.0.1"],
        per_host_delay_seconds=0,
        render_browsers=2,
        render_pool_dir=pool_dir,
        render_timeout_seconds=15,
        render_settle_seconds=2,
    )


@pytest.fixture
def listener() -> Iterator[ScriptedSite]:
    """A server on 127.0.0.2, an address the guard does not allow: it must never hear a request."""
    site = ScriptedSite(host="127.0.0.2")
    yield site
    site.close()


def request(**values: object) -> ResearchRequest:
    defaults: dict[str, object] = {"job_id": "JOB-1-abcdef", "entity_type": "builder", "job_type": "update"}
    return ResearchRequest.model_validate({**defaults, **values})


def test_inventory_built_from_an_xhr_json_endpoint_is_read_from_the_json(
    session: Session, render_settings: Settings, site: ScriptedSite
) -> None:
    site.routes["/homes/"] = Route(body=SHELL.format(title="Oak Hollow homes"))
    site.routes["/app.js"] = Route(body=INVENTORY_JS, headers={"Content-Type": "application/javascript"})
    site.routes["/api/v2/inventory?community=oak-hollow"] = Route(
        body=json.dumps(INVENTORY), headers={"Content-Type": "application/json"}
    )
    result = WebResearcher(render_settings).research(
        session,
        request(entity_type="property", job_type="property_discovery", target_url=f"{site.base_url}/homes/"),
    )

    homes = {home.value("address1"): home for home in result.findings if home.kind == "property"}
    assert set(homes) == {"104 Juniper Way", "220 Cedar Lane"}
    first = homes["104 Juniper Way"]
    assert first.value("price") == 452990
    assert first.value("bedrooms") == 4
    assert first.value("bathrooms") == 2.5  # two full baths and a half
    assert first.value("sqft") == 2250
    assert first.value("property_status") == "Move-In Ready"
    assert first.value("plan_name") == "Brazos"
    assert (first.value("city"), first.value("state"), first.value("postal_code")) == ("Austin", "TX", "78701")
    evidence = first.fields["price"].evidence
    api_url = f"{site.base_url}/api/v2/inventory?community=oak-hollow"
    assert evidence.extractor == Extractor.xhr_json
    assert evidence.source_url == api_url
    assert evidence.quote == '"current": 452990'
    assert homes["220 Cedar Lane"].value("bathrooms") == 2
    # The JSON body is the evidence text of its values; the rendered DOM is the page's.
    assert "452990" in result.source_texts[api_url]
    assert "104 Juniper Way" in result.source_texts[f"{site.base_url}/homes/"]

    [visit] = result.pages
    assert visit.outcome == "fetched" and "rendered in headless Chromium" in (visit.detail or "")
    assert result.usage.render_seconds > 0
    assert result.usage.pages_fetched == 2  # robots.txt and the page; the script and the API are no pages
    # The document was fetched once, by the fetcher; the browser asked only for the script and the API.
    assert site.paths().count("/homes/") == 1
    assert "/app.js" in site.paths() and "/api/v2/inventory?community=oak-hollow" in site.paths()
    assert result.warnings == []


def test_json_ld_written_by_javascript_is_read_from_the_final_dom(
    session: Session, render_settings: Settings, site: ScriptedSite
) -> None:
    site.routes["/"] = Route(body=SHELL.format(title="Hill Country Homes"))
    site.routes["/app.js"] = Route(body=JSON_LD_JS, headers={"Content-Type": "text/javascript"})
    result = WebResearcher(render_settings).research(
        session, request(subject={"name": "Hill Country Homes", "website": f"{site.base_url}/"})
    )
    [builder] = result.findings
    assert builder.value("phone") == "(512) 555-0142"
    assert builder.value("city") == "Austin"
    assert builder.fields["phone"].evidence.extractor == Extractor.rendered_json_ld
    assert builder.fields["phone"].evidence.source_url == f"{site.base_url}/"
    assert "(512) 555-0142" in result.source_texts[f"{site.base_url}/"]


def test_requests_to_metadata_and_private_addresses_are_refused_and_never_reach_them(
    session: Session, render_settings: Settings, site: ScriptedSite, listener: ScriptedSite
) -> None:
    private = listener.base_url
    script = f"""
    for (const url of ["http://169.254.169.254/latest/meta-data/", "{private}/admin", "file:///etc/passwd"]) {{
      fetch(url).catch(() => null);
    }}
    const frame = document.createElement("iframe"); frame.src = "{private}/frame"; document.body.appendChild(frame);
    const image = new Image(); image.src = "{private}/pixel.png";
    try {{ new WebSocket("{private.replace("http", "ws")}/socket"); }} catch (error) {{}}
    fetch("/api/homes/1", {{method: "DELETE"}}).catch(() => null);
    document.getElementById("root").innerHTML = "<h1>Sneaky Homes</h1>";
    """
    site.routes["/"] = Route(
        body=SHELL.format(title="Sneaky").replace("</head>", f'<link rel="preconnect" href="{private}"></head>')
    )
    site.routes["/app.js"] = Route(body=script, headers={"Content-Type": "text/javascript"})
    result = WebResearcher(render_settings).research(session, request(target_url=f"{site.base_url}/"))

    assert listener.requests == []  # nothing reached the private address: not the fetch, frame, image or socket
    [warning] = result.warnings
    assert "http://169.254.169.254/latest/meta-data/" in warning and "link-local" in warning
    assert f"{private}/admin" in warning and "loopback" in warning
    assert f"{private}/frame" in warning
    assert "method DELETE" in warning and "/api/homes/1" not in site.paths()
    assert result.pages[0].outcome == "fetched"


def test_a_page_that_never_finishes_loading_is_killed_at_the_limit(
    session: Session, render_settings: Settings, site: ScriptedSite
) -> None:
    site.routes["/"] = Route(body=SHELL.format(title="Forever"))
    site.routes["/app.js"] = Route(body="while (true) {}", headers={"Content-Type": "text/javascript"})
    settings = render_settings.model_copy(update={"render_timeout_seconds": 3.0})
    renderer = Renderer.for_settings(settings)
    assert renderer is not None
    result = WebResearcher(settings, renderer=renderer).research(session, request(target_url=f"{site.base_url}/"))

    assert result.pages[0].outcome == "needs_javascript"
    [warning] = result.warnings
    assert "rendering failed" in warning
    assert "killed" in warning or "stopped" in warning
    assert result.usage.render_seconds >= 3.0
    # The hung browser is gone and the next render gets a fresh one.
    states = [json.loads(path.read_text()) for path in Path(settings.render_pool_dir).glob("slot-*.json")]
    assert states and not any(Path(f"/proc/{state['pid']}").exists() for state in states if state)
    site.routes["/app.js"] = Route(body=JSON_LD_JS, headers={"Content-Type": "text/javascript"})
    again = WebResearcher(render_settings, renderer=renderer).research(
        session, request(target_url=f"{site.base_url}/", force_refresh=True)
    )
    assert [f.value("name") for f in again.findings] == ["Hill Country Homes"], again.warnings


def test_a_source_marked_render_is_rendered_though_its_page_looks_complete(
    session: Session, render_settings: Settings, site: ScriptedSite
) -> None:
    page = "<html><body><h1>Plans</h1>" + "<p>Our floor plans are listed below.</p>" * 10
    page += '<ul id="plans"></ul><script src="/plans.js"></script></body></html>'
    site.routes["/plans/"] = Route(body=page)
    site.routes["/plans.js"] = Route(
        body='fetch("/plans.json").then(r => r.json()).then(p => '
        'document.getElementById("plans").innerHTML = p.map(x => "<li>" + x.name + "</li>").join(""));',
        headers={"Content-Type": "text/javascript"},
    )
    plans = [
        {"name": "The Brazos", "basePrice": "$420,000", "beds": 4, "baths": 3, "sqft": 2400, "stories": 2},
        {"name": "The Llano", "basePrice": "$389,000", "beds": 3, "baths": 2, "sqft": 1900, "stories": 1},
    ]
    site.routes["/plans.json"] = Route(body=json.dumps(plans), headers={"Content-Type": "application/json"})
    ask = request(target_url=f"{site.base_url}/plans/")

    plain = WebResearcher(render_settings).research(session, ask)
    assert plain.findings == [] and "/plans.json" not in site.paths()

    source = session.query(CollectionSource).one()
    source.render = True
    session.flush()
    rendered = WebResearcher(render_settings).research(session, ask)
    names = {f.value("name"): f for f in rendered.findings if f.kind == "home_plan"}
    assert set(names) == {"The Brazos", "The Llano"}
    assert names["The Brazos"].value("base_price") == 420000
    assert names["The Brazos"].fields["base_price"].evidence.extractor == Extractor.xhr_json

    off_settings = render_settings.model_copy(update={"render_browsers": 0})
    off = WebResearcher(off_settings).research(session, ask.model_copy(update={"force_refresh": True}))
    assert f"{site.base_url}/plans/ is marked to render, read without JavaScript (rendering is off)" in off.warnings


def test_robots_txt_holds_for_documents_the_page_loads(
    session: Session, render_settings: Settings, site: ScriptedSite
) -> None:
    robots = "User-agent: *\nDisallow: /members/\n"
    site.routes["/robots.txt"] = Route(body=robots, headers={"Content-Type": "text/plain"})
    site.routes["/"] = Route(body=SHELL.format(title="Frames"))
    site.routes["/app.js"] = Route(
        body='const f = document.createElement("iframe"); f.src = "/members/area"; document.body.appendChild(f);',
        headers={"Content-Type": "text/javascript"},
    )
    result = WebResearcher(render_settings).research(session, request(target_url=f"{site.base_url}/"))
    assert "/members/area" not in site.paths()
    assert any("robots.txt disallows" in warning for warning in result.warnings)


def test_rendering_is_off_with_no_browsers(render_settings: Settings) -> None:
    assert Renderer.for_settings(render_settings.model_copy(update={"render_browsers": 0})) is None
    assert Renderer.for_settings(render_settings.model_copy(update={"chromium_path": "no-such-chromium"})) is None


def test_the_sample_single_page_app_renders(session: Session, render_settings: Settings, sites: str) -> None:
    result = WebResearcher(render_settings).research(session, request(target_url=f"{sites}/spa-builder/"))
    [builder] = result.findings
    assert builder.value("name") == "Lone Star Custom Homes"
    assert builder.value("phone") == "(512) 555-0175"
    assert builder.fields["phone"].evidence.extractor == Extractor.rendered_json_ld
    assert result.pages[0].outcome == "fetched"
