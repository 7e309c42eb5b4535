"""Screenshots of the dashboard for the README: the overview and the review page over the quickstart's data.

Run from the project folder: `.venv/bin/python scripts/dashboard_screenshots.py`. It builds the quickstart's
SQLite database in a temporary folder, loads the sample records, runs one collection job of the sample
builder (in-process, web researcher, sample sites only) so changes wait for review, serves the app, and
photographs two pages in headless Chromium into docs/.
"""

from __future__ import annotations

import os
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="artitec-screens-"))
    os.environ.update(
        ARTITEC_DATABASE_URL=f"sqlite:///{folder / 'artitec.db'}",
        ARTITEC_BROKER_URL="filesystem://",
        ARTITEC_BROKER_FOLDER=str(folder / "broker"),
        ARTITEC_RUN_TASKS_EAGERLY="true",
        ARTITEC_FETCH_ALLOWED_HOSTS='["127.0.0.1","localhost"]',
        ARTITEC_PER_HOST_DELAY_SECONDS="0",
        ARTITEC_RENDER_BROWSERS="0",
        ARTITEC_ENVIRONMENT="development",
        ARTITEC_LOG_JSON="false",
        ARTITEC_LOG_LEVEL="WARNING",
    )
    os.environ.pop("ARTITEC_ANTHROPIC_API_KEY", None)
    sys.path.insert(0, str(ROOT))

    import httpx
    import uvicorn
    from playwright.sync_api import sync_playwright
    from sqlalchemy import select

    from app.auth.tokens import issue_token
    from app.builders.models import BuilderProfile
    from app.cli import QUICKSTART_ADMIN, ensure_admin, migrate, seed
    from app.core.config import get_settings
    from app.core.db import session_scope
    from app.research.sample_sites import start_sample_sites_server

    migrate()
    sites, sites_url = start_sample_sites_server()
    seed(sites_url)
    with session_scope() as session:
        token = issue_token(ensure_admin(session, QUICKSTART_ADMIN, super_admin=True), get_settings())
        perry = session.scalar(select(BuilderProfile.id).where(BuilderProfile.name == "Perry Homes"))

    from app.main import app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            httpx.get(f"{base}/healthz", timeout=1)
            break
        except httpx.TransportError:
            time.sleep(0.05)
    headers = {"Authorization": f"Bearer {token}"}
    job = httpx.post(f"{base}/api/v1/admin/builders/{perry}/collect", json={"researcher": "web"}, headers=headers)
    job.raise_for_status()

    docs = ROOT / "docs"
    docs.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/dashboard/sign-in")
        page.fill("#token", token)
        page.click("button:has-text('Sign in')")
        page.wait_for_url(f"{base}/dashboard")
        page.screenshot(path=str(docs / "dashboard-overview.png"), full_page=True)
        page.goto(f"{base}/dashboard/review?sort=age")  # the oldest first: the builder's own fields
        page.screenshot(path=str(docs / "dashboard-review.png"))  # the first screenful: filters and a few changes
        browser.close()
    server.should_exit = True
    sites.shutdown()
    print(f"saved {docs / 'dashboard-overview.png'} and {docs / 'dashboard-review.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
