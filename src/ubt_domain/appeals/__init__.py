"""Appeals: applications, hearings, votes, technical evidence, decisions and closing.

In: applications filed at the testing point (who, when, which tasks and on
which grounds), the time results were announced and the point's time zone;
at the hearing, attendance, the commission's votes and, for technical
appeals, the fills re-measured on the stored test-day scan and measured on
the appeal-day scan (numbers from omrkit, never pixels); the Republic
commission's decisions; the stream's :class:`~ubt_domain.ledger.ScoreLedger`.
Out: the register of applications with its journal, each task's decision
with the rule it rests on, ledger entries for every change of points, the
proposals to the Republic commission, the closing of the stream with the
final register and the statement with appeal, and the booklets that go
back to NTC.
"""
