"""Model answers the way real models write them, for the Claude researcher's tests and the pipeline benchmark.

Each variant is a scripted sequence of Messages API replies (sent by the fake server through the real
SDK), the request it answers, the values a careful reader keeps (path -> value) and the values it drops
(path -> a fragment of the reason named in the job's warnings). Kept paths are paths in the findings
(``records[i].field``, ``records[i].kind[j].field``; an update's record loses its name), dropped paths
are paths in the model's JSON. ``error`` is a fragment of the job's error when no answer can be read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from app.research.findings import Finding, ResearchRequest
from app.research.normalize import comparable
from tests.fakes.anthropic_server import Reply, sourced, text_answer

ELYSON = "https://www.elyson.example/"
PERRY = "https://www.perryhomes.example/"
HOME = "https://www.perryhomes.example/homes/123-oak-lane"


@dataclass
class AnswerVariant:
    name: str
    entity_type: str
    job_type: str
    subject: dict[str, Any]
    replies: list[Reply]
    kept: dict[str, Any] = field(default_factory=dict)
    dropped: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    # Other warnings the job must carry (fragments).
    warnings: list[str] = field(default_factory=list)
    llm_calls: int = 1


@dataclass
class Score:
    """How a reading of one variant compares with what a careful reader keeps."""

    valid: int = 0
    valid_kept: int = 0
    invalid_proposed: int = 0

    def add(self, other: Score) -> None:
        self.valid += other.valid
        self.valid_kept += other.valid_kept
        self.invalid_proposed += other.invalid_proposed


def request_for(variant: AnswerVariant) -> ResearchRequest:
    return ResearchRequest.model_validate(
        {
            "job_id": "JOB-1-corpus",
            "entity_type": variant.entity_type,
            "job_type": variant.job_type,
            "subject": variant.subject,
        }
    )


def kept_values(findings: list[Finding]) -> dict[str, tuple[str, str, Any]]:
    """Every value of the findings by path: (finding kind, field, value)."""
    values: dict[str, tuple[str, str, Any]] = {}
    for index, finding in enumerate(findings):
        for name, found in finding.fields.items():
            values[f"records[{index}].{name}"] = (finding.kind, name, found.value)
        seen: dict[str, int] = {}
        for child in finding.children:
            position = seen.get(child.kind, 0)
            seen[child.kind] = position + 1
            for name, found in child.fields.items():
                values[f"records[{index}].{child.kind}[{position}].{name}"] = (child.kind, name, found.value)
    return values


def score(variant: AnswerVariant, findings: list[Finding]) -> Score:
    """Valid values kept (same value after normalization) and values proposed that a careful reader drops."""
    result = Score(valid=len(variant.kept))
    for path, (kind, name, value) in kept_values(findings).items():
        expected = variant.kept.get(path)
        if path in variant.kept and comparable(kind, name, value) == comparable(kind, name, expected):
            result.valid_kept += 1
        else:
            result.invalid_proposed += 1
    return result


def _records(*records: dict[str, Any]) -> str:
    return json.dumps({"records": list(records)}, indent=2)


ELYSON_SUBJECT = {"name": "Elyson", "city": "Katy", "state": "TX", "community_website_url": ELYSON}
PERRY_SUBJECT = {"name": "Perry Homes", "website": PERRY, "city": "Houston", "state": "TX"}
HOME_SUBJECT = {"title": "123 Oak Lane", "address1": "123 Oak Lane", "city": "Katy", "state": "TX"}


def _elyson(**fields: Any) -> dict[str, Any]:
    return {"name": sourced("Elyson", ELYSON, "Welcome to Elyson"), **fields}


def corpus() -> list[AnswerVariant]:
    """Every variant, each with fresh replies (a reply is consumed by the fake)."""
    truncated = _records(
        _elyson(
            homes=sourced(1850, ELYSON, "1,850 homes"),
            school_district=sourced("Katy ISD", ELYSON, "served by Katy ISD"),
            total_acres=sourced(3600, ELYSON, "3,600 acres"),
        )
    )
    cut_at = truncated.index('"quote": "3,600') + len('"quote": "3,6')
    return [
        AnswerVariant(
            "clean",
            "community",
            "update",
            ELYSON_SUBJECT,
            [
                text_answer(
                    _records(
                        _elyson(
                            homes=sourced(1850, ELYSON, "1,850 homes"),
                            hoa_fee=sourced("$95/month", ELYSON, "HOA dues are $95/month"),
                            school_district=sourced("Katy ISD", ELYSON, "served by Katy ISD"),
                            amenities=[sourced("Resort pool", ELYSON, "a resort pool")],
                        )
                    )
                )
            ],
            kept={
                "records[0].homes": 1850,
                "records[0].hoa_fee": "$95/month",
                "records[0].school_district": "Katy ISD",
                "records[0].amenity[0].name": "Resort pool",
            },
        ),
        AnswerVariant(
            "prose and fence",
            "community",
            "update",
            ELYSON_SUBJECT,
            [
                text_answer(
                    "I read the community's site. Here is what it states:\n\n```json\n"
                    + _records(
                        _elyson(
                            homes={"value": "1,850", "source_url": ELYSON, "quote": "1,850 homes"},
                            hoa_fee=sourced("$95 per month", ELYSON, "HOA: $95 per month"),
                            school_district=sourced("Katy ISD", ELYSON, "served by Katy ISD"),
                            development_stage={"value": "selling", "source_url": ELYSON, "quote": ""},
                        )
                    )
                    + "\n```\n\nThe HOA management company was not listed."
                )
            ],
            kept={
                "records[0].homes": 1850,
                "records[0].hoa_fee": {"amount": 95, "period": "monthly"},
                "records[0].school_district": "Katy ISD",
            },
            dropped={"records[0].development_stage": "an empty quote"},
        ),
        AnswerVariant(
            "a draft, then the final object",
            "community",
            "update",
            ELYSON_SUBJECT,
            [
                text_answer(
                    "Draft:\n"
                    + _records(_elyson(homes=sourced(1700, ELYSON, "1,700 homes")))
                    + "\nOn a second look the site says 1,850. Final answer:\n"
                    + _records(
                        _elyson(
                            homes=sourced(1850, ELYSON, "1,850 homes"),
                            total_acres=sourced(3600, ELYSON, "3,600 acres"),
                        )
                    )
                )
            ],
            kept={"records[0].homes": 1850, "records[0].total_acres": 3600},
        ),
        AnswerVariant(
            "numbers with commas, units and currency",
            "property",
            "update",
            HOME_SUBJECT,
            [
                text_answer(
                    _records(
                        {
                            "address1": sourced("123 Oak Lane", HOME),
                            "price": sourced("$485,000", HOME, "Priced at $485,000"),
                            "bedrooms": sourced("4 bedrooms", HOME, "4 bedrooms"),
                            "bathrooms": sourced("3.5 baths", HOME, "3.5 baths"),
                            "sqft": sourced("2,850 sq ft", HOME, "2,850 sq ft"),
                            "move_in_ready": sourced("Yes", HOME, "Move-in ready: Yes"),
                            "move_in_date": sourced("March 15, 2026", HOME, "Available March 15, 2026"),
                            "lot_sqft": sourced("0.25 acres", HOME, "on a 0.25 acre lot"),
                        }
                    )
                )
            ],
            kept={
                "records[0].address1": "123 Oak Lane",
                "records[0].price": 485000,
                "records[0].bedrooms": 4,
                "records[0].bathrooms": 3.5,
                "records[0].sqft": 2850,
                "records[0].move_in_ready": True,
                "records[0].move_in_date": "2026-03-15",
            },
            dropped={"records[0].lot_sqft": "0.25 is not a whole number"},
        ),
        AnswerVariant(
            "null values",
            "builder",
            "update",
            PERRY_SUBJECT,
            [
                text_answer(
                    _records(
                        {
                            "name": sourced("Perry Homes", PERRY),
                            "email": None,
                            "phone": {"value": None, "source_url": PERRY, "quote": ""},
                            "founded_year": sourced(1967, PERRY, "Building Texas homes since 1967"),
                            "awards": None,
                        }
                    )
                )
            ],
            kept={"records[0].founded_year": 1967},
        ),
        AnswerVariant(
            "empty and missing quotes and source URLs",
            "builder",
            "update",
            PERRY_SUBJECT,
            [
                text_answer(
                    _records(
                        {
                            "name": sourced("Perry Homes", PERRY),
                            "phone": {"value": "(713) 555-0199", "source_url": PERRY},
                            "email": {"value": "info@perryhomes.example", "source_url": PERRY, "quote": ""},
                            "founded_year": {"value": 1967, "source_url": PERRY, "quote": "   "},
                            "address": {"value": "9000 Gulf Fwy", "quote": "9000 Gulf Fwy"},
                            "city": {"value": "Houston", "source_url": "file:///etc/passwd", "quote": "Houston"},
                            "postal_code": "77017",
                            "state": sourced("TX", PERRY, "Houston, TX"),
                        }
                    )
                )
            ],
            kept={"records[0].state": "TX"},
            dropped={
                "records[0].phone": "no quote",
                "records[0].email": "an empty quote",
                "records[0].founded_year": "an empty quote",
                "records[0].address": "no source_url",
                "records[0].city": "not an http(s) URL",
                "records[0].postal_code": "a bare value",
            },
        ),
        AnswerVariant(
            "a wrong type in one field",
            "community",
            "update",
            ELYSON_SUBJECT,
            [
                text_answer(
                    _records(
                        _elyson(
                            homes=sourced("many", ELYSON, "many homes"),
                            total_acres={"value": {"min": 3000}, "source_url": ELYSON, "quote": "3,000+ acres"},
                            city={"value": ["Katy"], "source_url": ELYSON, "quote": "Katy, Texas"},
                            founded_year={"value": True, "source_url": ELYSON, "quote": "since 2019"},
                            school_district=sourced("Katy ISD", ELYSON, "served by Katy ISD"),
                            hoa_fee=sourced("$1,200 per year", ELYSON, "$1,200 per year"),
                        )
                    )
                )
            ],
            kept={
                "records[0].school_district": "Katy ISD",
                "records[0].hoa_fee": {"amount": 1200, "period": "annual"},
            },
            dropped={
                "records[0].homes": "not a number",
                "records[0].total_acres": "got an object",
                "records[0].city": "got a list",
                "records[0].founded_year": "got true",
            },
        ),
        AnswerVariant(
            "unknown fields",
            "builder",
            "update",
            PERRY_SUBJECT,
            [
                text_answer(
                    json.dumps(
                        {
                            "records": [
                                {
                                    "name": sourced("Perry Homes", PERRY),
                                    "phone": sourced("(713) 555-0199", PERRY, "Call (713) 555-0199"),
                                    "is_verified": sourced(True, PERRY),
                                    "user_id": sourced("admin", PERRY),
                                    "owner_home_address": sourced("12 Elm St", PERRY, "12 Elm St"),
                                    "awards": [
                                        {
                                            "title": sourced("2024 Builder of the Year", PERRY),
                                            "judge": sourced("GHBA", PERRY),
                                        }
                                    ],
                                }
                            ],
                            "entity_type": "community",
                            "notes": "nothing else found",
                        }
                    )
                )
            ],
            kept={"records[0].phone": "(713) 555-0199", "records[0].award[0].title": "2024 Builder of the Year"},
        ),
        AnswerVariant(
            "cut at max_tokens, continued, cut again",
            "community",
            "update",
            ELYSON_SUBJECT,
            [
                text_answer(truncated[:40], stop_reason="max_tokens"),
                text_answer(truncated[40:cut_at], stop_reason="max_tokens"),
            ],
            kept={"records[0].homes": 1850, "records[0].school_district": "Katy ISD"},
            dropped={"records[0].total_acres": "no quote"},
            warnings=["cut at max_tokens even after one continuation"],
            llm_calls=2,
        ),
        AnswerVariant(
            "cut at max_tokens, then completed by the continuation",
            "community",
            "update",
            ELYSON_SUBJECT,
            [text_answer(truncated[:cut_at], stop_reason="max_tokens"), text_answer(truncated[cut_at:])],
            kept={"records[0].homes": 1850, "records[0].school_district": "Katy ISD", "records[0].total_acres": 3600},
            llm_calls=2,
        ),
        AnswerVariant(
            "discovery: records without their names",
            "community",
            "discovery",
            {},
            [
                text_answer(
                    _records(
                        {"name": sourced("Elyson", ELYSON), "city": sourced("Katy", ELYSON, "Katy, Texas")},
                        {"city": sourced("Katy", ELYSON, "Katy, Texas"), "homes": sourced(900, ELYSON, "900 homes")},
                        {"name": {"value": "Cane Island", "source_url": ELYSON, "quote": ""}},
                        "Sunterra",
                        {"name": sourced("Sunterra", ELYSON), "amenities": [sourced("Lagoon", ELYSON), "Park"]},
                    )
                )
            ],
            kept={
                "records[0].name": "Elyson",
                "records[0].city": "Katy",
                "records[1].name": "Sunterra",
                "records[1].amenity[0].name": "Lagoon",
            },
            dropped={
                "records[1]": "a record without its name",
                "records[2].name": "an empty quote",
                "records[2]": "a record without its name",
                "records[3]": "not a JSON object",
                "records[4].amenities[1]": "a bare value",
            },
        ),
        AnswerVariant(
            "a child record without its name",
            "builder",
            "update",
            PERRY_SUBJECT,
            [
                text_answer(
                    _records(
                        {
                            "awards": [
                                {"year": sourced(2024, PERRY, "2024")},
                                {"title": sourced("2024 Builder of the Year", PERRY), "year": sourced("2024", PERRY)},
                            ],
                            "home_plans": [
                                {"name": sourced("The Sabine", PERRY), "base_sqft": sourced("2,850 sq ft", PERRY)}
                            ],
                        }
                    )
                )
            ],
            kept={
                "records[0].award[0].title": "2024 Builder of the Year",
                "records[0].award[0].year": 2024,
                "records[0].home_plan[0].name": "The Sabine",
                "records[0].home_plan[0].base_sqft": 2850,
            },
            dropped={"records[0].awards[0]": "a record without its title"},
        ),
        AnswerVariant(
            "no JSON, then the JSON alone after one repair turn",
            "builder",
            "update",
            PERRY_SUBJECT,
            [
                text_answer("Perry Homes can be reached at (713) 555-0199; it was founded in 1967."),
                text_answer(_records({"phone": sourced("(713) 555-0199", PERRY, "Call (713) 555-0199")})),
            ],
            kept={"records[0].phone": "(713) 555-0199"},
            llm_calls=2,
        ),
        AnswerVariant(
            "no JSON at all, even after the repair turn",
            "builder",
            "update",
            PERRY_SUBJECT,
            [
                text_answer("I could not find anything useful about {Perry Homes}."),
                text_answer("Sorry, I still have nothing to report."),
            ],
            error="Sorry, I still have nothing to report.",
            llm_calls=2,
        ),
    ]
