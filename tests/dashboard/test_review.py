"""The review page: the inbox with filters, evidence and alternatives; decisions on one, selected or all matching."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.builders.models import BuilderProfile
from app.changes.models import ChangeStatus, CollectionChange
from app.changes.proposals import propose_updates
from app.core.config import get_settings
from app.core.locks import FieldLock
from tests.changes.conftest import OFFICIAL, finding, found, make_job
from tests.dashboard.conftest import sign_in
from tests.factories import make_admin, make_builder

PAGE = "Perry Homes. Call (713) 555-0199. Founded 1968."
OTHER = "https://directory.example.com/perry"


def _perry(session: Session) -> tuple[BuilderProfile, dict[str, CollectionChange]]:
    """Perry Homes with a pending phone (one other source disagrees) and founded_year change."""
    builder = make_builder(session, name="Perry Homes", phone="(713) 555-0100", founded_year=None)
    job = make_job(session, entity_id=builder.id)
    propose_updates(
        session, job, "builder", builder.id, finding("builder", phone="(713) 555-0199", founded_year="1968"),
        {OFFICIAL: PAGE},
        settings=get_settings(),
    )  # fmt: skip
    propose_updates(
        session, job, "builder", builder.id,
        finding("builder", phone=found("(713) 555-0123", url=OTHER, source_type="directory")),
        {OTHER: "Perry Homes (713) 555-0123"},
        settings=get_settings(),
    )  # fmt: skip
    changes = session.scalars(select(CollectionChange).where(CollectionChange.entity_id == builder.id)).all()
    return builder, {c.field_name or "": c for c in changes if c.status == ChangeStatus.pending}


def _decide_ids(html: str) -> list[str]:
    return re.findall(r'name="change_ids" value="(\d+)"', html)


def test_the_inbox_shows_evidence_quotes_links_and_alternatives_side_by_side(
    browser: TestClient, session: Session
) -> None:
    _builder, changes = _perry(session)
    sign_in(browser, make_admin(session))

    page = browser.get("/dashboard/review").text

    assert "Perry Homes" in page and "2 change(s) match" in page
    assert "+17135550199" in page and "(713) 555-0100" in page
    assert "“Perry Homes. Call (713) 555-0199. Founded 1968.”" in page or "555-0199" in page
    assert f'href="{OFFICIAL}"' in page
    assert "Alternative" in page and "+17135550123" in page and f'href="{OTHER}"' in page
    assert "2 change(s) pending" in page

    only_phone = browser.get("/dashboard/review", params={"field": "phone", "q": "perry", "sort": "confidence"}).text
    assert f'data-change-id="{changes["phone"].id}"' in only_phone
    assert f'data-change-id="{changes["founded_year"].id}"' not in only_phone
    assert "1 change(s) match" in only_phone
    disagreeing = browser.get("/dashboard/review", params={"conflicts_only": "true"}).text
    assert "1 change(s) match" in disagreeing

    nobody = browser.get("/dashboard/review", params={"q": "Lennar"}).text
    assert "No changes match these filters." in nobody
    today = changes["phone"].created_at.date()
    assert "2 change(s) match" in browser.get("/dashboard/review", params={"created_from": str(today)}).text
    before = browser.get("/dashboard/review", params={"created_to": str(today), "change_type": "modified"}).text
    assert "0 change(s) match" in before and f'value="{today}"' in before


def test_a_bad_filter_is_a_422_naming_it(browser: TestClient, session: Session) -> None:
    sign_in(browser, make_admin(session))
    answer = browser.get("/dashboard/review", params={"min_confidence": "2"})
    assert answer.status_code == 422 and "min_confidence" in answer.text
    unknown = browser.get("/dashboard/review", params={"status": "maybe"})
    assert unknown.status_code == 422 and "status" in unknown.text
    not_a_day = browser.get("/dashboard/review", params={"created_from": "yesterday"})
    assert not_a_day.status_code == 422 and "created_from" in not_a_day.text


def test_approving_one_change_updates_the_record(browser: TestClient, session: Session) -> None:
    builder, changes = _perry(session)
    csrf = sign_in(browser, make_admin(session))

    answer = browser.post(
        "/dashboard/review/decide?field=phone",
        data={"csrf_token": csrf, "choice": "apply-one", "change_ids": str(changes["phone"].id)},
    )

    assert answer.status_code == 303 and "1+applied" in answer.headers["location"]
    assert answer.headers["location"].startswith("/dashboard/review?field=phone&notice=")
    session.refresh(builder)
    assert builder.phone == "+17135550199"
    assert session.get(CollectionChange, changes["founded_year"].id).status == "pending"  # type: ignore[union-attr]


def test_selected_changes_show_their_trial_run_then_exactly_those_are_decided(
    browser: TestClient, session: Session
) -> None:
    builder, changes = _perry(session)
    session.add(FieldLock(entity_type="builder", entity_id=builder.id, field_name="founded_year", locked_by="x"))
    session.flush()
    csrf = sign_in(browser, make_admin(session))
    chosen = [str(changes["phone"].id), str(changes["founded_year"].id)]

    trial = browser.post("/dashboard/review/decide", data={"csrf_token": csrf, "choice": "apply-selected",
                                                           "change_ids": chosen})  # fmt: skip

    assert trial.status_code == 200 and "Approve 2 change(s)?" in trial.text
    counts = dict(re.findall(r"<li>([a-z ():;,]+?) <strong>(\d+)</strong></li>", trial.text))
    assert counts["apply"] == "1" and counts["skip for a locked field"] == "1"
    session.refresh(builder)
    assert builder.phone == "(713) 555-0100"  # a trial changes nothing
    assert sorted(_decide_ids(trial.text)) == sorted(chosen)

    done = browser.post("/dashboard/review/decide", data={"csrf_token": csrf, "choice": "apply-confirmed",
                                                          "change_ids": _decide_ids(trial.text)})  # fmt: skip
    assert done.status_code == 303 and "1+applied" in done.headers["location"]
    assert "1+skipped%3A+field+locked" in done.headers["location"]
    session.refresh(builder)
    assert builder.phone == "+17135550199" and builder.founded_year is None


def test_rejecting_all_matching_a_filter_counts_them_first(browser: TestClient, session: Session) -> None:
    _builder, changes = _perry(session)
    other = make_builder(session, name="Lennar")
    csrf = sign_in(browser, make_admin(session))

    trial = browser.post("/dashboard/review/decide?q=Perry", data={"csrf_token": csrf, "choice": "reject-filter"})

    assert trial.status_code == 200 and "Reject 2 change(s)?" in trial.text
    assert "reject <strong>2</strong>" in trial.text
    assert all(c.status == "pending" for c in changes.values())
    assert 'action="/dashboard/review/decide?q=Perry"' in trial.text

    done = browser.post("/dashboard/review/decide?q=Perry", data={"csrf_token": csrf, "choice": "reject-confirmed",
                                                                  "change_ids": _decide_ids(trial.text)})  # fmt: skip
    assert done.status_code == 303 and "2+rejected" in done.headers["location"]
    for change in changes.values():
        session.refresh(change)
    assert {c.status for c in changes.values()} == {"rejected"}
    assert other.name == "Lennar"


def test_decisions_need_a_choice_a_selection_and_the_csrf_token(browser: TestClient, session: Session) -> None:
    _builder, changes = _perry(session)
    csrf = sign_in(browser, make_admin(session))
    phone = str(changes["phone"].id)

    forged = browser.post("/dashboard/review/decide", data={"choice": "apply-one", "change_ids": phone})
    assert forged.status_code == 403
    nothing = browser.post("/dashboard/review/decide", data={"csrf_token": csrf, "choice": "apply-selected"})
    assert nothing.status_code == 303 and "Select+at+least+one+change" in nothing.headers["location"]
    odd = browser.post(
        "/dashboard/review/decide", data={"csrf_token": csrf, "choice": "apply-all", "change_ids": phone}
    )
    assert odd.status_code == 422 and "choice" in odd.text
    missing = browser.post("/dashboard/review/decide", data={"csrf_token": csrf, "choice": "apply-one",
                                                             "change_ids": "99999999"})  # fmt: skip
    assert missing.status_code == 303 and "99999999" in missing.headers["location"]
    assert session.get(CollectionChange, changes["phone"].id).status == "pending"  # type: ignore[union-attr]
