"""When appeals may be filed and heard, in the testing point's own time (D-10).

Results are announced on one day; applications are accepted until 13:00 of
the next calendar day in the testing point's zone, when the hearing starts
(UNT-APL-6, UNT-APL-10; university МАБ the same, MAB-U-9). An application
is handled within one day (бір тәулік) of filing (MAB-U-9; UNT-APL-6 leaves
the start open, G-16, and is read the same way).
"""

from __future__ import annotations

import datetime as dt

from ubt_domain.errors import DomainError

__all__ = [
    "APPEAL_CUTOFF",
    "HANDLING_PERIOD",
    "appeal_deadline",
    "filed_in_time",
    "handling_deadline",
    "hearing_start",
]

#: UNT-APL-6, MAB-U-9: "until 13:00 of the day after the results are announced".
APPEAL_CUTOFF = dt.time(13, 0)
#: MAB-U-9: considered within one day (бір тәулік, 24 h) of filing.
HANDLING_PERIOD = dt.timedelta(hours=24)


def _aware(value: object, name: str, rule_id: str) -> dt.datetime:
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise DomainError(rule_id, f"{name} must be a timezone-aware datetime, got {value!r}")
    return value


def _zone(zone: object) -> dt.tzinfo:
    if not isinstance(zone, dt.tzinfo):
        raise DomainError("D-10", f"zone must be the testing point's ZoneInfo, got {zone!r}")
    return zone


def appeal_deadline(announced_at: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """13:00 of the calendar day after the announcement, in the testing point's zone.

    Implements UNT-APL-6, MAB-U-9, D-10.

    Parameters
    ----------
    announced_at : datetime.datetime
        When the results were announced; timezone-aware, in any zone.
    zone : tzinfo
        The testing point's zone (``zoneinfo.ZoneInfo``): "next day" is the
        next calendar day there, not in UTC.

    Returns
    -------
    datetime.datetime
        The first instant at which an application is late, aware, in ``zone``.

    Examples
    --------
    >>> from zoneinfo import ZoneInfo
    >>> late_evening = dt.datetime(2019, 6, 20, 23, 30, tzinfo=ZoneInfo("Asia/Almaty"))
    >>> appeal_deadline(late_evening, ZoneInfo("Asia/Almaty")).isoformat()
    '2019-06-21T13:00:00+06:00'
    """
    announced = _aware(announced_at, "announced_at", "UNT-APL-6").astimezone(_zone(zone))
    next_day = announced.date() + dt.timedelta(days=1)
    return dt.datetime.combine(next_day, APPEAL_CUTOFF, tzinfo=zone)


def hearing_start(announced_at: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """The hearing starts at the filing deadline: 13:00 the day after the announcement.

    Implements UNT-APL-10.
    """
    return appeal_deadline(announced_at, zone)


def filed_in_time(filed_at: dt.datetime, announced_at: dt.datetime, zone: dt.tzinfo) -> bool:
    """Whether an application filed at ``filed_at`` is before the deadline.

    Implements UNT-APL-6, MAB-U-9, D-10.

    "Until 13:00" admits 12:59:59 and refuses 13:00:00; an application before
    the announcement is refused too, since there was nothing to appeal.
    """
    filed = _aware(filed_at, "filed_at", "UNT-APL-6")
    announced = _aware(announced_at, "announced_at", "UNT-APL-6")
    return announced <= filed < appeal_deadline(announced, zone)


def handling_deadline(filed_at: dt.datetime) -> dt.datetime:
    """By when the commission must have considered an application: one day after filing.

    Implements MAB-U-9 (and UNT-APL-6's "within one day", read the same way, G-16).
    """
    return _aware(filed_at, "filed_at", "MAB-U-9") + HANDLING_PERIOD
