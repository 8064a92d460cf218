"""testing_point: a testing point's exam workflow on a durable store.

The service layer around the pure domain: it loads state from one SQLite file
(:mod:`testing_point.store`), calls :mod:`ubt_domain`'s pure functions and
:mod:`omrkit` for reading, and writes each step's result in one transaction.
Readings stay in omrkit's Parquet parts, referenced by content hash; the store
holds decisions, seals and the score ledger.

In: application forms, a room fund, answer-sheet scans, passwords. Out: the
store, documents (PDF) beside it, and the stream's status.
"""
