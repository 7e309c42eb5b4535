"""The one registry of entity types: per type its table, name field, website, API path, children and parent.

Tables are named by import path and loaded on first use: core sits below the domain packages that
define them, and must not import them.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from typing import Any, Literal


class EntityType(StrEnum):
    """What a job, a change, a match or an opt-out is about: a record or one of its children."""

    builder = "builder"
    community = "community"
    property = "property"
    home_plan = "home_plan"
    award = "award"  # a builder's award
    credential = "credential"
    amenity = "amenity"
    event = "event"
    community_award = "community_award"


# The top-level records as the API's request and response bodies name them.
RecordTypeName = Literal["builder", "community", "property"]


@dataclass(frozen=True)
class EntityInfo:
    entity_type: EntityType
    model_path: str  # "module:Class" of its table
    name_field: str  # the field that names a record: how an existing child is matched to a found one
    website_field: str | None = None  # where the record keeps its own website
    path_segment: str | None = None  # the admin API's path segment of a top-level record
    id_prefix: str | None = None  # prefix of its public id (BLD-…)
    # Child kinds as findings name them -> the entity type of their changes.
    children: Mapping[str, EntityType] = field(default_factory=dict)
    parent: EntityType | None = None
    parent_column: str | None = None  # the column of a child that points at its parent record
    subject_fields: tuple[str, ...] = ()  # what research is told about the record it updates

    @property
    def model(self) -> type[Any]:
        return _load(self.model_path)


@cache
def _load(path: str) -> type[Any]:
    module, _, name = path.partition(":")
    model: type[Any] = getattr(importlib.import_module(module), name)
    return model


def _child(entity_type: EntityType, model_path: str, name_field: str, parent: EntityType) -> EntityInfo:
    column = f"{parent.value}_id"
    return EntityInfo(entity_type, model_path, name_field, parent=parent, parent_column=column)


E = EntityType
ENTITIES: dict[EntityType, EntityInfo] = {
    info.entity_type: info
    for info in (
        EntityInfo(
            E.builder,
            "app.builders.models:BuilderProfile",
            "name",
            website_field="website",
            path_segment="builders",
            id_prefix="BLD",
            children={"award": E.award, "home_plan": E.home_plan, "credential": E.credential},
            subject_fields=("name", "website", "phone", "email", "address", "city", "state", "postal_code"),
        ),
        EntityInfo(
            E.community,
            "app.communities.models:Community",
            "name",
            website_field="community_website_url",
            path_segment="communities",
            id_prefix="CMY",
            children={
                "amenity": E.amenity,
                "event": E.event,
                "community_award": E.community_award,
                "award": E.community_award,
            },
            subject_fields=("name", "community_website_url", "city", "state", "postal_code", "address"),
        ),
        EntityInfo(
            E.property,
            "app.properties.models:Property",
            "title",
            path_segment="properties",
            subject_fields=("title", "address1", "city", "state", "postal_code"),
        ),
        _child(E.home_plan, "app.builders.models:BuilderHomePlan", "name", E.builder),
        _child(E.award, "app.builders.models:BuilderAward", "title", E.builder),
        _child(E.credential, "app.builders.models:BuilderCredential", "name", E.builder),
        _child(E.amenity, "app.communities.models:CommunityAmenity", "name", E.community),
        _child(E.event, "app.communities.models:CommunityEvent", "title", E.community),
        _child(E.community_award, "app.communities.models:CommunityAward", "title", E.community),
    )
}

# Builders, communities and homes: the records jobs, matches and opt-outs are about.
RECORD_TYPES: tuple[EntityType, ...] = (E.builder, E.community, E.property)


class _Models(Mapping[str, type[Any]]):
    """Entity type -> table, loaded on first use."""

    def __init__(self, types: tuple[EntityType, ...]) -> None:
        self._types = types

    def __getitem__(self, entity_type: str) -> type[Any]:
        if entity_type not in self._types:
            raise KeyError(entity_type)
        return ENTITIES[EntityType(entity_type)].model

    def __iter__(self) -> Iterator[str]:
        return iter(self._types)

    def __len__(self) -> int:
        return len(self._types)


_RECORDS = [(t, ENTITIES[t]) for t in RECORD_TYPES]
# Every entity type's table, and the top-level records' alone.
ENTITY_MODELS: Mapping[str, type[Any]] = _Models(tuple(ENTITIES))
RECORD_MODELS: Mapping[str, type[Any]] = _Models(RECORD_TYPES)
NAME_FIELD: dict[str, str] = {t.value: info.name_field for t, info in ENTITIES.items()}
PARENT_COLUMN: dict[str, str] = {t.value: i.parent_column for t, i in ENTITIES.items() if i.parent_column}
CHILD_TYPES: dict[str, Mapping[str, EntityType]] = {t.value: i.children for t, i in ENTITIES.items() if i.children}
WEBSITE_FIELDS: dict[str, str] = {t.value: i.website_field for t, i in ENTITIES.items() if i.website_field}
# Where a subject keeps its own website: a builder's or a community's (a property inventory's builder too).
OWN_SITE_FIELDS: tuple[str, ...] = tuple(WEBSITE_FIELDS.values())
# The admin API's path segment -> the record type (/builders/{id}/... is about a builder).
PATH_TYPES: dict[str, EntityType] = {i.path_segment: t for t, i in ENTITIES.items() if i.path_segment}
SUBJECT_FIELDS: dict[str, tuple[str, ...]] = {
    t.value: i.subject_fields for t, i in ENTITIES.items() if i.subject_fields
}
