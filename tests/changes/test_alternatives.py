"""Sources that disagree on a field: the stronger proposal stays, the others wait beside it as alternatives."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.changes.alternatives import settle
from app.changes.bulk import propose_updates_bulk
from app.changes.confidence import DISAGREEMENT_CAP
from app.changes.models import ChangeStatus, CollectionChange
from app.changes.proposals import propose_updates
from app.communities.models import Community
from app.core.config import get_settings
from app.research.findings import Extractor, Finding
from app.sources.models import CollectionSource
from tests.changes.conftest import finding, found, make_job
from tests.factories import auth_headers, make_admin, make_community

OWN_SITE = "https://www.cincoranch.com/hoa"
DIRECTORY = "https://www.communitydirectory.net/tx/cinco-ranch"
PORTAL = "https://www.newhomesportal.org/cinco-ranch"
OWN_PAGE = "Cinco Ranch homeowners pay HOA dues of $125/month."
DIRECTORY_PAGE = "Cinco Ranch. HOA: $99/month. Builders: Perry Homes."
PORTAL_PAGE = "Cinco Ranch HOA $125/month"


def _own_site_fee(fee: str = "$125/month") -> Finding:
    return finding("community", hoa_fee=found(fee, url=OWN_SITE))


def _directory_fee(fee: str = "$99/month") -> Finding:
    return finding("community", hoa_fee=found(fee, url=DIRECTORY, source_type="directory"))


def _propose(session: Session, community: Community, found_fee: Finding, texts: dict[str, str]) -> list[str]:
    """Propose a finding in its own job; returns the job's notes (readings kept as alternatives)."""
    job = make_job(session, entity_type="community")
    return propose_updates(session, job, "community", community.id, found_fee, texts, settings=get_settings()).notes


def _pending_amount(session: Session, community: Community) -> CollectionChange:
    return session.scalars(
        select(CollectionChange).where(
            CollectionChange.entity_id == community.id,
            CollectionChange.field_name == "hoa_fee_amount",
            CollectionChange.status == ChangeStatus.pending,
        )
    ).one()


def test_a_weaker_directory_reading_never_replaces_the_own_sites_proposal(session: Session) -> None:
    community = make_community(session, name="Cinco Ranch", hoa_fee_amount=Decimal("110"), hoa_fee_frequency="monthly")
    _propose(session, community, _own_site_fee(), {OWN_SITE: OWN_PAGE})
    first = _pending_amount(session, community)
    assert first.confidence > get_settings().auto_apply_threshold  # the own site alone would be auto-applied

    notes = _propose(session, community, _directory_fee(), {DIRECTORY: DIRECTORY_PAGE})

    pending = _pending_amount(session, community)
    assert pending.id == first.id and pending.new_value == "125"  # the stronger proposal stays
    [alternative] = pending.alternatives or []
    assert alternative["value"] == 99 and alternative["source"] == DIRECTORY
    assert alternative["confidence"] < first.confidence and alternative["status"] == "pending"
    assert [e["source_url"] for e in alternative["evidence"]] == [DIRECTORY]
    # The disagreement keeps the proposal below the auto-apply threshold, and the components say why.
    assert pending.confidence <= DISAGREEMENT_CAP < get_settings().auto_apply_threshold
    assert pending.confidence_components is not None
    assert pending.confidence_components["disagreeing_sources"] == 1
    assert pending.confidence_components["disagreement_cap"] == DISAGREEMENT_CAP
    assert len(notes) == 1 and f"pending change {first.id}" in notes[0] and DIRECTORY in notes[0]


def test_a_stronger_reading_replaces_a_weaker_one_which_stays_as_alternative(session: Session) -> None:
    community = make_community(session, hoa_fee_amount=Decimal("110"), hoa_fee_frequency="monthly")
    _propose(session, community, _directory_fee(), {DIRECTORY: DIRECTORY_PAGE})
    weaker = _pending_amount(session, community)

    notes = _propose(session, community, _own_site_fee(), {OWN_SITE: OWN_PAGE})

    session.refresh(weaker)
    stronger = _pending_amount(session, community)
    assert notes == []
    assert weaker.status == ChangeStatus.superseded and weaker.superseded_by == stronger.id
    assert stronger.new_value == "125" and stronger.source_url == OWN_SITE
    assert [(a["value"], a["source"]) for a in stronger.alternatives or []] == [(99, DIRECTORY)]
    assert stronger.confidence == DISAGREEMENT_CAP


def _entry(url: str, source_type: str, source_id: int) -> dict[str, object]:
    return {
        "source_url": url,
        "quote": None,
        "extractor": "json_ld",
        "found_in_source": True,
        "source_id": source_id,
        "source_type": source_type,
        "source_reliability": 0.8,
    }


def test_equal_confidence_goes_to_the_more_trusted_kind_of_source() -> None:
    official, directory = _entry(OWN_SITE, "official_website", 1), _entry(DIRECTORY, "directory", 2)
    older = SimpleNamespace(new_value="125", evidence=[directory], alternatives=None)
    settled = settle("99", official, older, cap=0.85)
    assert (settled.value, settled.includes_new, settled.source_url) == ("99", True, OWN_SITE)
    older = SimpleNamespace(new_value="125", evidence=[official], alternatives=None)
    settled = settle("99", directory, older, cap=0.85)
    assert (settled.value, settled.includes_new, settled.source_url) == ("125", False, OWN_SITE)
    assert [(a["value"], a["source"]) for a in settled.alternatives] == [(99, DIRECTORY)]
    assert settled.confidence == 0.85 and settled.components["disagreeing_sources"] == 1


def test_agreement_raises_confidence_and_disagreement_still_caps_it(session: Session) -> None:
    community = make_community(session, hoa_fee_amount=Decimal("110"), hoa_fee_frequency="monthly")
    claude_own = finding("community", hoa_fee=found("$125/month", url=OWN_SITE, extractor=Extractor.claude))
    _propose(session, community, claude_own, {OWN_SITE: OWN_PAGE})
    alone = _pending_amount(session, community).confidence

    agreeing = finding("community", hoa_fee=found("$125/month", url=PORTAL, source_type="directory"))
    _propose(session, community, agreeing, {PORTAL: PORTAL_PAGE})
    agreed = _pending_amount(session, community)
    assert agreed.confidence_components is not None and agreed.confidence_components["agreeing_sources"] == 1
    assert agreed.confidence > alone
    assert {e["source_url"] for e in agreed.evidence or []} == {OWN_SITE, PORTAL}

    _propose(session, community, _directory_fee(), {DIRECTORY: DIRECTORY_PAGE})
    contested = _pending_amount(session, community)
    assert contested.new_value == "125"
    assert contested.confidence == min(agreed.confidence, DISAGREEMENT_CAP)
    assert [a["value"] for a in contested.alternatives or []] == [99]


def test_a_sources_newer_reading_replaces_its_own_older_one(session: Session) -> None:
    community = make_community(session, hoa_fee_amount=Decimal("110"), hoa_fee_frequency="monthly")
    _propose(session, community, _own_site_fee("$125/month"), {OWN_SITE: OWN_PAGE})
    _propose(session, community, _own_site_fee("$130/month"), {OWN_SITE: "HOA dues of $130/month."})
    pending = _pending_amount(session, community)
    # The site changed its fee: not a disagreement between sources, so no alternative and no cap.
    assert pending.new_value == "130" and not pending.alternatives
    assert pending.confidence > get_settings().auto_apply_threshold


def test_bulk_proposals_keep_a_stronger_pending_change(session: Session) -> None:
    community = make_community(session, hoa_fee_amount=Decimal("110"), hoa_fee_frequency="monthly")
    _propose(session, community, _own_site_fee(), {OWN_SITE: OWN_PAGE})
    first = _pending_amount(session, community)
    job = make_job(session, entity_type="community")
    ids, _rejected, notes = propose_updates_bulk(
        session,
        job,
        "community",
        {community.id: _directory_fee()},
        {DIRECTORY: DIRECTORY_PAGE},
        settings=get_settings(),
    )
    assert ids == [] and len(notes) == 1
    session.expire_all()
    pending = _pending_amount(session, community)
    assert pending.id == first.id and [a["value"] for a in pending.alternatives or []] == [99]
    assert pending.confidence <= DISAGREEMENT_CAP


def _directory_source(session: Session) -> CollectionSource:
    return session.scalars(select(CollectionSource).where(CollectionSource.domain == "communitydirectory.net")).one()


def test_applying_the_proposal_rejects_its_alternatives(session: Session, client: TestClient) -> None:
    headers = auth_headers(make_admin(session))
    community = make_community(session, hoa_fee_amount=Decimal("110"), hoa_fee_frequency="monthly")
    _propose(session, community, _own_site_fee(), {OWN_SITE: OWN_PAGE})
    _propose(session, community, _directory_fee(), {DIRECTORY: DIRECTORY_PAGE})
    change = _pending_amount(session, community)

    listed = client.get(f"/api/v1/admin/communities/{community.id}/pending-changes", headers=headers).json()
    [shown] = [c for c in listed["pending_changes"] if c["change_id"] == change.id]
    assert [(a["value"], a["source"], a["status"]) for a in shown["alternatives"]] == [(99, DIRECTORY, "pending")]
    job = client.get(f"/api/v1/admin/collection-jobs/{change.job_id}", headers=headers).json()
    [summary] = [c for c in job["changes_summary"] if c["change_id"] == change.id]
    assert [a["value"] for a in summary["alternatives"]] == [99]

    response = client.post(
        f"/api/v1/admin/communities/{community.id}/apply-changes", json={"change_ids": [change.id]}, headers=headers
    )
    assert response.status_code == 200 and response.json()["applied_changes"] == 1, response.text
    session.expire_all()
    applied = session.get(CollectionChange, change.id)
    assert applied is not None and applied.status == ChangeStatus.applied
    assert [a["status"] for a in applied.alternatives or []] == ["rejected"]
    assert _directory_source(session).rejected_changes == 1  # the reviewer's choice counts against it


def test_choosing_an_alternative_applies_its_value(session: Session, client: TestClient) -> None:
    headers = auth_headers(make_admin(session))
    community = make_community(session, hoa_fee_amount=Decimal("110"), hoa_fee_frequency="monthly")
    _propose(session, community, _own_site_fee(), {OWN_SITE: OWN_PAGE})
    _propose(session, community, _directory_fee(), {DIRECTORY: DIRECTORY_PAGE})
    change = _pending_amount(session, community)
    url = f"/api/v1/admin/communities/{community.id}/apply-changes"

    def choose(change_id: int, alternative: int) -> dict[str, object]:
        return {"change_ids": [change.id], "choose": [{"change_id": change_id, "alternative": alternative}]}

    bad = client.post(url, json=choose(change.id, 3), headers=headers)
    assert bad.status_code == 422 and f"change {change.id} has no alternative 3" in bad.json()["detail"]
    outside = client.post(url, json=choose(change.id + 999, 0), headers=headers)
    assert outside.status_code == 422 and "not among change_ids" in outside.text
    assert _pending_amount(session, community).new_value == "125"  # a refused request changed nothing

    response = client.post(url, json=choose(change.id, 0), headers=headers)
    assert response.status_code == 200 and response.json()["applied_changes"] == 1, response.text
    session.expire_all()
    refreshed = session.get(Community, community.id)
    assert refreshed is not None and refreshed.hoa_fee_amount == Decimal("99")
    applied = session.get(CollectionChange, change.id)
    assert applied is not None and applied.new_value == "99" and applied.source_url == DIRECTORY
    assert [(a["value"], a["source"], a["status"]) for a in applied.alternatives or []] == [(125, OWN_SITE, "rejected")]


def test_a_reading_without_evidence_is_kept_but_contests_nothing(session: Session) -> None:
    community = make_community(session, hoa_fee_amount=Decimal("110"), hoa_fee_frequency="monthly")
    _propose(session, community, _own_site_fee(), {OWN_SITE: OWN_PAGE})
    alone = _pending_amount(session, community).confidence
    # The directory page does not state $12/month anywhere: an invented or hidden value.
    _propose(session, community, _directory_fee("$12/month"), {DIRECTORY: DIRECTORY_PAGE})
    pending = _pending_amount(session, community)
    assert pending.new_value == "125" and pending.confidence == alone
    assert pending.confidence_components is not None and pending.confidence_components["disagreeing_sources"] == 0
    [alternative] = pending.alternatives or []
    assert alternative["value"] == 12 and alternative["evidence"][0]["found_in_source"] is False
