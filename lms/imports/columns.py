"""The columns of each import kind and the header names accepted for them.

A header is recognised by its key (`email`), its label in English or Ukrainian (as the
downloadable template writes it) or one of a few common spellings, in any case, with an
optional trailing `*` (the template marks required columns with one).
"""
import re
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from lms.imports.models import ImportKind


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # lazy translation: the template's header in the reader's language
    required: bool = False
    aliases: tuple[str, ...] = ()  # other accepted spellings (Ukrainian ones written out)


STUDENT_COLUMNS = (
    Column("email", _l("Email"), True,
           ("e-mail", "email address", "ел. пошта", "ел.пошта", "електронна пошта", "пошта")),
    Column("full_name", _l("Full name"), True,
           ("name", "піб", "п.і.б.", "прізвище та ім'я", "прізвище, ім'я", "повне ім'я", "ім'я")),
    Column("date_of_birth", _l("Date of birth"), False, ("birth date", "dob", "дата народження")),
    Column("sex", _l("Sex"), False, ("gender", "стать")),
    Column("disability", _l("Disability"), False, ("інвалідність", "особа з інвалідністю")),
    Column("displaced", _l("Internally displaced"), False,
           ("idp", "впо", "внутрішньо переміщена особа")),
    Column("settlement", _l("Settlement"), False,
           ("settlement type", "тип населеного пункту", "населений пункт")),
    Column("learner_type", _l("Learner type"), False, ("learner", "тип учня", "тип здобувача", "категорія слухача")),
    Column("institution", _l("School or university"), False,
           ("school", "university", "навчальний заклад", "заклад освіти", "школа або університет")),
    Column("grade", _l("Grade or year"), False, ("year", "клас", "курс", "клас або курс")),
    Column("guardian_name", _l("Guardian name"), False,
           ("guardian", "опікун", "ім'я опікуна", "батьки або опікун")),
    Column("guardian_contact", _l("Guardian contact"), False, ("контакт опікуна",)),
    Column("guardian_consent_on", _l("Guardian consent date"), False,
           ("consent date", "guardian consent", "згода опікуна", "дата згоди опікуна")),
    Column("language", _l("Language"), False, ("locale", "мова")),
    Column("cohort", _l("Cohort"), False, ("cohort name", "cohort id", "група", "когорта")),
)

VOUCHER_COLUMNS = (
    Column("provider", _l("Provider"), True, ("vendor", "постачальник", "провайдер", "вендор")),
    Column("certification", _l("Certification exam code"), False,
           ("certification", "exam code", "exam", "сертифікація", "код іспиту", "іспит")),
    Column("code", _l("Voucher code"), True, ("voucher", "ваучер", "код ваучера", "код")),
    Column("value", _l("Value"), False, ("amount", "вартість", "сума", "номінал")),
    Column("currency", _l("Currency"), False, ("валюта",)),
    Column("funder", _l("Funder"), False, ("donor", "донор", "фінансувальник", "спонсор")),
    Column("issued_on", _l("Issued on"), True,
           ("issued", "issue date", "дата видачі", "видано")),
    Column("expires_on", _l("Expires on"), False,
           ("expires", "expiry date", "expiry", "дійсний до", "термін дії", "дата закінчення")),
)

COLUMNS = {ImportKind.STUDENTS: STUDENT_COLUMNS, ImportKind.VOUCHERS: VOUCHER_COLUMNS}

_SPACES = re.compile(r"\s+")


def normalize_header(name: str) -> str:
    """Compare headers loosely: case, spacing, apostrophe variants and a trailing `*` or `:`."""
    name = name.replace("\ufeff", "").replace("’", "'").replace("ʼ", "'").replace("`", "'")
    return _SPACES.sub(" ", name.strip().rstrip("*:").strip().lower())


def header_names(kind: ImportKind) -> dict[str, str]:
    """Every accepted (normalised) header → its column key."""
    names: dict[str, str] = {}
    for column in COLUMNS[kind]:
        spellings = {column.key, column.key.replace("_", " "), *column.aliases}
        for language in ("en", "uk"):
            with force_locale(language):
                spellings.add(str(column.label))
        for spelling in spellings:
            names.setdefault(normalize_header(spelling), column.key)
    return names


def template_headers(kind: ImportKind) -> list[str]:
    """The template's header row in the reader's language; required columns end with `*`."""
    return [f"{column.label}{' *' if column.required else ''}" for column in COLUMNS[kind]]


def required_keys(kind: ImportKind) -> list[str]:
    return [column.key for column in COLUMNS[kind] if column.required]


def label_of(kind: ImportKind, key: str):
    return next(column.label for column in COLUMNS[kind] if column.key == key)
