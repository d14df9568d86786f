"""Cell parsers: raw text from a CSV cell → a value, or a translatable problem.

Each parser returns (value, None) or (None, message). Dates are accepted as ISO (2010-05-31)
and as Excel in Ukraine writes them (31.05.2010); decimals with a point or a comma.
"""
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from lms.core.model_types import Choice

DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y")
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100
MAX_MONEY = Decimal("99999999.99")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
# RFC 5322 dot-atom: what email_validator accepts as an unquoted ASCII local part.
_DOT_ATOM = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")


def text(raw: str, limit: int):
    """Trimmed text of at most `limit` characters."""
    value = raw.strip()
    if len(value) > limit:
        return None, _l("“%(value)s…” is longer than %(limit)d characters.",
                        value=value[:20], limit=limit)
    return value, None


def email(raw: str):
    """A syntactically valid e-mail address, lower-cased like every stored address."""
    value = raw.strip()
    if len(value) > 254:
        return None, _l("The e-mail address is longer than 254 characters.")
    if not _valid_address(value):
        return None, _l("“%(value)s” is not a valid e-mail address.", value=value)
    return value.lower(), None


def _valid_address(value: str) -> bool:
    """email_validator's verdict; its domain check (IDNA) is slow, so a plain local part is
    matched here and each domain is checked once per process (a file shares a few domains)."""
    local, at, domain = value.rpartition("@")
    if at and len(local) <= 64 and _DOT_ATOM.match(local):
        return _valid_domain(domain.lower())
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


@lru_cache(maxsize=4096)
def _valid_domain(domain: str) -> bool:
    try:
        validate_email(f"x@{domain}", check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def day(raw: str):
    """A calendar date in one of DATE_FORMATS, within a sane range of years."""
    value = raw.strip()
    for fmt in DATE_FORMATS:
        try:
            parsed = datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        if EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
            return parsed, None
    return None, _l("“%(value)s” is not a date: write it as 2010-05-31 or 31.05.2010.",
                    value=value[:40])


def money(raw: str):
    """A non-negative amount; a decimal comma is accepted, spaces between thousands too."""
    value = raw.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        amount = Decimal(value)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0 or amount > MAX_MONEY:
        return None, _l("“%(value)s” is not an amount of money.", value=raw.strip()[:40])
    return amount.quantize(Decimal("0.01")), None


def currency(raw: str):
    """A three-letter ISO 4217 code such as USD, EUR or UAH."""
    value = raw.strip().upper()
    if not _CURRENCY.match(value):
        return None, _l("“%(value)s” is not a currency code such as USD, EUR or UAH.",
                        value=raw.strip()[:40])
    return value, None


class ChoiceReader:
    """A parser accepting a member's value or its label in English or Ukrainian, any case."""

    def __init__(self, enum: type[Choice]):
        self.enum = enum
        self._accepted: dict[str, Choice] | None = None

    def accepted(self) -> dict[str, Choice]:
        """Labels are lazy translations, so they are rendered on first use (in an app)."""
        if self._accepted is None:
            accepted = {}
            for member in self.enum:
                accepted[member.value] = accepted[member.value.replace("_", " ")] = member
            for language in ("en", "uk"):
                with force_locale(language):
                    for member in self.enum:
                        accepted.setdefault(str(member.label).lower(), member)
            self._accepted = accepted
        return self._accepted

    def __call__(self, raw: str):
        member = self.accepted().get(raw.strip().lower())
        if member is not None:
            return member, None
        allowed = ", ".join(m.value for m in self.enum)
        return None, _l("“%(value)s” is not one of: %(allowed)s.", value=raw.strip()[:40],
                        allowed=allowed)


def past_day(raw: str, today: date):
    """A date that is not in the future (birth dates, consent dates)."""
    value, problem = day(raw)
    if problem is None and value > today:
        return None, _l("%(value)s is in the future.", value=raw.strip())
    return value, problem
