"""Rules of the homes admin API: links that must exist, duplicate addresses, audited edits that lock fields."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.auth.models import User
from app.builders.models import BuilderHomePlan, BuilderProfile
from app.communities.models import Community
from app.core.crud import apply_admin_edit, record_created
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.pagination import PageRequest, paginate
from app.properties import repository
from app.properties.models import Property
from app.properties.schemas import (
    NamedRef,
    PropertyCreate,
    PropertyDetail,
    PropertyList,
    PropertyRead,
    PropertyUpdate,
)

ENTITY_TYPE = "property"


def list_properties(
    session: Session,
    paging: PageRequest,
    *,
    name: str | None,
    city: str | None,
    state: str | None,
    builder_id: int | None,
    community_id: int | None,
    status: str | None,
    include_archived: bool = False,
) -> PropertyList:
    """One page of homes matching the filters."""
    stmt = repository.properties_query(
        name=name,
        city=city,
        state=state,
        builder_id=builder_id,
        community_id=community_id,
        status=status,
        include_archived=include_archived,
    )
    result = paginate(session, stmt, repository.SEARCH_ORDER if name else repository.ORDER, paging)
    return PropertyList(properties=[PropertyRead.model_validate(row) for row in result.rows], **result.paging())


def get_property_or_404(session: Session, property_id: int) -> Property:
    """The home with this internal id, or NotFound."""
    home = repository.get_property(session, property_id)
    if home is None:
        raise NotFound(f"property {property_id} not found")
    return home


def property_detail(home: Property) -> PropertyDetail:
    """The home with the names of its builder, community and plan."""
    return PropertyDetail(
        **PropertyRead.model_validate(home).model_dump(),
        builder=NamedRef(id=home.builder.id, name=home.builder.name) if home.builder else None,
        community=NamedRef(id=home.community.id, name=home.community.name) if home.community else None,
        plan=NamedRef(id=home.plan.id, name=home.plan.name) if home.plan else None,
    )


def _check_links(session: Session, values: dict[str, Any], current: Property | None = None) -> None:
    """Linked builder, community and plan must exist, and the plan must be the builder's."""
    for field, model, label in (
        ("builder_id", BuilderProfile, "builder"),
        ("community_id", Community, "community"),
        ("plan_id", BuilderHomePlan, "home plan"),
    ):
        if values.get(field) is not None and session.get(model, values[field]) is None:
            raise InvalidInput(f"{field}: {label} {values[field]} does not exist")
    plan_id = values.get("plan_id", current.plan_id if current else None)
    builder_id = values.get("builder_id", current.builder_id if current else None)
    if plan_id is not None and builder_id is not None:
        plan = session.get(BuilderHomePlan, plan_id)
        if plan is not None and plan.builder_id != builder_id:
            raise InvalidInput(f"plan_id: home plan {plan_id} belongs to builder {plan.builder_id}, not {builder_id}")


def create_property(session: Session, data: PropertyCreate, admin: User) -> Property:
    """Create a home by hand; a second active home at the same address is a conflict."""
    values = data.model_dump(exclude_none=True)
    _check_links(session, values)
    if data.address1:
        same = repository.find_same_address(session, data.address1, data.postal_code, data.city)
        if same is not None:
            raise Conflict(f"property {same.id} ({same.title}) already exists at {same.address1}")
    home = Property(**values, data_source="manual")
    session.add(home)
    session.flush()
    record_created(session, home, ENTITY_TYPE, values, actor=admin.user_id)
    return get_property_or_404(session, home.id)


def update_property(session: Session, property_id: int, data: PropertyUpdate, admin: User) -> Property:
    """Apply an admin's edit: changed fields are written, locked as human verified and audited."""
    home = get_property_or_404(session, property_id)
    values = data.model_dump(exclude_unset=True)
    _check_links(session, values, home)
    if apply_admin_edit(session, home, ENTITY_TYPE, values, actor=admin.user_id):
        # Re-read so the detail shows the newly linked builder, community or plan.
        session.expire(home, ["builder", "community", "plan"])
    return home
