"""Concurrent job requests cannot together exceed a limit: counting and inserting are one step."""

from __future__ import annotations

import threading

from app.core.config import get_settings
from app.core.db import session_scope
from app.core.errors import RateLimited
from app.jobs.models import JobType
from app.jobs.service import create_job
from tests.factories import make_admin, make_builder


def test_concurrent_requests_never_exceed_the_system_limit(committed_db: None) -> None:
    settings = get_settings().model_copy(update={"jobs_per_day_system": 5})
    with session_scope() as session:
        admins = [make_admin(session) for _ in range(10)]
        builder_id = make_builder(session).id
    barrier = threading.Barrier(len(admins))
    outcomes: list[str] = []

    def request(admin_id: int) -> None:
        barrier.wait()
        try:
            with session_scope() as session:
                from app.auth.models import User

                admin = session.get(User, admin_id)
                assert admin is not None
                # Only the row is needed here: the session's after-commit send is dropped below.
                create_job(
                    session,
                    admin,
                    entity_type="builder",
                    entity_id=builder_id,
                    job_type=JobType.update,
                    settings=settings,
                )
                session.info.pop("after_commit_tasks", None)
            outcomes.append("created")
        except RateLimited:
            outcomes.append("refused")

    threads = [threading.Thread(target=request, args=(a.id,)) for a in admins]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["created"] * 5 + ["refused"] * 5
