"""Estimates the linkage parameters shipped in app/matching/parameters/ from unlabelled records.

No labels are read. Each entity type's model is estimated like `artitec-collector match-train` does
(u from random pairs, m and the prior by EM on the blocked candidate pairs), on data kept apart
from the figures it is measured with:
- builder: Zomato-Yelp tableA against tableB, without any record of the test split's pairs
  (restaurants: businesses with a name, phone, street address and ZIP, like a partner's builder list);
- community and property: no public data with three or more of their fields exists here, and EM cannot
  identify a two-class model from fewer; their files hold the starting values (app/matching/linkage.py)
  until `match-train` estimates them from the database.

    .venv/bin/python -m bench.matching_parameters [--evaldata DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.matching.linkage import parameters_path, save_model, starting_model, train
from app.matching.records import MatchRecord
from app.matching.training import candidate_pairs
from bench.matching_accuracy import DEFAULT_EVALDATA, zomato_yelp_tables

VERSION = 1
NOT_IDENTIFIED = (
    "starting values: no unlabelled data with three or more compared fields is available to estimate them; "
    "run match-train on the database"
)


def _fit(entity: str, left: list[MatchRecord], right: list[MatchRecord] | None, source: str) -> None:
    pairs = candidate_pairs(left, right)
    model = train(entity, left, right, pairs, trained_on=source, version=VERSION)
    save_model(model, parameters_path(entity))
    print(f"{entity}: {len(pairs):,} candidate pairs, EM {model.em_iterations} iterations, prior {model.prior:.4f}")
    for name, field in model.fields.items():
        weights = ", ".join(f"{level} {model.weight_table()[name][level]:+.1f}" for level in field.m)
        print(f"  {name:12} {'estimated' if field.estimated else 'starting values':15} {weights}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaldata", default=DEFAULT_EVALDATA, help="folder of the public evaluation data")
    parser.add_argument("--entity", choices=("builder", "community", "property"), help="only this one's model")
    args = parser.parse_args(argv)
    root = Path(args.evaldata)

    if args.entity in (None, "builder"):
        left, right, test_ids = zomato_yelp_tables(root)
        train_left = [r for r in left.values() if r.id not in test_ids[0]]
        train_right = [r for r in right.values() if r.id not in test_ids[1]]
        _fit("builder", train_left, train_right, "Zomato-Yelp tableA against tableB, without the test split's records")
    for entity in ("community", "property"):
        if args.entity in (None, entity):
            model = starting_model(entity)
            model.trained_on = NOT_IDENTIFIED
            save_model(model, parameters_path(entity))
            print(f"{entity}: starting values ({NOT_IDENTIFIED})")


if __name__ == "__main__":
    main()
