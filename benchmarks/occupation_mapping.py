"""How well free-text job titles map to STYRK-08: top-1 and top-3 accuracy on a labelled set of titles
as employers write them (tests/core/data/job_titles_labelled.csv), and, per confidence threshold, the
precision and recall of what is accepted without asking for the code. Printed for the `dev` split
(the titles the mapper and its synonyms were tuned on), the `holdout` split (never tuned on) and both.

Usage: python -m benchmarks.occupation_mapping [--legacy REV] [--misses]
  --legacy REV   measure the mapper as it was at git revision REV (before the full classification)
  --misses       list the titles mapped wrongly (dev split only, to keep the holdout unseen)"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import types
from collections.abc import Callable

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LABELLED = os.path.join(ROOT, "tests", "core", "data", "job_titles_labelled.csv")
THRESHOLDS = (50, 55, 60, 65, 70, 75, 80, 85, 90, 95)

Mapper = Callable[[str], list[tuple[str, int]]]  # title -> [(code, confidence)], best first


def load_labelled(path: str = LABELLED) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def current_mapper() -> Mapper:
    from core.occupations import suggest

    return lambda title: [(m.code, m.confidence) for m in suggest(title, 3)]


def without_own_synonyms_mapper() -> Mapper:
    """The current mapper, but for each title every curated title or synonym that the title contains
    word for word is left out of the index (SSB's and NAV's names stay): how the mapper does on titles
    its synonym list did not foresee, through official names, compound words and typo tolerance."""
    import re

    from core.occupations import all_occupations, tokens
    from core.occupations.mapping import index_without, rank

    official = set()
    for o in all_occupations():
        for name in (o.name, o.nav_name):
            for part in [name, *re.split(r",\s*|\s+og\s+|\s*/\s*", name)]:
                official.add(" ".join(tokens(part)))
    curated = {" ".join(tokens(t)) for o in all_occupations() for t in (o.title, *o.synonyms)} - official

    def mapper(title: str) -> list[tuple[str, int]]:
        words = " " + " ".join(tokens(title)) + " "
        own = {term for term in curated if term and f" {term} " in words}
        return [(m.code, m.confidence) for m in rank(title, index_without(own), 3)]

    return mapper


def legacy_mapper(rev: str) -> Mapper:
    """The mapper of an earlier revision (core/occupations.py, 23 curated occupations, token_set_ratio)."""
    from rapidfuzz import fuzz, process, utils

    source = subprocess.run(["git", "show", f"{rev}:core/occupations.py"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    module = types.ModuleType("legacy_occupations")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, "legacy_occupations.py", "exec"), module.__dict__)  # noqa: S102 (our own history)
    texts, codes = module._choices()

    def mapper(title: str) -> list[tuple[str, int]]:
        found, seen = [], set()
        for _text, score, i in process.extract(title, texts, scorer=fuzz.token_set_ratio,
                                               processor=utils.default_process, limit=30):
            if codes[i] not in seen:
                seen.add(codes[i])
                found.append((codes[i], round(score)))
        return found[:3]

    return mapper


def evaluate(rows: list[dict[str, str]], mapper: Mapper) -> dict:
    """Accuracy and, per threshold, precision (right among accepted) and recall (right and accepted
    among all titles) and the share accepted."""
    results = [(row, mapper(row["title"])) for row in rows]
    n = len(results) or 1
    top1 = sum(bool(found) and found[0][0] == row["code"] for row, found in results)
    top3 = sum(row["code"] in [c for c, _ in found[:3]] for row, found in results)
    per_threshold = {}
    for t in THRESHOLDS:
        accepted = [(row, found) for row, found in results if found and found[0][1] >= t]
        right = sum(found[0][0] == row["code"] for row, found in accepted)
        per_threshold[t] = {"accepted": len(accepted) / n, "precision": right / len(accepted) if accepted else 1.0,
                            "recall": right / n}
    misses = [(row["title"], row["code"], found) for row, found in results if not found or found[0][0] != row["code"]]
    return {"n": len(results), "top1": top1 / n, "top3": top3 / n, "thresholds": per_threshold, "misses": misses}


def _print(name: str, report: dict) -> None:
    print(f"\n{name}: {report['n']} titles   top-1 {report['top1']:.1%}   top-3 {report['top3']:.1%}")
    print("  threshold | accepted | precision | recall")
    for t, row in report["thresholds"].items():
        print(f"  {t:>9} | {row['accepted']:>8.1%} | {row['precision']:>9.1%} | {row['recall']:>6.1%}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--legacy", metavar="REV", help="measure the mapper of an earlier git revision")
    parser.add_argument("--misses", action="store_true", help="list wrong titles of the dev split")
    args = parser.parse_args(argv)
    mapper = legacy_mapper(args.legacy) if args.legacy else current_mapper()
    rows = load_labelled()
    print(f"mapper: {'legacy ' + args.legacy if args.legacy else 'current'}; labelled set: {os.path.relpath(LABELLED, ROOT)}")
    for split in ("dev", "holdout"):
        report = evaluate([r for r in rows if r["split"] == split], mapper)
        _print(split, report)
        if args.misses and split == "dev":
            for title, code, found in report["misses"]:
                print(f"    miss: {title!r} want {code}, got {found}")
    _print("all", evaluate(rows, mapper))
    if not args.legacy:
        for split in ("dev", "holdout"):
            report = evaluate([r for r in rows if r["split"] == split], without_own_synonyms_mapper())
            _print(f"{split}, with every curated synonym the title contains left out", report)
            if args.misses and split == "dev":
                for title, code, found in report["misses"]:
                    print(f"    miss: {title!r} want {code}, got {found}")


if __name__ == "__main__":
    sys.path.insert(0, ROOT)
    main()
