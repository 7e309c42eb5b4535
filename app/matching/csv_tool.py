"""`artitec-collector match-csv`: match a partner's spreadsheet against the database or another file."""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from tqdm import tqdm

from app.core.config import get_settings
from app.matching.blocking import CandidateIndex
from app.matching.scorer import MatchRecord, prepare

ENTITIES = {"builder": "builder", "community": "community", "property": "property"}
# Accepted headers (any case, spaces or dashes for underscores) for each field the matcher reads.
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "row_id", "record_id", "external_id"),
    "name": ("name", "builder_name", "community_name", "company", "company_name", "title"),
    "website": ("website", "url", "web", "site", "community_website_url"),
    "phone": ("phone", "phone_number", "telephone", "tel", "hoa_contact_phone"),
    "address": ("address", "street", "street_address", "address1", "address_1", "address_line_1"),
    "address2": ("address2", "address_2", "unit", "apt", "address_line_2"),
    "city": ("city", "town"),
    "state": ("state", "st", "province", "region"),
    "postal_code": ("postal_code", "zip", "zip_code", "zipcode", "postcode"),
    "latitude": ("latitude", "lat"),
    "longitude": ("longitude", "lon", "lng", "long"),
}
# What a file needs for each entity type: at least one column of each group.
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "builder": (("name",),),
    "community": (("name",),),
    "property": (("address",),),
}
CHUNK = 500
PROGRESS_MIN_ROWS = 1000


class CsvInputError(Exception):
    """A file the tool cannot use, with a message naming what is wrong."""


def _key(header: str) -> str:
    return header.strip().lower().replace(" ", "_").replace("-", "_")


def _column_map(path: Path, headers: Sequence[str], entity: str) -> dict[str, str]:
    by_key = {_key(h): h for h in headers if h}
    mapping = {}
    for field, aliases in ALIASES.items():
        for alias in aliases:
            if alias in by_key:
                mapping[field] = by_key[alias]
                break
    for group in REQUIRED[entity]:
        if not any(field in mapping for field in group):
            wanted = ", ".join(a for field in group for a in ALIASES[field])
            raise CsvInputError(
                f"{path}: no column for {' or '.join(group)} of a {entity} (accepted headers: {wanted}); "
                f"the file's columns are: {', '.join(headers) or '(none)'}"
            )
    return mapping


def read_records(path: Path, entity: str) -> list[MatchRecord]:
    """The file's rows prepared for matching; the id is the ``id`` column, else the 1-based row number."""
    if not path.is_file():
        raise CsvInputError(f"{path}: file not found")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        mapping = _column_map(path, reader.fieldnames or [], entity)
        records = []
        for number, row in enumerate(reader, start=1):
            values: dict[str, Any] = {f: (row.get(col) or "").strip() or None for f, col in mapping.items()}
            if entity == "property":
                values["address1"] = values.pop("address", None)
                values["title"] = values.pop("name", None)
            record_id = values.pop("id", None) or str(number)
            records.append(prepare(entity, values, record_id))
    return records


def _records_from_db(entity: str) -> list[MatchRecord]:
    from app.core.db import session_scope
    from app.matching.repository import load_all

    with session_scope() as session:
        return load_all(session, entity)


def _chunks(records: list[MatchRecord], size: int) -> Iterator[list[MatchRecord]]:
    for start in range(0, len(records), size):
        yield records[start : start + size]


def match_files(
    left: list[MatchRecord],
    right: list[MatchRecord],
    *,
    min_confidence: float,
    top: int = 1,
    progress: bool | None = None,
) -> Iterator[tuple[Any, Any, float, str | None]]:
    """(left id, right id, confidence, method) of each left record's best matches."""
    index = CandidateIndex(right)
    show = len(left) >= PROGRESS_MIN_ROWS if progress is None else progress
    with tqdm(total=len(left), unit="row", disable=not show, file=sys.stderr, desc="matching") as bar:
        for chunk in _chunks(left, CHUNK):
            for record, candidates in zip(chunk, index.match_many(chunk, min_confidence=min_confidence), strict=True):
                for candidate in candidates[:top]:
                    yield record.id, candidate.record.id, candidate.score.confidence, candidate.score.method
            bar.update(len(chunk))


def register(subparsers: Any) -> None:
    """Add the ``match-csv`` subcommand to the CLI."""
    parser = subparsers.add_parser(
        "match-csv",
        help="match a CSV of builders, communities or homes against the database or another CSV",
        description="Writes one row per pair: left_id, right_id, confidence (0..1), method.",
    )
    parser.add_argument("file", type=Path, help="CSV with a header row (e.g. id,name,website,phone,city,state)")
    parser.add_argument("--entity", required=True, choices=sorted(ENTITIES), help="what the rows are")
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--against-db", action="store_true", help="match against the records in the database")
    target.add_argument("--against", type=Path, metavar="FILE2", help="match against another CSV")
    parser.add_argument("--out", type=Path, required=True, help="where to write the pairs (CSV)")
    parser.add_argument(
        "--min-confidence", type=float, default=None, help="lowest confidence written (default: the review threshold)"
    )
    parser.add_argument("--top", type=int, default=1, help="pairs written per row, best first (default 1)")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None, help="progress bar")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``match-csv``; prints a clear error and returns 2 when an input cannot be used."""
    entity = ENTITIES[args.entity]
    min_confidence = args.min_confidence if args.min_confidence is not None else get_settings().match_low_threshold
    try:
        left = read_records(args.file, entity)
        right = _records_from_db(entity) if args.against_db else read_records(args.against, entity)
    except CsvInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    written = 0
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["left_id", "right_id", "confidence", "method"])
        for left_id, right_id, confidence, method in match_files(
            left, right, min_confidence=min_confidence, top=max(1, args.top), progress=args.progress
        ):
            writer.writerow([left_id, right_id, f"{confidence:.4f}", method])
            written += 1
    against = "the database" if args.against_db else str(args.against)
    print(f"{written} pairs from {len(left)} rows against {len(right)} records of {against} -> {args.out}")
    return 0
