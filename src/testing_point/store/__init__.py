"""The durable store of one testing point: one SQLite file.

In: domain values (applicants, the journal, seating plans, identification
decisions, the sealed key, ledger entries, appeals, certificates) as JSON, and
references to omrkit's Parquet parts by content hash. Out: the same values,
loaded for the next step. ``schema`` holds the versioned migrations and the
constraints that make once-only steps happen once; ``database`` the connection,
transactions and the typed refusals.
"""

from testing_point.store.database import Store

__all__ = ["Store"]
