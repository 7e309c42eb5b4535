"""Sign-in, the session cookie, CSRF and sign-out of the dashboard, over plain HTTP."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from http.cookies import SimpleCookie

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.auth.deps import SESSION_COOKIE
from app.auth.tokens import issue_token
from app.core.config import Environment, Settings, get_settings
from app.jobs.models import CollectionJob
from tests.dashboard.conftest import form_csrf, sign_in
from tests.factories import make_admin, make_user
from tests.ops.jobdata import make_job


def _set_cookie(response_headers: list[str], name: str) -> SimpleCookie:
    for header in response_headers:
        if header.startswith(f"{name}="):
            cookie: SimpleCookie = SimpleCookie()
            cookie.load(header)
            return cookie
    raise AssertionError(f"no Set-Cookie for {name} in {response_headers}")


def _sign_in_post(browser: TestClient, token: str) -> object:
    page = browser.get("/dashboard/sign-in")
    return browser.post("/dashboard/sign-in", data={"token": token, "csrf_token": form_csrf(page.text)})


def test_an_admin_token_becomes_an_httponly_strict_secure_cookie_expiring_with_the_token(
    browser: TestClient, session: Session
) -> None:
    admin = make_admin(session)
    token = issue_token(admin, get_settings(), days=2)
    answer = browser.post(
        "/dashboard/sign-in",
        data={"token": f"Bearer {token}", "csrf_token": form_csrf(browser.get("/dashboard/sign-in").text),
              "next": "/dashboard/jobs"},
    )  # fmt: skip
    assert answer.status_code == 303 and answer.headers["location"] == "/dashboard/jobs"
    morsel = _set_cookie(answer.headers.get_list("set-cookie"), SESSION_COOKIE)[SESSION_COOKIE]
    assert morsel.value == token
    assert morsel["httponly"] and morsel["secure"] and morsel["samesite"] == "strict" and morsel["path"] == "/"
    expires = parsedate_to_datetime(morsel["expires"])
    assert abs(expires - (datetime.now(UTC) + timedelta(days=2))) < timedelta(minutes=1)
    overview = browser.get("/dashboard")
    assert overview.status_code == 200 and admin.email in overview.text and "LLM spend" in overview.text


def test_the_cookie_is_not_secure_only_in_development(
    browser: TestClient, session: Session, api_settings: Callable[..., Settings]
) -> None:
    api_settings(environment=Environment.development)
    answer = _sign_in_post(browser, issue_token(make_admin(session), get_settings()))
    morsel = _set_cookie(answer.headers.get_list("set-cookie"), SESSION_COOKIE)[SESSION_COOKIE]  # type: ignore[attr-defined]
    assert not morsel["secure"] and morsel["httponly"] and morsel["samesite"] == "strict"


def test_a_non_admin_or_bad_token_is_refused_with_the_reason_and_no_session(
    browser: TestClient, session: Session
) -> None:
    user = make_user(session)
    not_admin = _sign_in_post(browser, issue_token(user, get_settings()))
    assert not_admin.status_code == 403 and "admins only" in not_admin.text  # type: ignore[attr-defined]
    expired = _sign_in_post(browser, issue_token(make_admin(session), get_settings(), days=-1))
    assert expired.status_code == 401 and "token expired" in expired.text  # type: ignore[attr-defined]
    garbage = _sign_in_post(browser, "not-a-token")
    assert garbage.status_code == 401 and "invalid token" in garbage.text  # type: ignore[attr-defined]
    empty = _sign_in_post(browser, "   ")
    assert empty.status_code == 422 and "Paste an admin token" in empty.text  # type: ignore[attr-defined]
    assert SESSION_COOKIE not in browser.cookies
    assert browser.get("/dashboard").status_code == 303


def test_sign_in_without_the_forms_csrf_token_is_refused(browser: TestClient, session: Session) -> None:
    browser.get("/dashboard/sign-in")
    answer = browser.post("/dashboard/sign-in", data={"token": issue_token(make_admin(session), get_settings())})
    assert answer.status_code == 403 and "CSRF" in answer.text
    wrong = browser.post(
        "/dashboard/sign-in", data={"token": issue_token(make_admin(session), get_settings()), "csrf_token": "x"}
    )
    assert wrong.status_code == 403
    assert SESSION_COOKIE not in browser.cookies


def test_pages_without_a_session_go_to_sign_in_and_come_back(browser: TestClient, session: Session) -> None:
    answer = browser.get("/dashboard/jobs?status=failed")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/dashboard/sign-in?next=%2Fdashboard%2Fjobs%3Fstatus%3Dfailed"
    page = browser.get(answer.headers["location"])
    assert 'value="/dashboard/jobs?status=failed"' in page.text


def test_sign_in_never_sends_the_browser_to_another_site(browser: TestClient, session: Session) -> None:
    for target in ("https://evil.example.com/", "//evil.example.com/dashboard", "/api/v1/admin/builders"):
        page = browser.get("/dashboard/sign-in", params={"next": target})
        answer = browser.post(
            "/dashboard/sign-in",
            data={
                "token": issue_token(make_admin(session), get_settings()),
                "csrf_token": form_csrf(page.text),
                "next": target,
            },
        )
        assert answer.headers["location"] == "/dashboard", target


def test_an_expired_or_demoted_session_goes_back_to_sign_in_and_is_forgotten(
    browser: TestClient, session: Session
) -> None:
    admin = make_admin(session)
    browser.cookies.set(SESSION_COOKIE, issue_token(admin, get_settings(), days=-1), domain="testserver.local")
    expired = browser.get("/dashboard/jobs")
    assert expired.status_code == 303 and expired.headers["location"].endswith("&reason=ended")
    assert "Your session ended" in browser.get(expired.headers["location"]).text
    assert f'{SESSION_COOKIE}=""' in expired.headers["set-cookie"] and "Max-Age=0" in expired.headers["set-cookie"]

    browser.cookies.clear()
    sign_in(browser, admin)
    admin.role = "user"
    session.flush()
    demoted = browser.get("/dashboard")
    assert demoted.status_code == 303 and demoted.headers["location"].endswith("&reason=not-admin")


def test_the_sign_in_page_says_only_what_the_dashboard_says(browser: TestClient) -> None:
    page = browser.get("/dashboard/sign-in", params={"reason": "Your account was locked, call 555-0100"})
    assert page.status_code == 200 and "555-0100" not in page.text


def test_a_form_post_without_the_csrf_token_is_refused_and_does_nothing(browser: TestClient, session: Session) -> None:
    job = make_job(session, status="pending")
    csrf = sign_in(browser, make_admin(session))
    for data in ({}, {"csrf_token": "forged"}, {"csrf_token": csrf[:-1]}):
        refused = browser.post(f"/dashboard/jobs/{job.job_id}/cancel", data=data)
        assert refused.status_code == 403 and "CSRF" in refused.text
    session.refresh(job)
    assert job.status == "pending"

    done = browser.post(f"/dashboard/jobs/{job.job_id}/cancel", data={"csrf_token": csrf})
    assert done.status_code == 303 and "cancelled" in done.headers["location"]
    session.refresh(job)
    assert job.status == "cancelled"
    again = browser.post(f"/dashboard/jobs/{job.job_id}/cancel", data={"csrf_token": csrf})
    assert again.status_code == 303 and "notice=" in again.headers["location"]  # the refusal, said on the page
    assert "cancelled" in browser.get(again.headers["location"]).text


def test_the_csrf_token_belongs_to_its_session(browser: TestClient, session: Session) -> None:
    job = make_job(session, status="pending")
    other_csrf = sign_in(browser, make_admin(session))
    browser.cookies.clear()
    sign_in(browser, make_admin(session))
    refused = browser.post(f"/dashboard/jobs/{job.job_id}/cancel", data={"csrf_token": other_csrf})
    assert refused.status_code == 403


def test_sign_out_clears_the_session(browser: TestClient, session: Session) -> None:
    csrf = sign_in(browser, make_admin(session))
    without = browser.post("/dashboard/sign-out")
    assert without.status_code == 403
    answer = browser.post("/dashboard/sign-out", data={"csrf_token": csrf})
    assert answer.status_code == 303 and answer.headers["location"] == "/dashboard/sign-in?reason=signed-out"
    assert "Signed out." in browser.get(answer.headers["location"]).text
    assert SESSION_COOKIE not in browser.cookies
    assert browser.get("/dashboard").status_code == 303


def test_the_session_cookie_reads_the_admin_api_but_never_writes_it(browser: TestClient, session: Session) -> None:
    job = make_job(session, status="pending")
    sign_in(browser, make_admin(session))
    read = browser.get(f"/api/v1/admin/collection-jobs/{job.job_id}")
    assert read.status_code == 200 and read.json()["status"] == "pending"
    write = browser.post(f"/api/v1/admin/collection-jobs/{job.job_id}/cancel")
    assert write.status_code == 401 and "Bearer" in write.json()["detail"]
    assert session.get(CollectionJob, job.id).status == "pending"  # type: ignore[union-attr]


def test_a_non_admins_cookie_reads_nothing(browser: TestClient, session: Session) -> None:
    browser.cookies.set(SESSION_COOKIE, issue_token(make_user(session), get_settings()), domain="testserver.local")
    assert browser.get("/api/v1/admin/collection-jobs").status_code == 403
    assert browser.get("/dashboard").status_code == 303
