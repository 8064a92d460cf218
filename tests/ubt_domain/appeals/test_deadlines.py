"""The appeal deadline: 13:00 the next calendar day in the testing point's zone (D-10)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from ubt_domain.appeals.deadlines import (
    appeal_deadline,
    filed_in_time,
    handling_deadline,
    hearing_start,
)
from ubt_domain.errors import DomainError

UTC5 = ZoneInfo("Asia/Aqtobe")  # UTC+5
UTC6 = ZoneInfo("Asia/Almaty")  # UTC+6 in 2019


@pytest.mark.parametrize("zone", [UTC5, UTC6], ids=["utc+5", "utc+6"])
def test_unt_apl_6_filed_at_12_59_59_next_day_is_in_time_13_00_00_is_late(zone: ZoneInfo) -> None:
    """One second before 13:00 local next day is accepted; 13:00:00 is refused."""
    announced = dt.datetime(2019, 6, 20, 16, 0, tzinfo=zone)
    assert filed_in_time(dt.datetime(2019, 6, 21, 12, 59, 59, tzinfo=zone), announced, zone)
    assert not filed_in_time(dt.datetime(2019, 6, 21, 13, 0, 0, tzinfo=zone), announced, zone)


@pytest.mark.parametrize("zone", [UTC5, UTC6], ids=["utc+5", "utc+6"])
def test_d_10_announcement_at_23_30_local_gives_the_next_local_day(zone: ZoneInfo) -> None:
    """Announced 23:30 local: the deadline is 13:00 local of the following calendar day."""
    announced = dt.datetime(2019, 6, 20, 23, 30, tzinfo=zone)
    deadline = appeal_deadline(announced, zone)
    assert deadline == dt.datetime(2019, 6, 21, 13, 0, tzinfo=zone)
    assert filed_in_time(dt.datetime(2019, 6, 21, 12, 59, 59, tzinfo=zone), announced, zone)
    assert not filed_in_time(dt.datetime(2019, 6, 21, 13, 0, tzinfo=zone), announced, zone)


def test_d_10_the_local_day_not_the_utc_day_counts() -> None:
    """00:30 local on 21 June is still 20 June in UTC; the deadline is 13:00 on 22 June local."""
    announced = dt.datetime(2019, 6, 21, 0, 30, tzinfo=UTC6)
    assert announced.astimezone(dt.UTC).day == 20
    assert appeal_deadline(announced, UTC6) == dt.datetime(2019, 6, 22, 13, 0, tzinfo=UTC6)
    # The same instant given in UTC changes nothing.
    assert appeal_deadline(announced.astimezone(dt.UTC), UTC6) == appeal_deadline(announced, UTC6)


def test_d_10_filing_time_in_another_zone_is_compared_as_an_instant() -> None:
    """12:30 in UTC+5 is 13:30 in UTC+6: late for a testing point in UTC+6."""
    announced = dt.datetime(2019, 6, 20, 16, 0, tzinfo=UTC6)
    assert not filed_in_time(dt.datetime(2019, 6, 21, 12, 30, tzinfo=UTC5), announced, UTC6)
    assert filed_in_time(dt.datetime(2019, 6, 21, 12, 30, tzinfo=UTC5), announced, UTC5)


def test_unt_apl_6_before_the_announcement_nothing_can_be_appealed() -> None:
    """An application dated before the results were announced is not in time."""
    announced = dt.datetime(2019, 6, 20, 16, 0, tzinfo=UTC6)
    assert not filed_in_time(announced - dt.timedelta(seconds=1), announced, UTC6)


def test_unt_apl_10_the_hearing_starts_at_the_deadline() -> None:
    """The hearing opens at 13:00 the next local day."""
    announced = dt.datetime(2019, 6, 20, 16, 0, tzinfo=UTC5)
    assert hearing_start(announced, UTC5) == dt.datetime(2019, 6, 21, 13, 0, tzinfo=UTC5)


def test_mab_u_9_university_appeal_deadline_and_one_day_to_decide() -> None:
    """University МАБ: filed by 13:00 next day, considered within 24 hours of filing."""
    announced = dt.datetime(2019, 6, 3, 18, 0, tzinfo=UTC6)
    filed = dt.datetime(2019, 6, 4, 12, 59, 59, tzinfo=UTC6)
    assert filed_in_time(filed, announced, UTC6)
    assert handling_deadline(filed) == dt.datetime(2019, 6, 5, 12, 59, 59, tzinfo=UTC6)


def test_d_10_naive_times_and_missing_zones_are_refused() -> None:
    """A naive datetime or a zone that is not a tzinfo raises DomainError."""
    with pytest.raises(DomainError):
        appeal_deadline(dt.datetime(2019, 6, 20, 16, 0), UTC6)
    with pytest.raises(DomainError, match="ZoneInfo"):
        appeal_deadline(dt.datetime(2019, 6, 20, 16, 0, tzinfo=UTC6), "Asia/Almaty")  # type: ignore[arg-type]
