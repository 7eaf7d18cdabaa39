"""Literal values shared by rule files and evidence: numbers, percentages, durations, dates.

Why a module of its own: the same "75%" must mean 0.75 in a rule and in a record, a
threshold must compare exactly at its boundary (0.7 × 100 style float drift must never
flip a pass), and a month written ``2011-06`` must mean the whole month everywhere.
"""

from __future__ import annotations

import calendar
import math
import re
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache
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
    "parse_numeric_text",
]

#: Template placeholders found in the source documents (S3:405-473): a blank, never a value.
BLANKS: Final = frozenset({"", "_", "__", "___", "____", "x", "xx", "xxx", "xxxx", "＿＿"})
_BLANK_RE: Final = re.compile(r"^[\s_＿xX×]*$")
#: Numeric text: ASCII digits only (``re.ASCII``: "١٢" is not 12), no ``_`` (Python's float
#: accepts "1_000"; a person did not write that), an optional exponent.
_NUMBER_RE: Final = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$", re.ASCII)
#: Thousands separators only in groups of three ("12,345.6"); "1,5" (a decimal comma in
#: many locales) is not a number rather than silently 15.
_GROUPED_RE: Final = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$", re.ASCII)
#: Full-width forms typed with a Chinese input method, and the minus sign, as ASCII.
_FULL_WIDTH: Final = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "％": "%",
        "．": ".",
        "，": ",",
        "＋": "+",
        "－": "-",
        "−": "-",
        "ｅ": "e",
        "Ｅ": "E",
    }
)
#: Longest numeric text read (digits, sign, point, exponent): beyond it, not a number.
MAX_NUMBER_TEXT: Final = 100
#: Decimal exponents a float can hold (its range is about 2.2e-308 .. 1.8e308).
_MAX_EXP: Final = 308
_MIN_EXP: Final = -307
#: At most seven digits a part (P9999999D is some 27 000 years): a longer number is not a
#: duration, rather than a slow int() of a megabyte of digits.
_DURATION_RE: Final = re.compile(r"^P(?:(\d{1,7})Y)?(?:(\d{1,7})M)?(?:(\d{1,7})W)?(?:(\d{1,7})D)?$", re.ASCII)
_DATE_RE: Final = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ].*)?$")


def is_blank(text: str) -> bool:
    """True for template blanks such as ``"__"``, ``"XX"`` or ``""``."""
    return bool(_BLANK_RE.match(text))


def exact(x: int | float) -> Fraction:
    """The value a person wrote, exactly: ``0.87`` is 87/100, not the nearest binary float."""
    if isinstance(x, int):
        return Fraction(x)
    # Decimal parses the shortest repr in C; its ratio is already in lowest terms.
    return Fraction(*Decimal(repr(x)).as_integer_ratio())


def parse_numeric_text(text: str) -> tuple[Fraction, float, bool] | None:
    """Numeric text as (exact value, float, was_percent), or None when it is not a number.

    Accepted: ``"87"``, ``"-0.5"``, ``"1.5e3"``, ``"87%"``, ``" 75 % "``, ``"12,345"``
    (groups of three), full-width ``"７５％"``. Refused (None): ``"1_000"``, ``"1,5"``,
    other scripts' digits, and any value a float cannot hold — ``"1e400"`` is not
    infinity and ``"1e-400"`` is not zero. The work is bounded: at most
    :data:`MAX_NUMBER_TEXT` characters and an exponent within a float's range are
    examined before an exact fraction is built.
    """
    if len(text) > 2 * MAX_NUMBER_TEXT:  # even with spaces around it, too long to be a number
        return None
    return _parse_numeric_text(text)


@lru_cache(maxsize=4096)
def _parse_numeric_text(text: str) -> tuple[Fraction, float, bool] | None:
    """:func:`parse_numeric_text`, cached: the same texts ("75%", "1,000") recur across records."""
    s = (text if text.isascii() else text.translate(_FULL_WIDTH)).strip()
    percent = s.endswith("%")
    if percent:
        s = s[:-1].rstrip()
    if not s or len(s) > MAX_NUMBER_TEXT:
        return None
    if "," in s:
        if not _GROUPED_RE.match(s):
            return None
        s = s.replace(",", "")
    if not _NUMBER_RE.match(s):
        return None
    try:
        d = Decimal(s)
    except InvalidOperation:  # pragma: no cover - the regex already rules this out
        return None
    if d.is_zero():
        return Fraction(0), 0.0, percent
    exp = d.adjusted() - (2 if percent else 0)
    if not _MIN_EXP - 17 <= exp <= _MAX_EXP:
        return None
    q = Fraction(d)
    if percent:
        q /= 100
    try:
        f = float(q)
    except OverflowError:
        return None
    if f == 0.0 or not math.isfinite(f):
        return None
    return q, f, percent


def parse_number(text: str) -> tuple[float, bool] | None:
    """Parse ``"87"``, ``"0.87"`` or ``"87%"``; return (value, was_percent) or None."""
    parsed = parse_numeric_text(text)
    if parsed is None:
        return None
    return parsed[1], parsed[2]


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
    #: Width of the band in which the exact comparison takes over (computed once).
    eps: float = field(init=False, repr=False, compare=False)
    #: The bound as an int when it is a whole number (ints then compare without fractions).
    iq: int | None = field(init=False, repr=False, compare=False)
    #: True when the shortest decimal of ``f`` is exactly ``q`` (``97%``, ``0.5``, ``4``: any
    #: bound of up to 15 significant digits). Then a float compares with ``f`` exactly as
    #: the two numbers are written: the decimals that round to two floats lie in disjoint,
    #: ordered intervals, so float order is decimal order and no Fraction is needed.
    rf: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "eps", 1e-9 * max(1.0, abs(self.f)))
        object.__setattr__(self, "iq", int(self.q) if self.q.denominator == 1 else None)
        object.__setattr__(self, "rf", self._written_as_float())

    def _written_as_float(self) -> bool:
        if self.q.denominator == 1 and abs(self.q) < 2**53:
            return True  # a whole number a float holds exactly: "4.0" is 4
        if self.text == repr(self.f):
            return True  # a float literal is its own shortest decimal (no Fraction built)
        return math.isfinite(self.f) and Fraction(repr(self.f)) == self.q

    def _cmp_near(self, x: float | int) -> int:
        """Sign of x − bound for x within ``eps`` of it, exactly (as the value was written)."""
        if type(x) is int and self.iq is not None:
            return (x > self.iq) - (x < self.iq)
        if type(x) is float and self.rf:
            return (x > self.f) - (x < self.f)
        xq = exact(x)
        return (xq > self.q) - (xq < self.q)

    def le(self, x: float | int, x_exact: Fraction | None = None) -> bool:
        """``self <= x`` (x meets a minimum)."""
        d = x - self.f
        if d > self.eps:
            return True
        if d < -self.eps:
            return False
        if x_exact is not None:
            return x_exact >= self.q
        return self._cmp_near(x) >= 0

    def ge(self, x: float | int, x_exact: Fraction | None = None) -> bool:
        """``self >= x`` (x meets a maximum)."""
        d = x - self.f
        if d < -self.eps:
            return True
        if d > self.eps:
            return False
        if x_exact is not None:
            return x_exact <= self.q
        return self._cmp_near(x) <= 0

    def cmp_ratio(self, n: float | int, d: float | int) -> int:
        """Sign of n/d − bound, exact at the boundary (12549/12937 against 97% is decided exactly).

        Whole numbers (as counts are, even when read from text as ``12937.0``) compare by
        cross-multiplying integers; other values fall back to exact fractions. ``d`` > 0.
        """
        diff = n / d - self.f
        if diff > self.eps:
            return 1
        if diff < -self.eps:
            return -1
        lhs: int | Fraction
        rhs: int | Fraction
        if n == int(n) and d == int(d):
            lhs, rhs = int(n) * self.q.denominator, self.q.numerator * int(d)
        else:
            lhs, rhs = exact(n) * self.q.denominator, self.q.numerator * exact(d)
        return (lhs > rhs) - (lhs < rhs)

    def le_ratio(self, n: float | int, d: float | int) -> bool:
        """``self <= n/d`` (the ratio meets a minimum)."""
        return self.cmp_ratio(n, d) >= 0

    def ge_ratio(self, n: float | int, d: float | int) -> bool:
        """``self >= n/d`` (the ratio meets a maximum)."""
        return self.cmp_ratio(n, d) <= 0

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
        if not -_MAX_INT <= value <= _MAX_INT:
            return None  # no float holds it: it could not be compared
        return Bound(Fraction(value), float(value), False, str(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return Bound(exact(value), value, False, repr(value))
    if isinstance(value, str):
        return _bound_text(value) if len(value) <= 4 * MAX_NUMBER_TEXT else None
    return None


@lru_cache(maxsize=8192)
def _bound_text(value: str) -> Bound | None:
    """Numeric text as a Bound, cached: the same texts recur across records (Bounds are immutable)."""
    parsed = parse_numeric_text(value)
    if parsed is None:
        return None
    q, f, percent = parsed
    return Bound(q, f, percent, value.strip())


_MAX_INT: Final = int(sys.float_info.max)


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
    """``d`` moved by months then days, clamped to the calendar (0001-01-01 .. 9999-12-31).

    A window reaching before year 1 starts at year 1 (nothing was recorded earlier), a due
    date past 9999 is 9999-12-31: an evidence ``as_of`` of ``0001-01-05`` or a rule's
    ``P9999Y`` must give an answer, never an OverflowError.
    """
    if months:
        idx = d.year * 12 + (d.month - 1) + months
        year, month = divmod(idx, 12)
        month += 1
        if year < date.min.year:
            return date.min
        if year > date.max.year:
            return date.max
        last = calendar.monthrange(year, month)[1]
        d = date(year, month, min(d.day, last))
    if days:
        ordinal = d.toordinal() + days
        if ordinal < 1:
            return date.min
        if ordinal > date.max.toordinal():
            return date.max
        d = date.fromordinal(ordinal)
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
