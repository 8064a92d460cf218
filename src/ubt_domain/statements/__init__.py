"""Statements and statistics: scored results turned into the lists the procedures print.

In: the per-task score frame of ``ubt_domain.scoring`` (and its typed
``SheetScore`` values), the people the scores belong to (the stream's
identification and names for ҰБТ, the school's approved list for МАБ/ОЖСБ,
the university roster), and the exclusions.

Out: polars frames with a stable, documented schema (the ҰБТ statement
without appeal, per-school statements, university exam lists by group,
daily and final statistics) and the printed copies each statement is made in
with their recipients (UNT-STMT-1, MAB-S-22, OZH-19, UNT-KEY-6). The PDFs are
printed by ``ubt_domain.documents``, outside the pure core.
"""
