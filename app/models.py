"""Imports every domain's tables so that metadata (Alembic, tests) sees the whole schema."""

from app.auth.models import User
from app.builders.models import (
    BuilderAward,
    BuilderCommunity,
    BuilderCredential,
    BuilderHomePlan,
    BuilderPortfolio,
    BuilderProfile,
)
from app.changes.models import CollectionChange, PendingChangeRollup, PendingJobRollup
from app.communities.models import Community, CommunityAmenity, CommunityAward, CommunityEvent
from app.core.audit import AuditEvent
from app.core.locks import FieldLock
from app.jobs.models import CollectionJob, JobDailyRollup, JobEvent
from app.matching.models import EntityMatch
from app.ops.models import (
    ChangeDailyRollup,
    RecordLatestApplied,
    RecordLatestDailyRollup,
    RecordSyncRollup,
)
from app.properties.models import Property
from app.research.models import FetchedPage
from app.sources.models import CollectionOptOut, CollectionSource

__all__ = [
    "AuditEvent",
    "BuilderAward",
    "BuilderCommunity",
    "BuilderCredential",
    "BuilderHomePlan",
    "BuilderPortfolio",
    "BuilderProfile",
    "ChangeDailyRollup",
    "CollectionChange",
    "CollectionJob",
    "CollectionOptOut",
    "CollectionSource",
    "Community",
    "CommunityAmenity",
    "CommunityAward",
    "CommunityEvent",
    "EntityMatch",
    "FetchedPage",
    "FieldLock",
    "JobDailyRollup",
    "JobEvent",
    "PendingChangeRollup",
    "PendingJobRollup",
    "Property",
    "RecordLatestApplied",
    "RecordLatestDailyRollup",
    "RecordSyncRollup",
    "User",
]
