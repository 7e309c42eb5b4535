"""The dashboard's pages show what the services know, and their buttons act through the same services."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.changes.models import CollectionChange
from app.core.db import utcnow
from app.matching.models import EntityMatch
from app.sources.models import CollectionOptOut, CollectionSource
from tests.dashboard.conftest import sign_in
from tests.factories import make_admin, make_builder, make_community
from tests.ops.jobdata import make_change, make_job


def test_overview_shows_jobs_queue_spend_backoff_opt_outs_and_review_backlog(
    browser: TestClient, session: Session
) -> None:
    make_job(session, status="completed", cost_usd=Decimal("1.25"))
    make_job(session, status="failed")
    make_job(session, status="pending", created_ago=timedelta(minutes=90))
    make_job(session, status="completed", created_ago=timedelta(days=3))  # not in the last 24 h
    waiting = make_job(session, status="completed")
    make_change(session, waiting, at=utcnow() - timedelta(hours=5), status="pending")
    session.add(
        CollectionSource(
            source_name="Slow Homes",
            source_url="https://slow.example.com/",
            domain="slow.example.com",
            source_type="official_website",
            blocked_until=utcnow() + timedelta(hours=1),
            blocked_reason="429 Too Many Requests",
        )
    )
    session.add(CollectionOptOut(domain="private.example.com", reason="asked"))
    session.flush()
    sign_in(browser, make_admin(session))

    page = browser.get("/dashboard").text

    assert "slow.example.com" in page and "429 Too Many Requests" in page
    assert "33.3 %" in page  # one of the three jobs finished in the last 24 h failed
    assert "oldest waiting 1 h 30 min" in page
    assert "oldest 5 h 0 min old" in page
    assert "$1.25" in page and "budget" in page
    assert "Accuracy" in page and "Error rate" in page
    assert '<span class="status status-failed">failed</span> <strong>1</strong>' in page


def test_the_jobs_table_filters_and_its_rows_render_alone(browser: TestClient, session: Session) -> None:
    builder = make_builder(session, name="Perry Homes")
    failed = make_job(session, status="failed", entity_id=builder.id)
    done = make_job(session, status="completed")
    sign_in(browser, make_admin(session))

    only_failed = browser.get("/dashboard/jobs", params={"status": "failed"}).text
    assert failed.job_id in only_failed and done.job_id not in only_failed
    assert "builder: Perry Homes" in only_failed
    assert 'data-events="/api/v1/admin/events"' in only_failed

    rows = browser.get("/dashboard/jobs/rows", params={"status": "completed"})
    assert rows.status_code == 200 and done.job_id in rows.text and "<html" not in rows.text

    bad = browser.get("/dashboard/jobs", params={"status": "sleeping"})
    assert bad.status_code == 422 and "status" in bad.text


def test_the_job_page_shows_changes_timeline_and_cost_and_acts(browser: TestClient, session: Session) -> None:
    builder = make_builder(session)
    job = make_job(session, status="failed", entity_id=builder.id, cost_usd=Decimal("0.42"), warnings=["slow site"])
    make_change(session, job, status="pending", field_name="phone", new_value='"713-555-0199"')
    csrf = sign_in(browser, make_admin(session))

    page = browser.get(f"/dashboard/jobs/{job.job_id}")
    assert page.status_code == 200
    assert "$0.42" in page.text and "slow site" in page.text and "713-555-0199" in page.text
    assert f'data-events="/api/v1/admin/collection-jobs/{job.job_id}/events"' in page.text
    live = browser.get(f"/dashboard/jobs/{job.job_id}/live")
    assert "data-finished" in live.text and "<html" not in live.text

    assert browser.get("/dashboard/jobs/JOB-NOPE").status_code == 404

    retried = browser.post(f"/dashboard/jobs/{job.job_id}/retry", data={"csrf_token": csrf})
    assert retried.status_code == 303 and "queued+to+run+again" in retried.headers["location"]
    session.refresh(job)
    assert job.status == "completed"  # sent again; the tests run tasks in-process, so it ran at once

    rolled = browser.post(f"/dashboard/jobs/{job.job_id}/rollback", data={"csrf_token": csrf})
    assert rolled.status_code == 303 and "notice=" in rolled.headers["location"]


def test_matches_show_each_fields_contribution_and_confirm_reject_override(
    browser: TestClient, session: Session
) -> None:
    job = make_job(session, entity_type="community", job_type="discovery")
    aliana = make_community(session, name="Aliana", city="Richmond", state="TX")
    other = make_community(session, name="Aliana Lakes", city="Richmond", state="TX")
    data = {
        "kind": "community",
        "fields": {
            "name": {"value": "Alianna", "evidence": {"source_url": "https://x.example.com/", "extractor": "json_ld"}}
        },
    }
    details = {"prior": -3.1, "weight": 2.0, "fields": {"name": {"level": "typo", "weight": 3.2}}}
    made = [
        EntityMatch(
            discovered_entity_type="community",
            discovered_name="Alianna",
            match_status="pending",
            match_confidence=0.8,
            match_method="name_fuzzy",
            matched_entity_type="community",
            matched_entity_id=aliana.id,
            discovered_data=data,
            match_details=details,
            job_id=job.job_id,
        )
        for _ in range(3)
    ]
    session.add_all(made)
    session.flush()
    csrf = sign_in(browser, make_admin(session))

    page = browser.get("/dashboard/matches").text
    assert "Pending matches (3)" in page and "+3.20" in page and "typo" in page and "-3.10" in page
    assert "Held at review" not in page
    # Why a match waits: the model's hold-back note, and another record that fits as well.
    made[0].match_details = {**details, "addresses_disagree": True}
    made[1].match_details = {**details, "ambiguous_with": {"entity_id": other.id, "confidence": 0.97}}
    session.flush()
    page = browser.get("/dashboard/matches").text
    assert "Held at review: both street addresses are known and name other buildings." in page
    assert f"Held at review: community {other.id} fits as well" in page and "(confidence 0.97)" in page

    confirmed = browser.post(f"/dashboard/matches/{made[0].id}/confirm", data={"csrf_token": csrf})
    assert confirmed.status_code == 303 and "confirmed" in confirmed.headers["location"]
    rejected = browser.post(f"/dashboard/matches/{made[1].id}/reject", data={"csrf_token": csrf, "notes": "new"})
    assert rejected.status_code == 303
    missing = browser.post(
        f"/dashboard/matches/{made[2].id}/override", data={"csrf_token": csrf, "matched_entity_id": "999999999"}
    )
    assert missing.status_code == 303 and "999999999" in missing.headers["location"]  # the 404, said on the page
    overridden = browser.post(
        f"/dashboard/matches/{made[2].id}/override", data={"csrf_token": csrf, "matched_entity_id": str(other.id)}
    )
    assert overridden.status_code == 303
    no_id = browser.post(f"/dashboard/matches/{made[2].id}/override", data={"csrf_token": csrf})
    assert no_id.status_code == 422 and "matched_entity_id" in no_id.text

    for match in made:
        session.refresh(match)
    assert [m.match_status for m in made] == ["confirmed", "rejected", "confirmed"]
    assert made[2].matched_entity_id == other.id
    assert session.query(CollectionChange).filter_by(job_id=job.job_id, is_new_entity=True).count() == 1
    assert "Pending matches (0)" in browser.get("/dashboard/matches").text


def test_static_files_come_from_the_package(browser: TestClient) -> None:
    css = browser.get("/dashboard/static/dashboard.css")
    js = browser.get("/dashboard/static/dashboard.js")
    assert css.status_code == 200 and ".status" in css.text
    assert js.status_code == 200 and "EventSource" in js.text
