"""Evaluation: datasets, metrics, judges, reports and the CI gate.

``evaluate(Path("evals/datasets/core.yaml"))`` drives ``Assistant.ask`` exactly as a user's
script would and returns an :class:`~evals.results.EvalRun`.
"""
