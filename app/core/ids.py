"""Public identifiers as the plan shows them: ``BLD-…``, ``CMY-…``, ``JOB-<epoch>-<6 chars>``."""

from __future__ import annotations

import secrets
import string
import time

from app.core.entities import ENTITIES, EntityType

_ALPHABET = string.ascii_uppercase + string.digits


def _suffix(length: int = 6) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def new_public_id(prefix: str) -> str:
    """``PREFIX-<epoch seconds>-<6 random chars>``, e.g. ``JOB-1699564234-ABC123``."""
    return f"{prefix}-{int(time.time())}-{_suffix()}"


def new_job_id() -> str:
    return new_public_id("JOB")


def _record_id(entity_type: EntityType) -> str:
    prefix = ENTITIES[entity_type].id_prefix
    assert prefix is not None, f"{entity_type} has no public id"
    return new_public_id(prefix)


def new_builder_id() -> str:
    return _record_id(EntityType.builder)


def new_community_id() -> str:
    return _record_id(EntityType.community)


def new_source_id() -> str:
    return new_public_id("SRC")


def new_user_id() -> str:
    return new_public_id("USR")
