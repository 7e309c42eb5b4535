"""The dashboard in real headless Chromium (Debian's), against a real uvicorn, PostgreSQL, Redis and worker.

Each test saves a screenshot of what the browser showed under its tmp_path."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlalchemy import select

from app.auth.models import Role, User
from app.auth.tokens import issue_token
from app.builders.models import BuilderProfile
from app.changes.proposals import propose_updates
from app.core.config import get_settings
from app.core.db import session_scope, utcnow
from app.jobs import repository as jobs_repository
from app.jobs import service as jobs_service
from app.jobs.models import CollectionJob
from app.sample_data import seed_sample
from tests.changes.conftest import OFFICIAL, finding
from tests.collectors.conftest import sample_sites  # noqa: F401
from tests.pipeline.conftest import worker_queue  # noqa: F401

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
API = "/api/v1/admin"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(committed_db: None) -> Iterator[str]:
    """The app on a real uvicorn on a free loopback port, over the committed test database."""
    from app.main import app

    port = _free_port()
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    base = f"http://localhost:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            break
        except httpx.TransportError:
            time.sleep(0.05)
    yield base
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Browser, tmp_path: Path) -> Iterator[Page]:
    """A fresh browser context (no cookies) in a laptop-sized window; its last view is saved as a screenshot."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    yield tab
    tab.screenshot(path=str(tmp_path / "screenshot.png"), full_page=True)
    context.close()


def _user(role: Role, email: str) -> str:
    with session_scope() as session:
        user = User(email=email, role=role)
        session.add(user)
        session.flush()
        return issue_token(user, get_settings())


def _sign_in(page: Page, base: str, token: str) -> None:
    page.goto(f"{base}/dashboard")
    expect(page).to_have_url(f"{base}/dashboard/sign-in?next=%2Fdashboard")
    page.fill("#token", token)
    page.click("button:has-text('Sign in')")


def test_an_admin_signs_in_and_sees_the_overview(server: str, page: Page, tmp_path: Path) -> None:
    _sign_in(page, server, _user(Role.admin, "ops@example.com"))
    expect(page).to_have_url(f"{server}/dashboard")
    expect(page.locator("h1")).to_have_text("Overview")
    expect(page.locator("text=LLM spend in")).to_be_visible()
    expect(page.locator(".who")).to_have_text("ops@example.com")
    page.screenshot(path=str(tmp_path / "overview.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # nothing cut off sideways
    expect(page.locator("nav >> text=Review")).to_be_visible()
    page.screenshot(path=str(tmp_path / "overview-phone.png"), full_page=True)


def test_a_non_admin_token_is_refused(server: str, page: Page) -> None:
    _sign_in(page, server, _user(Role.user, "viewer@example.com"))
    expect(page.locator(".problem")).to_contain_text("admins only")
    page.goto(f"{server}/dashboard")
    expect(page).to_have_url(f"{server}/dashboard/sign-in?next=%2Fdashboard")


def test_a_post_without_the_csrf_token_is_refused(server: str, page: Page) -> None:
    _sign_in(page, server, _user(Role.admin, "ops@example.com"))
    page.evaluate("document.querySelector('form.sign-out input[name=csrf_token]').remove()")
    with page.expect_response(f"{server}/dashboard/sign-out") as answer:
        page.click("button:has-text('Sign out')")
    assert answer.value.status == 403
    expect(page.locator(".problem")).to_contain_text("no valid CSRF token")
    page.goto(f"{server}/dashboard/jobs")  # still signed in: the forged post did nothing
    expect(page.locator("h1")).to_have_text("Jobs")


def test_an_expired_session_goes_back_to_sign_in(server: str, page: Page) -> None:
    with session_scope() as session:
        admin = User(email="ops@example.com", role=Role.admin)
        session.add(admin)
        session.flush()
        expired = issue_token(admin, get_settings(), days=-1)
    page.context.add_cookies([{"name": "artitec_session", "value": expired, "url": server}])
    page.goto(f"{server}/dashboard/jobs")
    expect(page).to_have_url(f"{server}/dashboard/sign-in?next=%2Fdashboard%2Fjobs&reason=ended")
    expect(page.locator(".problem")).to_contain_text("Your session ended")


# Every status the job's row showed, recorded in the page as the live table redraws it.
RECORD_STATUSES = """
window.seen = [];
window.notReloaded = true;
new MutationObserver(() => {
  const cell = document.querySelector(`tr[data-job-id="${window.jobId}"] .status`);
  const word = cell && cell.textContent.trim();
  if (word && window.seen[window.seen.length - 1] !== word) window.seen.push(word);
}).observe(document.body, { childList: true, subtree: true, characterData: true });
"""


def test_a_job_started_by_the_api_goes_from_pending_to_completed_without_reloading(
    server: str,
    page: Page,
    sample_sites: str,  # noqa: F811
    worker_queue: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    with session_scope() as session:
        seed_sample(session, sample_sites)
        perry_id = session.scalar(select(BuilderProfile.id).where(BuilderProfile.name == "Perry Homes"))
    token = _user(Role.admin, "ops@example.com")
    _sign_in(page, server, token)
    page.goto(f"{server}/dashboard/jobs")
    page.evaluate(RECORD_STATUSES)

    accepted = httpx.post(
        f"{server}{API}/builders/{perry_id}/collect",
        json={"researcher": "web"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert accepted.status_code == 202 and accepted.json()["status"] == "pending"
    job_id = accepted.json()["job_id"]
    page.evaluate(f"window.jobId = {job_id!r}")

    row = page.locator(f'tr[data-job-id="{job_id}"]')
    expect(row.locator(".status")).to_have_text("completed", timeout=180_000)
    # Over the API's event stream, opened with the session cookie (polling would say "every few seconds").
    expect(page.locator("[data-live-state]")).to_have_text("Updates live as jobs change.")
    seen = page.evaluate("window.seen")
    assert page.evaluate("window.notReloaded") is True  # the same document all along
    assert seen[0] in ("pending", "running") and seen[-1] == "completed", seen
    page.screenshot(path=str(tmp_path / "jobs.png"), full_page=True)

    row.locator("a").click()
    expect(page.locator("#job-status")).to_have_text("completed")
    expect(page.locator(".timeline")).to_contain_text("completed")
    expect(page.locator("text=phone")).to_be_visible()


def test_approving_a_change_on_the_review_page_updates_the_record(server: str, page: Page, tmp_path: Path) -> None:
    with session_scope() as session:
        builder = BuilderProfile(name="Perry Homes", phone="(713) 555-0100", website="https://www.perryhomes.com")
        session.add(builder)
        session.flush()
        job = CollectionJob(entity_type="builder", entity_id=builder.id, job_type="update", status="completed")
        session.add(job)
        session.flush()
        page_text = "Perry Homes. Call (713) 555-0199."
        propose_updates(session, job, "builder", builder.id, finding("builder", phone="(713) 555-0199"),
                        {OFFICIAL: page_text}, settings=get_settings())  # fmt: skip
        builder_id = builder.id
    token = _user(Role.admin, "ops@example.com")
    _sign_in(page, server, token)
    page.goto(f"{server}/dashboard/review")
    card = page.locator("section.change", has_text="phone")
    expect(card.locator("blockquote")).to_contain_text("(713) 555-0199")
    page.screenshot(path=str(tmp_path / "review.png"), full_page=True)

    card.locator("button:has-text('Approve')").click()

    expect(page.locator(".notice")).to_contain_text("1 applied")
    record = httpx.get(f"{server}{API}/builders/{builder_id}", headers={"Authorization": f"Bearer {token}"})
    assert record.status_code == 200 and record.json()["phone"] == "+17135550199"


def _move(job_id: str, before: str, after: str, message: str, **values: object) -> None:
    """Move a job as a worker does: the status, its timeline entry, and the stream hears of it on commit."""
    with session_scope() as session:
        assert jobs_repository.set_status(session, job_id, expected=[before], new_status=after, **values)
        jobs_service.add_event(session, job_id, "status", message, {"status": after})
        if after == "completed":
            job = jobs_repository.get_job(session, job_id)
            assert job is not None
            session.refresh(job)
            jobs_service.add_final_event(session, job)


def test_the_job_page_follows_its_job_live(server: str, page: Page, tmp_path: Path) -> None:
    with session_scope() as session:
        job = CollectionJob(entity_type="builder", job_type="update", status="pending")
        session.add(job)
        session.flush()
        jobs_service.add_event(session, job.job_id, "status", "pending: created", {"status": "pending"})
        job_id = job.job_id
    _sign_in(page, server, _user(Role.admin, "ops@example.com"))
    page.goto(f"{server}/dashboard/jobs/{job_id}")
    page.evaluate("window.notReloaded = true")
    expect(page.locator("#job-status")).to_have_text("pending")
    expect(page.locator("button:has-text('Cancel')")).to_be_visible()

    _move(job_id, "pending", "running", "running (attempt 1)", started_at=utcnow(), attempts=1)
    expect(page.locator("#job-status")).to_have_text("running")
    expect(page.locator(".timeline")).to_contain_text("running (attempt 1)")

    _move(job_id, "running", "completed", "completed", completed_at=utcnow(), changes_detected=4)
    expect(page.locator("#job-status")).to_have_text("completed")
    expect(page.locator(".timeline")).to_contain_text("finished: completed")
    expect(page.locator("li", has_text="changes detected").locator("strong")).to_have_text("4")
    expect(page.locator("button:has-text('Cancel')")).to_have_count(0)  # a finished job cannot be cancelled
    assert page.evaluate("window.notReloaded") is True
    page.screenshot(path=str(tmp_path / "job.png"), full_page=True)
