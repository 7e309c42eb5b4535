"""Render benchmark: pages per minute in headless Chromium, memory per browser, LLM tokens saved.

Run: ``.venv/bin/python -m bench.render [--pages 12]``

Needs Debian's Chromium, the local PostgreSQL and Redis (as the tests do). It creates its own database,
serves fixture single-page-app sites and the fake Anthropic Messages API on localhost, and drops the
database at the end.

1. Pages per minute: ``--pages`` inventory pages whose homes arrive by XHR, each read by the web
   researcher from two threads. Measured in the same run: without rendering (the baseline: a plain fetch
   that reports the page as needing JavaScript and reads nothing), rendering with a pool of 1 browser, and
   with a pool of 2. Homes read are counted to show what each run got.
2. Memory per browser: PSS of each browser's processes (all of them) after the runs.
3. Tokens saved: the ``auto`` researcher on a builder page whose details arrive by XHR, with rendering
   off (the page is an empty shell: Claude answers from the web) and on (the rendered page answers every
   field). The fake bills ~4 characters per token, as bench.pipeline does.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pipeline import TokenCountingResponder, _create_database, _drop_database, _migrate  # noqa: E402
from tests.fakes.anthropic_server import FakeAnthropic  # noqa: E402
from tests.research.conftest import Route, ScriptedSite  # noqa: E402

SHELL = """<!doctype html><html><head><title>{title}</title></head><body>
<noscript>You need to enable JavaScript to run this app.</noscript>
<div id="root"></div><script src="/app.js?{key}"></script></body></html>"""
INVENTORY_JS = """
const key = new URL(document.currentScript.src).search.slice(1);
fetch("/api/homes?" + key).then((r) => r.json()).then((payload) => {
  document.getElementById("root").innerHTML = payload.homes.map((h) =>
    `<div class="home"><p>${h.address.line1}</p><p>$${h.price}</p></div>`).join("");
});
"""
BUILDER_JS = """
fetch("/api/builder").then((r) => r.json()).then((builder) => {
  const ld = document.createElement("script");
  ld.type = "application/ld+json";
  ld.textContent = JSON.stringify(builder);
  document.head.appendChild(ld);
  document.getElementById("root").innerHTML = `<h1>${builder.name}</h1><p>Call ${builder.telephone}</p>`;
});
"""


def _homes(key: int) -> dict[str, Any]:
    streets = ["Juniper Way", "Cedar Lane", "Live Oak Drive", "Mesquite Trail", "Pecan Court", "Sage Run"]
    return {
        "homes": [
            {
                "address": {"line1": f"{100 + key * 10 + n} {street}", "city": "Austin", "state": "TX", "zip": "78701"},
                "price": 350_000 + 10_000 * n,
                "beds": 3 + n % 2,
                "baths": 2.5,
                "sqft": 1_800 + 100 * n,
                "status": "Move-In Ready",
            }
            for n, street in enumerate(streets)
        ]
    }


def fixture_site(pages: int) -> ScriptedSite:
    site = ScriptedSite()
    site.routes["/robots.txt"] = Route(body="User-agent: *\nAllow: /\n", headers={"Content-Type": "text/plain"})
    for key in range(pages):
        site.routes[f"/homes/{key}/"] = Route(body=SHELL.format(title=f"Homes {key}", key=key))
        site.routes[f"/app.js?{key}"] = Route(body=INVENTORY_JS, headers={"Content-Type": "text/javascript"})
        site.routes[f"/api/homes?{key}"] = Route(
            body=json.dumps(_homes(key)), headers={"Content-Type": "application/json"}
        )
    builder = {
        "@context": "https://schema.org",
        "@type": "HomeAndConstructionBusiness",
        "name": "Hill Country Homes",
        "telephone": "(512) 555-0142",
        "email": "sales@hillcountry.example",
        "url": f"{site.base_url}/builder/",
        "foundingDate": "1998",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "500 Congress Ave",
            "addressLocality": "Austin",
            "addressRegion": "TX",
            "postalCode": "78701",
        },
        "award": ["Best Builder in Austin 2024"],
    }
    site.routes["/builder/"] = Route(body=SHELL.format(title="Hill Country Homes", key="builder"))
    site.routes["/app.js?builder"] = Route(body=BUILDER_JS, headers={"Content-Type": "text/javascript"})
    site.routes["/api/builder"] = Route(body=json.dumps(builder), headers={"Content-Type": "application/json"})
    return site


def _settings(browsers: int, pool_dir: str, **extra: Any) -> Any:
    from app.core.config import Settings

    return Settings(
        fetch_allowed_hosts=["127.0.0.1"],
        per_host_delay_seconds=0,
        render_browsers=browsers,
        render_pool_dir=pool_dir,
        **extra,
    )


def pages_per_minute(site: ScriptedSite, pages: int, browsers: int, pool_dir: str) -> tuple[float, int]:
    """Pages read per minute by two threads of web research, and the homes found."""
    from app.core.db import session_scope
    from app.research.findings import ResearchRequest
    from app.research.render import stop_driver
    from app.research.web import WebResearcher

    settings = _settings(browsers, pool_dir)
    lock = threading.Lock()
    homes = [0]
    queue: list[int] = []

    def work() -> None:
        try:
            while True:
                with lock:
                    if not queue:
                        return
                    key = queue.pop()
                request = ResearchRequest(
                    job_id=f"JOB-{key}-bench",
                    entity_type="property",
                    job_type="property_discovery",
                    target_url=f"{site.base_url}/homes/{key}/",
                    force_refresh=True,
                )
                with session_scope() as session:
                    result = WebResearcher(settings).research(session, request)
                with lock:
                    homes[0] += sum(1 for f in result.findings if f.kind == "property")
        finally:
            stop_driver()

    def run(keys: list[int]) -> float:
        queue[:] = keys
        started = time.monotonic()
        threads = [threading.Thread(target=work) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.monotonic() - started

    run([0, 1])  # warm-up, not counted: starting the browsers and drivers is not the steady rate
    homes[0] = 0
    seconds = run(list(range(pages)))
    return pages / seconds * 60, homes[0]


def tokens_for_builder(site: ScriptedSite, fake_url: str, browsers: int, pool_dir: str) -> dict[str, Any]:
    from pydantic import SecretStr

    from app.core.db import session_scope
    from app.research.auto import AutoResearcher
    from app.research.findings import ResearchRequest

    settings = _settings(browsers, pool_dir, anthropic_api_key=SecretStr("bench-key"), anthropic_base_url=fake_url)
    request = ResearchRequest(
        job_id="JOB-1-bench",
        entity_type="builder",
        job_type="update",
        subject={"name": "Hill Country Homes", "website": f"{site.base_url}/builder/"},
        force_refresh=True,
    )
    with session_scope() as session:
        result = AutoResearcher(settings).research(session, request)
    usage = result.usage
    tokens = usage.input_tokens + usage.output_tokens + usage.cache_creation_input_tokens
    tokens += usage.cache_read_input_tokens
    [builder] = [f for f in result.findings if f.kind == "builder"] or [None]
    return {
        "llm_calls": usage.llm_calls,
        "tokens": tokens,
        "cost_usd": usage.cost_usd,
        "fields": sorted(builder.fields) if builder is not None else [],
        "render_seconds": usage.render_seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=12)
    args = parser.parse_args()

    from app.research.render import Browser, chromium_executable, shutdown_browsers

    if chromium_executable(_settings(2, "")) is None:
        sys.exit("Chromium is not installed (apt-get install chromium)")
    fake = FakeAnthropic(default=TokenCountingResponder()).start()
    site = fixture_site(args.pages)
    database_url = f"postgresql+psycopg://root@127.0.0.1:5432/artitec_bench_render_{os.getpid()}"
    os.environ.update(
        {
            "ARTITEC_DATABASE_URL": database_url,
            # Redis database 14 unless the caller names another (several runs on one Redis must not share it).
            "ARTITEC_BROKER_URL": os.environ.get("ARTITEC_BROKER_URL", "redis://127.0.0.1:6379/14"),
            "ARTITEC_LOG_LEVEL": "WARNING",
            "ARTITEC_LOG_JSON": "false",
        }
    )
    _create_database(database_url)
    try:
        _migrate(database_url)
        print(f"render bench: {args.pages} inventory pages (6 homes each, by XHR), 2 threads of web research")
        with tempfile.TemporaryDirectory() as one, tempfile.TemporaryDirectory() as two:
            plain, plain_homes = pages_per_minute(site, args.pages, 0, one)
            print(f"  plain fetch, no rendering (baseline): {plain:6.1f} pages/min, {plain_homes} homes read")
            single, single_homes = pages_per_minute(site, args.pages, 1, one)
            print(f"  rendered, pool of 1 browser         : {single:6.1f} pages/min, {single_homes} homes read")
            pool, pool_homes = pages_per_minute(site, args.pages, 2, two)
            print(f"  rendered, pool of 2 browsers        : {pool:6.1f} pages/min, {pool_homes} homes read")
            print(f"  pool of 2 against pool of 1         : {pool / single:.2f}x")
            sizes = []
            for folder in (one, two):
                for path in sorted(Path(folder).glob("slot-*.json")):
                    browser = Browser(**json.loads(path.read_text()))
                    if browser.alive():
                        sizes.append(browser.memory_mb())
            shown = ", ".join(f"{size:.0f} MB" for size in sizes) or "no browser left running"
            print(f"memory per browser (PSS of all its processes, after the runs): {shown}")

            print("LLM fallback against rendering, auto researcher, builder page whose details arrive by XHR")
            for label, browsers in (("rendering off (LLM fallback)", 0), ("rendering on", 2)):
                row = tokens_for_builder(site, fake.base_url, browsers, two)
                print(
                    f"  {label:<29}: {row['llm_calls']} LLM call(s), {row['tokens']:5d} tokens, "
                    f"${row['cost_usd']:.4f}, render {row['render_seconds']:.1f} s, fields {', '.join(row['fields'])}"
                )
            shutdown_browsers()
            # Browsers launched by the measuring threads were stopped with them; stop any left in the slots.
            for folder in (one, two):
                for path in Path(folder).glob("slot-*.json"):
                    Browser(**json.loads(path.read_text())).kill()
    finally:
        from app.core.db import get_engine

        get_engine().dispose()
        _drop_database(database_url)
        fake.stop()
        site.close()


if __name__ == "__main__":
    main()
