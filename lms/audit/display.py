"""Audit entries as people read them: what was done to what, and each changed field with its
label and its values in the reader's language (lms.audit.vocabulary); before and after side by
side. Names of related objects come from one batched lookup (`Names`), never a query per row."""
import json
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import url_for
from flask_babel import gettext as _

from lms.audit.vocabulary import (
    HIDDEN_FIELDS,
    LANGUAGE_NAMES,
    action_name,
    enum_of,
    field_label,
    object_name,
)
from lms.core.audit import AuditEntry
from lms.core.formats import local_date, local_datetime, local_number

# Objects that have a page of their own: (endpoint, name of its id argument).
OBJECT_PAGES = {
    "Voucher": ("vouchers.show", "voucher_id"), "Cohort": ("cohorts.show", "cohort_id"),
    "Pursuit": ("pursuits.show", "pursuit_id"),
}

# Fields holding the id of another object, by the kind of name to look up (lms.audit.log).
REFERENCES = {
    "center_id": "center", "student_id": "user", "verified_by": "user",
    "verified_by_id": "user", "completion_set_by_id": "user", "mentor_ids": "user",
    "cohort_id": "cohort", "prep_cohort_id": "cohort", "course_id": "course",
    "provider_id": "provider", "certification_id": "certification", "track_id": "track",
    "module_id": "module", "lesson_ids": "lesson",
}
# The entry's own object, when it has a name.
OBJECT_KINDS = {
    "Center": "center", "User": "user", "Cohort": "cohort", "Course": "course",
    "Provider": "provider", "Certification": "certification", "Track": "track",
    "CourseModule": "module", "Lesson": "lesson",
}

Names = dict[tuple[str, int], str]


@dataclass
class Change:
    key: str
    label: str
    before: str
    after: str
    changed: bool


@dataclass
class EntryView:
    entry: AuditEntry
    label: str
    changes: list[Change]
    object_label: str = field(default="")

    @property
    def url(self) -> str | None:
        """The page of the entry's object, when it has one."""
        page = OBJECT_PAGES.get(self.entry.object_type)
        if page is None or self.entry.object_id is None:
            return None
        endpoint, argument = page
        return url_for(endpoint, **{argument: self.entry.object_id})


def wanted_names(entries: list[AuditEntry]) -> dict[str, set[int]]:
    """The ids whose names the entries show, by kind: the entries' objects and referenced ids."""
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        kind = OBJECT_KINDS.get(entry.object_type)
        if kind and entry.object_id:
            wanted.setdefault(kind, set()).add(entry.object_id)
        for values in (entry.before or {}, entry.after or {}):
            for key, value in values.items():
                if key in REFERENCES:
                    ids = value if isinstance(value, list) else [value]
                    wanted.setdefault(REFERENCES[key], set()).update(
                        i for i in ids if isinstance(i, int) and not isinstance(i, bool))
    return wanted


def readable(value, key: str = "", object_type: str = "", names: Names | None = None) -> str:
    """One value of a before/after snapshot as its reader knows it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(readable(item, key, object_type, names) for item in value) or "—"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if key in REFERENCES and isinstance(value, int):
        return (names or {}).get((REFERENCES[key], value)) or _("no. %(id)d", id=value)
    if key == "locale":
        return LANGUAGE_NAMES.get(value, str(value))
    choice = enum_of(object_type, key)
    if choice is not None:
        try:
            return str(choice(value).label)
        except ValueError:
            return str(value)
    if isinstance(value, str):
        return _date_text(key, value)
    if isinstance(value, int | float):
        return local_number(value)
    return str(value)


def _date_text(key: str, value: str) -> str:
    """Dates and times are stored as ISO text: shown in the locale's format."""
    try:
        if key.endswith("_at"):
            return local_datetime(datetime.fromisoformat(value))
        if key.endswith(("_on", "_date")) or key == "date_of_birth":
            return local_date(date.fromisoformat(value))
    except ValueError:
        pass
    return value


def changes(before: dict | None, after: dict | None, object_type: str = "",
            names: Names | None = None) -> list[Change]:
    """Every shown key of either side, in a stable order, marked when its value differs."""
    before, after = before or {}, after or {}
    keys = [key for key in list(before) + [k for k in after if k not in before]
            if key not in HIDDEN_FIELDS]
    return [Change(key, field_label(key),
                   readable(before.get(key), key, object_type, names),
                   readable(after.get(key), key, object_type, names),
                   before.get(key) != after.get(key)) for key in keys]


def changed_keys(before: dict | None, after: dict | None) -> list[str]:
    """The stored keys whose values differ (the CSV download keeps the codes)."""
    before, after = before or {}, after or {}
    keys = list(before) + [key for key in after if key not in before]
    return [key for key in keys if before.get(key) != after.get(key)]


def describe(entry: AuditEntry, names: Names | None = None) -> EntryView:
    """An entry in the reader's words; `names` from one lookup for the whole page."""
    kind = OBJECT_KINDS.get(entry.object_type)
    own = (names or {}).get((kind, entry.object_id)) if kind else None
    what = object_name(entry.object_type)
    if own:
        shown = _("%(object)s “%(name)s”", object=what, name=own)
    elif entry.object_id:
        shown = _("%(object)s no. %(id)d", object=what, id=entry.object_id)
    else:
        shown = what
    return EntryView(entry, action_name(entry.action),
                     changes(entry.before, entry.after, entry.object_type, names), shown)
