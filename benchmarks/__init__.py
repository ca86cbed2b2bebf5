"""Benchmarks of orgdiff on synthetic orgs (not tests; run by hand, see README.md)."""
