"""Dates and numbers as the reader's language writes them (templates, refusals, choice labels)."""
from flask_babel import format_date, format_datetime, format_decimal


def local_date(day) -> str:
    """14 бер. 2025 р. / Mar 14, 2025; "—" for none."""
    return format_date(day, "medium") if day else "—"


def local_datetime(moment) -> str:
    return format_datetime(moment, "short") if moment else "—"


def local_number(number) -> str:
    return format_decimal(number) if number is not None else "—"
