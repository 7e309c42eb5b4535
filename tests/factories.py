"""Small typed helpers that make test records; each returns a flushed ORM object."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.auth.models import Role, User
from app.auth.tokens import issue_token
from app.builders.models import BuilderHomePlan, BuilderProfile
from app.communities.models import Community
from app.core.config import get_settings
from app.properties.models import Property

_counter = 0


def _next() -> int:
    global _counter
    _counter += 1
    return _counter


def make_user(session: Session, **overrides: Any) -> User:
    n = _next()
    values: dict[str, Any] = {"email": f"user{n}@example.com", "display_name": f"User {n}", "role": Role.user}
    values.update(overrides)
    user = User(**values)
    session.add(user)
    session.flush()
    return user


def make_admin(session: Session, **overrides: Any) -> User:
    overrides.setdefault("role", Role.admin)
    return make_user(session, **overrides)


def auth_headers(user: User, **token_options: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(user, get_settings(), **token_options)}"}


def make_builder(session: Session, **overrides: Any) -> BuilderProfile:
    n = _next()
    values: dict[str, Any] = {
        "name": f"Builder {n} Homes",
        "website": f"https://builder{n}.example.com",
        "city": "Houston",
        "state": "TX",
    }
    values.update(overrides)
    builder = BuilderProfile(**values)
    session.add(builder)
    session.flush()
    return builder


def make_community(session: Session, **overrides: Any) -> Community:
    n = _next()
    values: dict[str, Any] = {"name": f"Community {n}", "city": "Katy", "state": "TX"}
    values.update(overrides)
    community = Community(**values)
    session.add(community)
    session.flush()
    return community


def make_plan(session: Session, builder: BuilderProfile, **overrides: Any) -> BuilderHomePlan:
    n = _next()
    values: dict[str, Any] = {"name": f"Plan {n}", "builder_id": builder.id, "base_price": 400000.0}
    values.update(overrides)
    plan = BuilderHomePlan(**values)
    session.add(plan)
    session.flush()
    return plan


def make_property(session: Session, **overrides: Any) -> Property:
    n = _next()
    values: dict[str, Any] = {
        "title": f"Home {n}",
        "address1": f"{100 + n} Oak Street",
        "city": "Houston",
        "state": "TX",
        "postal_code": "77001",
        "price": 450000.0,
        "bedrooms": 4,
        "bathrooms": 3.0,
        "sqft": 2500,
    }
    values.update(overrides)
    home = Property(**values)
    session.add(home)
    session.flush()
    return home
