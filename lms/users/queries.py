"""Reads over accounts shared by several pages: the name-or-e-mail search."""
import sqlalchemy as sa

from lms.users.models import User


def name_or_email_contains(text: str) -> sa.ColumnElement[bool]:
    """Case-insensitive substring match on the full name or the e-mail."""
    # SQLite's lower() folds ASCII only; trying the text also capitalised and title-cased
    # lets Cyrillic names match there too. PostgreSQL folds every letter.
    variants = {text, text.lower(), text.capitalize(), text.title()}
    columns = (sa.func.lower(User.full_name), sa.func.lower(User.email))
    return sa.or_(*(column.contains(v, autoescape=True) for column in columns for v in variants))
