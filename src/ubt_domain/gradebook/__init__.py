"""The e-journal («БІЛІМАЛ. Электронды мектеп», seed 004): grade-entry windows and the report card.

In: a grade to enter (student, subject, grade level, assessment kind and
date, the grade, the teacher, the aware time of entry), the school's zone,
the quarter, the window policy (D-11) and, for a late entry, a recorded
access grant naming its reason.
Out: a :class:`GradeJournal` that only grows, chained by SHA-256 like the
score ledger (a grade is never edited, EJ-5); the refusal of an entry out
of its window (EJ-2 … EJ-4, EJ-6); the quarter report card as a model and
as a polars frame (EJ-8).
"""
