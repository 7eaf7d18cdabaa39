"""Literal values shared by rule files and evidence: numbers, percentages, durations, dates.

Why a module of its own: the same "75%" must mean 0.75 in a rule and in a record, a
threshold must compare exactly at its boundary (0.7 × 100 style float drift must never
flip a pass), and a month written ``2011-06`` must mean the whole month everywhere.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from fractions import Fraction
from typing import Final

__all__ = [
    "BLANKS",
    "Bound",
    "DateSpan",
    "Duration",
    "exact",
    "format_number",
    "is_blank",
    "parse_bound",
    "parse_date",
    "parse_duration",
    "parse_number",
]

#: Template placeholders found in the source documents (S3:405-473): a blank, never a value.
BLANKS: Final = frozenset({"", "_", "__", "___", "____", "x", "xx", "xxx", "xxxx", "＿＿"})
_BLANK_RE: Final = re.compile(r"^[\s_＿xX×]*$")
_NUMBER_RE: Final = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_DURATION_RE: Final = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")
_DATE_RE: Final = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ].*)?$")


def is_blank(text: str) -> bool:
    """True for template blanks such as ``"__"``, ``"XX"`` or ``""``."""
    return bool(_BLANK_RE.match(text))


def exact(x: int | float) -> Fraction:
    """The value a person wrote, exactly: ``0.87`` is 87/100, not the nearest binary float."""
    if isinstance(x, int):
        return Fraction(x)
    return Fraction(repr(x))


def parse_number(text: str) -> tuple[float, bool] | None:
    """Parse ``"87"``, ``"0.87"`` or ``"87%"``; return (value, was_percent) or None."""
    s = text.strip().replace(",", "")
    percent = s.endswith(("%", "％"))
    if percent:
        s = s[:-1].strip()
    if not _NUMBER_RE.match(s):
        return None
    try:
        d = Decimal(s)
    except InvalidOperation:  # pragma: no cover - the regex already rules this out
        return None
    if percent:
        d = d / 100
    value = float(d)
    if not math.isfinite(value):
        return None
    return value, percent


def format_number(x: float | int | Fraction, percent: bool = False) -> str:
    """Human form used in explanations: ``96.10%`` for percentages, ``12433`` for counts."""
    if percent:
        v = float(x) * 100
        if abs(v - round(v)) < 1e-9:
            return f"{round(v)}%"
        return f"{v:.2f}%"
    if isinstance(x, Fraction):
        x = float(x)
    if isinstance(x, float):
        if x.is_integer():
            return str(int(x))
        return f"{x:.4f}".rstrip("0").rstrip(".")
    return str(x)


@dataclass(frozen=True, slots=True)
class Bound:
    """A resolved threshold: exact value, fast float, whether it was written as a percent.

    Comparisons take the float path unless the two values are within ``eps`` of each
    other, where the exact fractions decide. That keeps the hot path fast and the
    boundary (a value equal to the threshold) right.
    """

    q: Fraction
    f: float
    percent: bool
    text: str

    @property
    def eps(self) -> float:
        """Width of the band in which the exact comparison takes over."""
        return 1e-9 * max(1.0, abs(self.f))

    def le(self, x: float | int, x_exact: Fraction | None = None) -> bool:
        """``self <= x`` (x meets a minimum)."""
        d = x - self.f
        if d > self.eps:
            return True
        if d < -self.eps:
            return False
        return (x_exact if x_exact is not None else exact(x)) >= self.q

    def ge(self, x: float | int, x_exact: Fraction | None = None) -> bool:
        """``self >= x`` (x meets a maximum)."""
        d = x - self.f
        if d < -self.eps:
            return True
        if d > self.eps:
            return False
        return (x_exact if x_exact is not None else exact(x)) <= self.q

    def le_ratio(self, n: float | int, d: float | int) -> bool:
        """``self <= n/d``, exact at the boundary (12549/12937 against 97% is decided exactly)."""
        x = n / d
        diff = x - self.f
        if diff > self.eps:
            return True
        if diff < -self.eps:
            return False
        return exact(n) / exact(d) >= self.q

    def ge_ratio(self, n: float | int, d: float | int) -> bool:
        """``self >= n/d``, exact at the boundary."""
        x = n / d
        diff = x - self.f
        if diff < -self.eps:
            return True
        if diff > self.eps:
            return False
        return exact(n) / exact(d) <= self.q

    def eq(self, x: float | int) -> bool:
        """``x == self`` compared exactly."""
        if abs(x - self.f) > self.eps:
            return False
        return exact(x) == self.q

    def display(self) -> str:
        """The threshold as a person reads it (``75%``, ``0.5``, ``4``)."""
        return format_number(self.q, self.percent)

    def json(self) -> float | int:
        """The threshold as a JSON number (percentages as fractions of one)."""
        if self.q.denominator == 1:
            return int(self.q)
        return self.f


def parse_bound(value: object) -> Bound | None:
    """A numeric rule literal (``75%``, ``0.75``, ``4``) as a :class:`Bound`, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Bound(Fraction(value), float(value), False, str(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return Bound(exact(value), value, False, repr(value))
    if isinstance(value, str):
        s = value.strip()
        percent = s.endswith(("%", "％"))
        body = s[:-1].strip() if percent else s
        body = body.replace(",", "")
        if not _NUMBER_RE.match(body):
            return None
        q = Fraction(Decimal(body))
        if percent:
            q /= 100
        return Bound(q, float(q), percent, s)
    return None


@dataclass(frozen=True, slots=True)
class Duration:
    """An ISO 8601 calendar duration of years, months and days (``P1Y``, ``P3M``, ``P7D``)."""

    years: int = 0
    months: int = 0
    days: int = 0
    text: str = ""

    def total_months(self) -> int:
        """Years and months as months (days ignored)."""
        return self.years * 12 + self.months

    def before(self, d: date, times: int = 1) -> date:
        """The date ``times`` durations before ``d`` (month ends clamp: 03-31 − P1M = 02-28)."""
        return _shift(d, -self.total_months() * times, -self.days * times)

    def after(self, d: date, times: int = 1) -> date:
        """The date ``times`` durations after ``d``."""
        return _shift(d, self.total_months() * times, self.days * times)

    def approx_days(self) -> float:
        """Rough length in days, for ordering and sanity checks only."""
        return self.years * 365.25 + self.months * 30.44 + self.days

    def __str__(self) -> str:
        return self.text or _format_duration(self.years, self.months, self.days)


def _format_duration(y: int, m: int, d: int) -> str:
    out = "P" + (f"{y}Y" if y else "") + (f"{m}M" if m else "") + (f"{d}D" if d else "")
    return out if out != "P" else "P0D"


def _shift(d: date, months: int, days: int) -> date:
    from datetime import timedelta

    if months:
        idx = d.year * 12 + (d.month - 1) + months
        year, month = divmod(idx, 12)
        month += 1
        last = calendar.monthrange(year, month)[1]
        d = date(year, month, min(d.day, last))
    if days:
        d = d + timedelta(days=days)
    return d


def parse_duration(value: object) -> Duration | None:
    """Parse ``P1Y``, ``P3M``, ``P2W``, ``P1Y6M``, ``P30D``; None when it is not one."""
    if not isinstance(value, str):
        return None
    m = _DURATION_RE.match(value.strip().upper())
    if not m or value.strip().upper() == "P":
        return None
    y, mo, w, d = (int(g) if g else 0 for g in m.groups())
    return Duration(y, mo, d + 7 * w, value.strip())


@dataclass(frozen=True, slots=True)
class DateSpan:
    """A date as written: a day (first == last) or a whole month (``2011-06``)."""

    first: date
    last: date
    text: str

    @property
    def is_day(self) -> bool:
        """True when the source gave a day, not just a month."""
        return self.first == self.last


def parse_date(value: object) -> DateSpan | None:
    """Parse an ISO date (``2011-06-02``) or month (``2011-06``); None if impossible.

    ``2010-09-31`` (a date that does not exist, S3:727) is None, never the 30th or the
    1st of October: silently moving a date would alter the evidence.
    """
    if isinstance(value, datetime):
        d = value.date()
        return DateSpan(d, d, d.isoformat())
    if isinstance(value, date):
        return DateSpan(value, value, value.isoformat())
    if not isinstance(value, str):
        return None
    return _parse_date_text(value)


@lru_cache(maxsize=8192)
def _parse_date_text(value: str) -> DateSpan | None:
    """Parse date text (cached: the same dates recur across thousands of records)."""
    m = _DATE_RE.match(value.strip())
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12 or year < 1:
        return None
    if m.group(3) is None:
        last = calendar.monthrange(year, month)[1]
        return DateSpan(date(year, month, 1), date(year, month, last), value.strip())
    day = int(m.group(3))
    try:
        d = date(year, month, day)
    except ValueError:
        return None
    return DateSpan(d, d, value.strip())
