"""The score ledger: every score change an entry with provenance, chained by SHA-256.

In: per-applicant, per-subject, per-task points (:class:`TaskPoints`, from the
scoring of a stream), and later changes to some of them (appeal, Republic
commission and correction decisions), each with who, when (aware datetime),
why, the rule id and an evidence reference.
Out: an append-only :class:`ScoreLedger` whose ``verify()`` detects an edited,
removed, reordered or re-hashed entry; current and initial points per task
and per subject; the statement with appeal (UNT-STMT-2) computed from it.
The hash chain itself (:mod:`ubt_domain.ledger.chain`) is shared with the
e-journal (:mod:`ubt_domain.gradebook`).
"""
