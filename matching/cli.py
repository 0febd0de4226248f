"""`brobygger match`, `brobygger shortlist` and `brobygger assign`: the CSV commands.

Registered by `api.cli` through `add_commands`. Heavy modules (pandas, OR-Tools, scipy) are
imported inside the commands so that `brobygger assign` starts light: it is timed against a
plain scipy script doing the same file-to-file job. A malformed input file gives a
row-numbered message on stderr, exit code 2, and no output file.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

EXIT_BAD_INPUT = 2


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{text}» er ikke en dato på formen ÅÅÅÅ-MM-DD") from None


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"«{text}» skal være et helt tall 1 eller større")
    return int(text)


def add_commands(subparsers) -> None:
    def add_inputs(p):
        p.add_argument("--candidates", required=True, metavar="C.csv", help="Kandidater")
        p.add_argument("--vacancies", required=True, metavar="V.csv", help="Stillinger")
        p.add_argument("--start", required=True, type=_iso_date, help="Første dag i planåret (ÅÅÅÅ-MM-DD)")
        p.add_argument("--out", required=True, metavar="P.csv", help="Resultatfil")
        p.add_argument("--progress", action="store_true", help="Vis fremdrift på stderr")

    p = subparsers.add_parser("match", help="Foreslå hvilke kandidater som skal til hvilke stillinger (CSV)")
    add_inputs(p)
    p.add_argument("--time-limit", type=float, default=10.0, help="Sekunder (standard 10)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--max-concurrent-jobs", type=_positive_int, default=2, help="Jobber samtidig (standard 2)")
    p.add_argument("--unlock", metavar="U.csv", default=None,
                   help="Skriv også hva som ville åpnet flere stillinger for hver kandidat")
    p.set_defaults(func=cmd_match)

    p = subparsers.add_parser("shortlist", help="Kandidatlister per stilling (CSV)")
    add_inputs(p)
    p.add_argument("--per-vacancy", type=_positive_int, default=3, help="Kandidater per stilling (standard 3)")
    p.add_argument("--per-candidate", type=_positive_int, default=3, help="Lister per kandidat (standard 3)")
    p.set_defaults(func=cmd_shortlist)

    p = subparsers.add_parser("assign", help="Én-til-én-tildeling som maksimerer summen av egne poeng (CSV)")
    p.add_argument("--pairs", required=True, metavar="PAIRS.csv", help="candidate_id, vacancy_id, score")
    p.add_argument("--out", required=True, metavar="A.csv")
    p.set_defaults(func=cmd_assign)


def _fail(exc: Exception) -> int:
    print(f"Feil: {exc}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _load_problem(args, **params):
    from matching.csvio import read_candidates, read_vacancies
    from matching.problem import MatchingParams, build_problem

    candidates = read_candidates(args.candidates)
    vacancies = read_vacancies(args.vacancies)
    return build_problem(candidates, vacancies, args.start, MatchingParams(**params))


def _progress_printer(enabled: bool):
    if not enabled:
        return None

    def report(event: dict) -> None:
        details = ", ".join(f"{k}={v}" for k, v in event.items() if k != "phase")
        print(f"[{event['phase']}] {details}", file=sys.stderr, flush=True)
    return report


def cmd_match(args: argparse.Namespace) -> int:
    from matching.csvio import CsvError, write_csv
    from matching.explain import filled_vacancies, unlock_suggestions
    from matching.present import proposal_rows
    from matching.solve import solve

    try:
        problem = _load_problem(args, max_concurrent_jobs=args.max_concurrent_jobs)
    except CsvError as exc:
        return _fail(exc)
    result = solve(problem, time_limit=args.time_limit, seed=args.seed, progress=_progress_printer(args.progress))
    for pin in result.infeasible_pins:
        print(f"Låst par {pin.candidate_id}–{pin.vacancy_id} er ikke mulig: {pin.reason}", file=sys.stderr)
    rows = [(r.candidate_id, r.vacancy_id, r.employer_id, r.fte, r.start.isoformat(),
             r.end.isoformat() if r.end else "", r.score, f"{r.year_coverage:.1f}", r.explanation)
            for r in proposal_rows(problem, result)]
    write_csv(args.out, ("candidate_id", "vacancy_id", "employer_id", "fte", "start", "end", "score",
                         "year_coverage", "explanation"), rows)
    if args.unlock:
        write_csv(args.unlock, ("candidate_id", "requirement", "value", "vacancies", "explanation"),
                  [(s.candidate_id, s.kind, s.value, s.vacancies, s.text) for s in
                   unlock_suggestions(problem, filled_vacancies(problem, result.pairs.vac, result.chosen))])
    placed = len({r[0] for r in rows})
    print(f"Skrev {len(rows)} forslag for {placed} av {len(problem.candidates)} kandidater til {args.out} "
          f"(dekning {result.coverage_objective} prosentdager, øvre grense {result.coverage_bound}, "
          f"gap {100 * result.coverage_gap:.2f} %; poeng {result.quality_objective}, øvre grense "
          f"{result.quality_bound}, gap {100 * result.quality_gap:.2f} %; "
          f"{'optimal' if result.status == 'optimal' else 'ikke bevist optimal'}).")
    return 0


def cmd_shortlist(args: argparse.Namespace) -> int:
    from matching.csvio import CsvError, write_csv
    from matching.present import shortlist_rows
    from matching.shortlist import shortlists

    try:
        problem = _load_problem(args, shortlist_per_vacancy=args.per_vacancy,
                                shortlists_per_candidate=args.per_candidate)
    except CsvError as exc:
        return _fail(exc)
    result = shortlists(problem)
    rows = [(r.vacancy_id, r.rank, r.candidate_id, r.score, r.explanation) for r in shortlist_rows(problem, result)]
    write_csv(args.out, ("vacancy_id", "rank", "candidate_id", "score", "explanation"), rows)
    print(f"Skrev {len(rows)} kandidatforslag til {len({r[0] for r in rows})} stillinger i {args.out} "
          f"(sum poeng {result.total_score}).")
    return 0


def cmd_assign(args: argparse.Namespace) -> int:
    import numpy as np

    from matching.csvio import CsvError, integer_weights, read_pairs, write_csv
    from matching.flow import max_weight_matching

    try:
        cand_ids, vac_ids, left, right, score, score_text = read_pairs(args.pairs)
    except CsvError as exc:
        return _fail(exc)
    weight = integer_weights(score)
    chosen = max_weight_matching(len(cand_ids), len(vac_ids), left, right, weight)
    idx = np.flatnonzero(chosen)
    rows = zip([cand_ids[i] for i in left[idx]], [vac_ids[j] for j in right[idx]], score_text[idx])
    write_csv(args.out, ("candidate_id", "vacancy_id", "score"), rows)
    print(f"Skrev {len(idx)} par til {args.out} (sum poeng {float(score[idx].sum()):g}).")
    return 0
