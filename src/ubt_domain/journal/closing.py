"""Closing the registration journal and «Талапкер» (UNT-REG-13, UNT-REG-14).

On the closing date set by the Rules, by the end of the working day (18:00
local time of the testing point, D-10), the journal is compared with the
database once more, the empty lines after the last application are struck
through with «Z», the school director and the testing-point head sign, and
the expert closes «Талапкер» with a password obtained from NTC. From then on
the journal is frozen (UNT-REG-15).

The password is never seen here in clear: the caller supplies the check
(``verify_password``), so this module stays free of secrets and I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from ubt_domain.errors import DomainError
from ubt_domain.journal.entries import JournalClosing, LateClosingOverride, RegistrationJournal
from ubt_domain.journal.reconciliation import DbRecord, reconcile

__all__ = ["CLOSING_TIME", "close_journal", "closing_deadline"]

# UNT-REG-13: "by the end of the working day (18:00 local time)".
CLOSING_TIME = dt.time(18, 0)


def _require_zone(zone: object) -> dt.tzinfo:
    if not isinstance(zone, dt.tzinfo):
        raise DomainError("D-10", f"zone must be the testing point's ZoneInfo, got {zone!r}")
    return zone


def closing_deadline(closing_date: dt.date, zone: dt.tzinfo) -> dt.datetime:
    """18:00 local time of the closing date, as a timezone-aware datetime.

    Implements UNT-REG-13, D-10.

    Parameters
    ----------
    closing_date : datetime.date
        The date the Rules set for closing.
    zone : tzinfo
        The testing point's time zone (a ``zoneinfo.ZoneInfo``).

    Examples
    --------
    >>> from zoneinfo import ZoneInfo
    >>> closing_deadline(dt.date(2017, 5, 20), ZoneInfo("Asia/Almaty")).isoformat()
    '2017-05-20T18:00:00+06:00'
    """
    if not isinstance(closing_date, dt.date) or isinstance(closing_date, dt.datetime):
        raise DomainError("UNT-REG-13", f"closing_date must be a date, got {closing_date!r}")
    return dt.datetime.combine(closing_date, CLOSING_TIME, tzinfo=_require_zone(zone))


def _check_signatures(director: str, head: str) -> None:
    for role, name in (("school director", director), ("testing-point head", head)):
        if not isinstance(name, str) or not name.strip():
            raise DomainError("UNT-REG-14", f"the journal must be signed by the {role}")


def _check_password(password: str, verify_password: Callable[[str], bool]) -> None:
    if not callable(verify_password):
        raise DomainError("UNT-REG-14", "verify_password must be a callable")
    if not isinstance(password, str) or verify_password(password) is not True:
        raise DomainError("UNT-REG-14", "NTC's password for closing «Талапкер» was not accepted")


def close_journal(
    journal: RegistrationJournal,
    database: Sequence[DbRecord],
    *,
    as_of: dt.datetime,
    closing_date: dt.date,
    zone: dt.tzinfo,
    password: str,
    verify_password: Callable[[str], bool],
    director: str,
    head: str,
    late_override: LateClosingOverride | None = None,
) -> RegistrationJournal:
    """Close a school's journal and freeze it.

    Implements UNT-REG-13, UNT-REG-14, UNT-REG-15, D-10.

    Parameters
    ----------
    journal : RegistrationJournal
        The open journal.
    database : sequence of DbRecord
        The database information list for the school; it must agree with the
        journal completely (step 2 of UNT-REG-14).
    as_of : datetime
        When the journal is closed; timezone-aware.
    closing_date : datetime.date
        The closing date set by the Rules; closing happens on that day.
    zone : tzinfo
        The testing point's time zone.
    password : str
        The password NTC gave for closing (step 4).
    verify_password : callable
        Returns ``True`` exactly when ``password`` is NTC's.
    director, head : str
        Who signed the journal (step 3).
    late_override : LateClosingOverride or None
        NTC's recorded permission to close after 18:00 of the closing date;
        without it a late closing is refused. Kept in the closing record.

    Returns
    -------
    RegistrationJournal
        The journal with its :class:`JournalClosing`: the empty lines struck
        through with «Z», and ``late`` set (with the override) when closed
        after 18:00.

    Raises
    ------
    DomainError
        Already closed (UNT-REG-15); after 18:00 of the closing date without
        an override (UNT-REG-13); before the closing date, discrepancies
        left, a signature missing or the password rejected (UNT-REG-14); a
        naive datetime (D-10).
    """
    if not isinstance(journal, RegistrationJournal):
        raise DomainError("UNT-REG-14", f"expected a RegistrationJournal, got {journal!r:.80}")
    if journal.closed:
        raise DomainError("UNT-REG-15", f"the journal of {journal.school_id} is already closed")
    deadline = closing_deadline(closing_date, zone)
    if not isinstance(as_of, dt.datetime) or as_of.utcoffset() is None:
        raise DomainError("D-10", f"as_of must be a timezone-aware datetime, got {as_of!r}")
    if as_of.astimezone(zone).date() < closing_date:
        raise DomainError(
            "UNT-REG-14", f"the journal is closed on the last day of acceptance, {closing_date}"
        )
    late = as_of > deadline
    if late and late_override is None:
        raise DomainError(
            "UNT-REG-13",
            f"the journal of {journal.school_id} closes by {deadline.isoformat()} local time; "
            f"closing at {as_of.astimezone(zone).isoformat()} needs NTC's recorded override",
        )
    found = reconcile(journal, database)
    if not found.clean:
        raise DomainError(
            "UNT-REG-14",
            f"the journal of {journal.school_id} disagrees with the database: "
            f"{found.model_dump(exclude={'school_id'}, exclude_defaults=True)}",
        )
    _check_signatures(director, head)
    _check_password(password, verify_password)
    last_line = journal.rows[-1].line if journal.rows else 0
    closing = JournalClosing(
        closed_at=as_of,
        late=late,
        late_override=late_override if late else None,
        struck_lines=tuple(range(last_line + 1, journal.printed_lines + 1)),
        director=director,
        head=head,
    )
    return journal.evolve(closing=closing)
