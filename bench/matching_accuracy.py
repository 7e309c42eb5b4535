"""Matcher accuracy: precision, recall and F1 at the configured thresholds.

On three sets:
- bench/data/matching_labeled.json: our hand-labeled hard cases (builders, communities, homes);
- Zomato-Yelp labelled restaurant pairs (train / valid / test splits), scored as businesses;
- Chicago early-childhood sites from ten lists with true cluster ids: deduplication through blocking.

The public sets are read from ``--evaldata`` (default /work/shared/evaldata, or ARTITEC_EVALDATA), never
copied into the project; a missing set is skipped with a message.

    .venv/bin/python -m bench.matching_accuracy [--evaldata DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from app.core.config import get_settings
from app.matching.blocking import CandidateIndex
from app.matching.scorer import MatchRecord, prepare, score_pair

LABELED = Path(__file__).parent / "data" / "matching_labeled.json"
DEFAULT_EVALDATA = os.environ.get("ARTITEC_EVALDATA", "/work/shared/evaldata")


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: bool, actual: bool) -> None:
        if predicted and actual:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif actual:
            self.fn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def row(self, name: str) -> str:
        return (
            f"| {name} | {self.precision:.3f} | {self.recall:.3f} | {self.f1:.3f} | {self.tp} | {self.fp} | {self.fn} |"
        )


HEADER = "| set | precision | recall | F1 | TP | FP | FN |\n|---|---|---|---|---|---|---|"


def evaluate_pairs(scored: Iterable[tuple[float, bool]], threshold: float) -> Counts:
    counts = Counts()
    for confidence, actual in scored:
        counts.add(confidence >= threshold, actual)
    return counts


def labeled_scores(path: Path = LABELED) -> list[tuple[str, str, float, bool]]:
    """(entity, case, confidence, actual) for every hand-labeled pair."""
    pairs = json.loads(path.read_text())["pairs"]
    out = []
    for pair in pairs:
        left = prepare(pair["entity"], pair["left"], "L")
        right = prepare(pair["entity"], pair["right"], "R")
        out.append((pair["entity"], pair["case"], score_pair(left, right).confidence, bool(pair["match"])))
    return out


def _restaurant(row: dict[str, str]) -> MatchRecord:
    # A restaurant is scored like a builder: a business with a name, phone and street address.
    return prepare(
        "builder",
        {"name": row["name"], "phone": row["phone"], "address": row["address"], "postal_code": row["zip"]},
        row["id"],
    )


def zomato_yelp_scores(root: Path) -> dict[str, list[tuple[float, bool]]] | None:
    folder = root / "zomato_yelp"
    if not (folder / "tableA.csv").exists():
        return None
    with (folder / "tableA.csv").open(encoding="utf-8") as fa, (folder / "tableB.csv").open(encoding="utf-8") as fb:
        left = {r["id"]: _restaurant(r) for r in csv.DictReader(fa)}
        right = {r["id"]: _restaurant(r) for r in csv.DictReader(fb)}
    splits: dict[str, list[tuple[float, bool]]] = {}
    for split in ("train", "valid", "test"):
        with (folder / f"{split}.csv").open(encoding="utf-8") as fh:
            splits[split] = [
                (score_pair(left[r["ltable_id"]], right[r["rtable_id"]]).confidence, r["label"] == "1")
                for r in csv.DictReader(fh)
            ]
    return splits


def _site(row: dict[str, str]) -> MatchRecord:
    # A site is a place: the home scorer, where the street address dominates and the name counts a little.
    address = " ".join((row.get("Address") or "").split())
    return prepare(
        "property",
        {
            "title": " ".join((row.get("Site name") or "").split()),
            "address1": address,
            "postal_code": row.get("Zip"),
            "city": "Chicago",
            "state": "IL",
        },
        row["Id"],
    )


def chicago_dedup(root: Path, threshold: float) -> Counts | None:
    """Pairs predicted by blocking + scoring each record against all others, against true cluster pairs."""
    path = root / "chicago_early_childhood" / "csv_example_input_with_true_ids.csv"
    if not path.exists():
        return None
    with path.open(encoding="latin-1", newline="") as fh:
        rows = list(csv.DictReader(fh))
    records = [_site(r) for r in rows]
    cluster = {r["Id"]: r["True Id"] for r in rows}
    members: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        members[r["True Id"]].append(r["Id"])
    actual = {frozenset(p) for ids in members.values() for p in combinations(ids, 2)}
    index = CandidateIndex(records)
    predicted: set[frozenset[str]] = set()
    for record, candidates in zip(records, index.match_many(records, min_confidence=threshold), strict=True):
        for c in candidates:
            if c.record.id != record.id:
                predicted.add(frozenset((record.id, c.record.id)))
    counts = Counts(tp=len(predicted & actual), fp=len(predicted - actual), fn=len(actual - predicted))
    assert all(cluster[next(iter(p))] for p in actual)
    return counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaldata", default=DEFAULT_EVALDATA, help="folder of the public evaluation data")
    parser.add_argument("--verbose", action="store_true", help="print every labeled pair")
    args = parser.parse_args(argv)
    settings = get_settings()
    high, low = settings.match_high_threshold, settings.match_low_threshold
    print(f"thresholds: high (linked) {high}, low (review) {low}")

    labeled = labeled_scores()
    if args.verbose:
        for entity, case, confidence, actual in labeled:
            print(f"  {entity:9} {case:30} {confidence:.3f} {'match' if actual else 'distinct'}")
    print("\nOwn labeled set (bench/data/matching_labeled.json), predicted match = confidence >= threshold")
    print(HEADER)
    for entity in ("builder", "community", "property", None):
        subset = [(c, a) for e, _case, c, a in labeled if entity is None or e == entity]
        name = entity or "all"
        print(evaluate_pairs(subset, high).row(f"{name} @ high {high}"))
        print(evaluate_pairs(subset, low).row(f"{name} @ low {low}"))

    root = Path(args.evaldata)
    zomato = zomato_yelp_scores(root)
    if zomato is None:
        print(f"\nZomato-Yelp: skipped, {root / 'zomato_yelp'} not found")
    else:
        print("\nZomato-Yelp labelled pairs (not used to choose the weights)")
        print(HEADER)
        for split, scored in zomato.items():
            print(evaluate_pairs(scored, high).row(f"{split} @ high {high}"))
            print(evaluate_pairs(scored, low).row(f"{split} @ low {low}"))

    for threshold, label in ((high, "high"), (low, "low")):
        chicago = chicago_dedup(root, threshold)
        if chicago is None:
            print(f"\nChicago early childhood: skipped, {root / 'chicago_early_childhood'} not found")
            break
        if label == "high":
            print("\nChicago early-childhood dedup (all pairs sharing a true cluster id), through blocking")
            print(HEADER)
        print(chicago.row(f"pairs @ {label} {threshold}"))


if __name__ == "__main__":
    main()
