"""Matching: propose which candidate goes to which vacancy.

Pure core (no web or database code): problem, eligibility, scoring, model, greedy, flow,
decompose, solve, shortlist, explain, validate. CSV commands: csvio and cli.
"""
