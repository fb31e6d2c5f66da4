"""Tests of deadline phrases: every rule, its failures, and calendar invariants."""

from __future__ import annotations

import calendar
import datetime as dt

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from beijing_plan.exceptions import PlanValidationError
from beijing_plan.tables import parse_deadline

D = pendulum.Date

PHRASES_2025 = [
    # Full dates.
    ("2025年6月30日", D(2025, 6, 30)),
    ("2025年6月30号", D(2025, 6, 30)),
    ("2025-06-30", D(2025, 6, 30)),
    ("2025/6/30", D(2025, 6, 30)),
    ("2025.6.30", D(2025, 6, 30)),
    ("6月30日", D(2025, 6, 30)),
    ("十二月三十一日", D(2025, 12, 31)),
    ("２０２５年６月３０日", D(2025, 6, 30)),
    ("2025 年 6 月 30 日", D(2025, 6, 30)),
    # Months.
    ("2025年6月底", D(2025, 6, 30)),
    ("2025年6月末", D(2025, 6, 30)),
    ("2025年6月", D(2025, 6, 30)),
    ("2025-06", D(2025, 6, 30)),
    ("2024年2月底", D(2024, 2, 29)),
    ("6月底", D(2025, 6, 30)),
    ("6月末", D(2025, 6, 30)),
    ("6月份", D(2025, 6, 30)),
    ("六月底", D(2025, 6, 30)),
    ("二月底", D(2025, 2, 28)),
    ("11月底", D(2025, 11, 30)),
    ("6月上旬", D(2025, 6, 10)),
    ("6月中旬", D(2025, 6, 20)),
    ("6月下旬", D(2025, 6, 30)),
    # Quarters.
    ("一季度", D(2025, 3, 31)),
    ("第一季度", D(2025, 3, 31)),
    ("1季度", D(2025, 3, 31)),
    ("第2季度", D(2025, 6, 30)),
    ("二季度", D(2025, 6, 30)),
    ("三季度", D(2025, 9, 30)),
    ("三季度末", D(2025, 9, 30)),
    ("四季度", D(2025, 12, 31)),
    ("2026年一季度", D(2026, 3, 31)),
    ("Q3", D(2025, 9, 30)),
    ("2026-Q1", D(2026, 3, 31)),
    # Halves.
    ("上半年", D(2025, 6, 30)),
    ("下半年", D(2025, 12, 31)),
    ("年中", D(2025, 6, 30)),
    ("2026年上半年", D(2026, 6, 30)),
    ("H1", D(2025, 6, 30)),
    ("H2", D(2025, 12, 31)),
    # Years.
    ("2025年底", D(2025, 12, 31)),
    ("2025年末", D(2025, 12, 31)),
    ("2025年", D(2025, 12, 31)),
    ("2025年内", D(2025, 12, 31)),
    ("2025年度", D(2025, 12, 31)),
    ("2026年全年", D(2026, 12, 31)),
    ("二〇二五年底", D(2025, 12, 31)),
    ("年底", D(2025, 12, 31)),
    ("年末", D(2025, 12, 31)),
    ("年内", D(2025, 12, 31)),
    ("全年", D(2025, 12, 31)),
    ("年度内", D(2025, 12, 31)),
    ("今年底", D(2025, 12, 31)),
    ("今年", D(2025, 12, 31)),
    ("year end", D(2025, 12, 31)),
    # Framing words.
    ("2025年6月底前", D(2025, 6, 30)),
    ("年底前", D(2025, 12, 31)),
    ("于2025年6月底前完成", D(2025, 6, 30)),
    ("截至9月底", D(2025, 9, 30)),
    ("6月30日以前", D(2025, 6, 30)),
    ("年底之前", D(2025, 12, 31)),
]

NO_DATE = ["长期", "持续推进", "长期坚持", "持续", "常态化推进", "ongoing", "Long-term", "", "  "]


@pytest.mark.parametrize(("phrase", "expected"), PHRASES_2025)
def test_phrase_gives_its_date(phrase: str, expected: pendulum.Date) -> None:
    """Each documented phrase gives its date, relative to the plan year 2025 where needed."""
    found = parse_deadline(phrase, year=2025)
    assert found == expected
    assert type(found) is pendulum.Date


@pytest.mark.parametrize("phrase", NO_DATE)
def test_open_ended_phrase_has_no_date(phrase: str) -> None:
    """Open-ended phrases and blank text mean no deadline."""
    assert parse_deadline(phrase, year=2025) is None
    assert parse_deadline(phrase, year=None) is None


def test_none_has_no_date() -> None:
    """A missing cell (None) means no deadline."""
    assert parse_deadline(None, year=2025) is None


@pytest.mark.parametrize(
    "phrase", ["2025年6月30日", "2025-06-30", "2025年6月底", "2025年底", "2025年上半年", "2025-Q2"]
)
def test_phrase_with_its_own_year_needs_no_plan_year(phrase: str) -> None:
    """A phrase that names its year reads without a plan year, and ignores a different one."""
    found = parse_deadline(phrase, year=None)
    assert found is not None
    assert found.year == 2025
    assert parse_deadline(phrase, year=2030) == found


@pytest.mark.parametrize("phrase", ["6月底", "年底", "三季度", "上半年", "全年", "H2", "6月30日"])
def test_relative_phrase_without_plan_year_is_refused(phrase: str) -> None:
    """A phrase relative to the plan year cannot be read when the year is not known."""
    with pytest.raises(PlanValidationError, match="relative to the plan year") as caught:
        parse_deadline(phrase, year=None)
    assert repr(phrase) in str(caught.value)


@pytest.mark.parametrize(
    ("phrase", "reason"),
    [
        ("2025年2月30日", "February 2025 has no day 30"),
        ("2025-02-29", "February 2025 has no day 29"),
        ("13月底", "month 13 does not exist"),
        ("2025-13-01", "month 13 does not exist"),
        ("0000-01-01", "year 0 is out of range"),
        ("6月31日", "June 2025 has no day 31"),
    ],
)
def test_day_the_calendar_lacks_is_refused(phrase: str, reason: str) -> None:
    """A phrase of the right shape naming a day that does not exist says which part is wrong."""
    with pytest.raises(PlanValidationError) as caught:
        parse_deadline(phrase, year=2025)
    assert caught.value.problems == [("", f"{phrase!r} is not a real date: {reason}")]


@pytest.mark.parametrize(
    "phrase", ["尽快", "年", "前", "五季度", "Q5", "十十月", "2025年6月40日x", "next week", "2025"]
)
def test_unknown_phrase_is_refused(phrase: str) -> None:
    """Text that is no deadline phrase is refused with the text shown."""
    with pytest.raises(PlanValidationError, match="is not a date or a deadline phrase") as caught:
        parse_deadline(phrase, year=2025)
    assert repr(phrase) in str(caught.value)


def test_date_objects_give_their_day() -> None:
    """Dates and the naive date-times of spreadsheet cells give their day."""
    assert parse_deadline(dt.date(2025, 6, 30), year=None) == D(2025, 6, 30)
    assert parse_deadline(dt.datetime(2025, 6, 30), year=None) == D(2025, 6, 30)
    assert parse_deadline(D(2025, 6, 30), year=None) == D(2025, 6, 30)


def test_aware_datetime_is_refused() -> None:
    """A date-time with a time zone is a moment, not a day, and is refused."""
    with pytest.raises(PlanValidationError, match="has a time zone"):
        parse_deadline(dt.datetime(2025, 6, 30, tzinfo=dt.UTC), year=None)


@pytest.mark.parametrize("value", [45838, 3.5, b"2025-06-30", ["2025-06-30"]])
def test_other_types_are_refused(value: object) -> None:
    """Values that are neither text nor dates are refused."""
    with pytest.raises(PlanValidationError, match="is not a date or a deadline phrase"):
        parse_deadline(value, year=2025)  # type: ignore[arg-type]


@pytest.mark.parametrize("year", [0, 10000, True, "2025", 2025.0])
def test_bad_plan_year_is_refused(year: object) -> None:
    """The plan year must be a whole number from 1 to 9999."""
    with pytest.raises(PlanValidationError, match="is not a year") as caught:
        parse_deadline("年底", year=year)  # type: ignore[arg-type]
    assert caught.value.problems[0][0] == "year"


days = st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31))


@given(days)
def test_iso_and_chinese_full_dates_agree(day: dt.date) -> None:
    """Any day written as ISO, with slashes, or as 年月日 reads back as itself."""
    expected = D(day.year, day.month, day.day)
    assert parse_deadline(day.isoformat(), year=None) == expected
    assert parse_deadline(f"{day.year}/{day.month}/{day.day}", year=None) == expected
    assert parse_deadline(f"{day.year}年{day.month}月{day.day}日", year=None) == expected
    assert parse_deadline(f"{day.month}月{day.day}日", year=day.year) == expected


@given(days)
def test_month_end_is_the_last_day_on_or_after_any_day_of_the_month(day: dt.date) -> None:
    """``Y年M月底`` is the month's last day: the latest day of that month."""
    end = parse_deadline(f"{day.year}年{day.month}月底", year=None)
    assert end is not None
    assert (end.year, end.month) == (day.year, day.month)
    assert end.day == calendar.monthrange(day.year, day.month)[1]
    assert end >= D(day.year, day.month, day.day)


@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=1, max_value=4))
def test_quarter_ends_are_increasing_and_the_fourth_is_year_end(year: int, quarter: int) -> None:
    """Quarter ends fall on the last day of months 3, 6, 9 and 12, the fourth at the year end."""
    end = parse_deadline(f"{'一二三四'[quarter - 1]}季度", year=year)
    assert end == parse_deadline(f"Q{quarter}", year=year)
    assert end is not None
    assert end.month == 3 * quarter
    assert end == parse_deadline(f"{year:04d}年{3 * quarter}月底", year=None)
    if quarter == 4:
        assert end == parse_deadline("年底", year=year)


@given(st.integers(min_value=1, max_value=9999))
def test_halves_split_the_year(year: int) -> None:
    """上半年 ends on June 30 and 下半年 on December 31, the year's end."""
    assert parse_deadline("上半年", year=year) == D(year, 6, 30)
    assert parse_deadline("下半年", year=year) == D(year, 12, 31)
    assert parse_deadline("年内", year=year) == D(year, 12, 31)
