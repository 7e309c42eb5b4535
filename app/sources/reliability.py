"""How far a source's findings can be trusted: a Beta posterior over its reviewed changes.

The prior depends on the kind of source (a builder's own website is right more often than a
directory, a directory more often than a review site); each approval or rejection of a change
from the source moves the posterior.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.sources.models import CollectionSource, SourceType

# Beta(alpha, beta) priors: the prior mean is alpha / (alpha + beta).
PRIORS: dict[str, tuple[float, float]] = {
    SourceType.official_website: (9.0, 1.0),
    SourceType.mls: (8.0, 2.0),
    SourceType.directory: (6.0, 4.0),
    SourceType.search: (5.0, 5.0),
    SourceType.review_site: (4.0, 6.0),
}
DEFAULT_PRIOR = (5.0, 5.0)


def prior(source_type: str | None) -> tuple[float, float]:
    return PRIORS.get(source_type or "", DEFAULT_PRIOR)


def posterior_mean(source_type: str | None, approved: int, rejected: int) -> float:
    """Mean of Beta(alpha + approved, beta + rejected)."""
    alpha, beta = prior(source_type)
    return (alpha + approved) / (alpha + beta + approved + rejected)


def reliability(source: CollectionSource | None, source_type: str | None = None) -> float:
    """A source's reliability; without a source row, the prior of the evidence's source type.

    When the evidence says its page is less trusted than the row's type (a search result or a
    directory page on a domain first seen as someone's website), the lesser prior applies.
    """
    if source is None:
        return posterior_mean(source_type, 0, 0)
    kind = source.source_type
    if source_type is not None and posterior_mean(source_type, 0, 0) < posterior_mean(kind, 0, 0):
        kind = source_type
    return posterior_mean(kind, source.approved_changes or 0, source.rejected_changes or 0)


def record_review(session: Session, source_id: int | None, approved: bool, count: int = 1) -> None:
    """Count ``count`` approvals (or rejections) of a source's changes and update its reliability_score."""
    if source_id is None or count <= 0:
        return
    column = CollectionSource.approved_changes if approved else CollectionSource.rejected_changes
    # An atomic increment: concurrent reviews of one source never lose a count.
    session.execute(
        update(CollectionSource)
        .where(CollectionSource.id == source_id)
        .values({column: column + count})
        .execution_options(synchronize_session=False)
    )
    row = session.execute(
        select(
            CollectionSource.source_type, CollectionSource.approved_changes, CollectionSource.rejected_changes
        ).where(CollectionSource.id == source_id)
    ).one_or_none()
    if row is None:
        return
    score = posterior_mean(row.source_type, row.approved_changes, row.rejected_changes)
    session.execute(
        update(CollectionSource)
        .where(CollectionSource.id == source_id)
        .values(reliability_score=score)
        .execution_options(synchronize_session=False)
    )
    source = session.get(CollectionSource, source_id)
    if source is not None:
        session.refresh(source)
