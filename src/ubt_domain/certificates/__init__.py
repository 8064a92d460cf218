"""Certificates of UNT results: numbered from received blanks, distributed against a register.

In: the statement with appeal of a closed stream
(:class:`~ubt_domain.appeals.statement.StatementWithAppeal`, which exists only
after the stream's appeals are closed), the ranges of blank certificates
received from NTC (series and typographic numbers) and the blanks spoiled in
printing.
Out: one :class:`Certificate` per applicant with full name, points per
subject, series and number, each number used once across all streams; the
account of issued, spoiled and unused blanks; the numbered certificates file
for NTC; the distribution register and its check against the statement.
"""
