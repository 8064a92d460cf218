"""Scoring: exam specifications, identified readings turned into per-task scores, thresholds.

In: an :class:`ExamSpec` (generated from and checked against the sheet
layout it reads), the identified sheets of a stream or school with their
engine readings (``omrkit.SheetReading``), the second scan of each room
(UNT-SCAN-4), the commission's recorded review decisions, the opened
``AnswerKey``, and the exclusions (UNT-SCORE-4, UNT-SCAN-5).

Out: the answers frame (one row per candidate, subject and task), the review
list (slots flagged near the 50 % line or where the two scans disagree), the
per-task score frame and its typed form (:class:`TaskScore`,
:class:`SubjectScore`, :class:`SheetScore`) that statements, appeals and
certificates consume, and the thresholds of МАБ and university МАБ (D-5,
D-6, MAB-U-10…14). Tables are polars expressions, not row loops; polars is
imported by the frame modules only, which ``ubt_domain`` loads lazily.
"""
