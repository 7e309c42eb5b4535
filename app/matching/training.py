"""`artitec-collector match-train`: re-estimate an entity type's linkage model from unlabelled records.

u-probabilities come from random pairs, m-probabilities and the prior from EM on the blocked candidate
pairs (app/matching/linkage.py). Records come from a partner file linked against another file or the
database, from one file deduplicated against itself, or from the database alone.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.core.entities import RECORD_TYPES
from app.matching.blocking import CandidateIndex
from app.matching.csv_tool import (
    CsvInputError,
    add_column_option,
    check_output,
    read_inputs,
    records_from_db,
    writing,
)
from app.matching.linkage import (
    MIN_FREE_FIELDS,
    LinkageModel,
    load_model,
    parameters_path,
    save_model,
    shipped_model,
    train,
)
from app.matching.records import MatchRecord

MIN_CANDIDATE_PAIRS = 20


class TrainingError(Exception):
    """Data the model cannot be estimated from, with a message naming why."""


def candidate_pairs(
    left: Sequence[MatchRecord], right: Sequence[MatchRecord] | None
) -> list[tuple[MatchRecord, MatchRecord]]:
    """The blocked pairs: across two files, or each unordered pair of one file's distinct records once."""
    index = CandidateIndex(right if right is not None else left)
    pairs = []
    for i, (record, ids) in enumerate(zip(left, index.candidate_ids(left), strict=True)):
        for j in sorted(ids):
            if right is None and j <= i:
                continue
            pairs.append((record, index.records[j]))
    return pairs


def estimate(
    entity_type: str, left: Sequence[MatchRecord], right: Sequence[MatchRecord] | None, *, trained_on: str
) -> LinkageModel:
    """A new version of the entity type's model, estimated from the records."""
    pairs = candidate_pairs(left, right)
    if len(pairs) < MIN_CANDIDATE_PAIRS:
        raise TrainingError(
            f"only {len(pairs)} candidate pairs among {len(left)} records; at least {MIN_CANDIDATE_PAIRS} are needed"
        )
    version = load_model(entity_type).version + 1
    model = train(entity_type, left, right, pairs, trained_on=trained_on, version=version)
    if model.em_iterations == 0:
        # Written anyway, a model of u alone and the starting m moves every weight on evidence it never weighed.
        raise TrainingError(
            f"no m-probability could be estimated: EM needs {MIN_FREE_FIELDS} or more fields compared on the candidate "
            "pairs besides the one they were blocked on, and these records give fewer; nothing written, the model in "
            "use is unchanged"
        )
    return model


def register(subparsers: Any) -> None:
    """Add the ``match-train`` subcommand to the CLI."""
    parser = subparsers.add_parser(
        "match-train",
        help="re-estimate the matcher's linkage model of an entity type from unlabelled records",
        description="Estimates u from random pairs and m by EM on the blocked candidate pairs; no labels needed.",
    )
    parser.add_argument("file", type=Path, nargs="?", help="CSV of records (omit to use the database's records)")
    parser.add_argument("--entity", required=True, choices=RECORD_TYPES, help="what the rows are")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--against", type=Path, metavar="FILE2", help="link FILE against another CSV")
    target.add_argument("--against-db", action="store_true", help="link FILE against the database's records")
    parser.add_argument(
        "--out", type=Path, default=None, help="where to write the parameters (default: the package's file)"
    )
    add_column_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``match-train``; prints a clear error and returns 2 when the data cannot be used."""
    entity = args.entity
    if args.file is None and (args.against or args.against_db or args.column):
        print("error: --against, --against-db and --column need a FILE to read", file=sys.stderr)
        return 2
    out = args.out or parameters_path(entity)
    try:
        check_output(out, (args.file, args.against))
        if args.file is None:
            left, right, source = records_from_db(entity), None, "the database"
        else:
            partner, against = read_inputs(args.file, args.against, entity, args.column)
            left, right = partner.records, against.records if against is not None else None
            right = records_from_db(entity) if args.against_db else right
            other = args.against or ("the database" if args.against_db else None)
            source = f"{args.file.name} against {getattr(other, 'name', other)}" if other else args.file.name
        model = estimate(entity, left, right, trained_on=source)
    except (CsvInputError, TrainingError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        with writing(out):
            previous = keep_previous(out)
            save_model(model, out)
    except CsvInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    shipped_model.cache_clear()
    print(json.dumps({"entity": entity, "version": model.version, "prior": round(model.prior, 4),
                      "em_iterations": model.em_iterations, "out": str(out),
                      "previous": str(previous) if previous else None}))  # fmt: skip
    return 0


def keep_previous(out: Path) -> Path | None:
    """The model a run replaces, kept beside it under its version ("builder.v1.json"), so nothing is overwritten
    without a trace: ``match-csv --parameters`` reads it, and copying it back puts it in use again. A file that is
    no model is kept as "<name>.previous<suffix>". None when there was nothing to replace."""
    if not out.is_file():
        return None
    try:
        name = f"{out.stem}.v{int(json.loads(out.read_text())['version'])}"
    except (ValueError, KeyError, TypeError):
        name = f"{out.stem}.previous"
    kept = out.with_name(f"{name}{out.suffix}")
    copy = 1
    while kept.exists():
        # Kept by an earlier run (two models of one version, each estimated from the package's): both stay.
        copy += 1
        kept = out.with_name(f"{name}.{copy}{out.suffix}")
    shutil.copy2(out, kept)
    return kept
