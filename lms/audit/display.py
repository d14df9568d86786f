"""Audit entries as people read them: a label for the action, before and after side by side."""
import json
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.core.audit import AuditEntry

# Labels of the actions a reader meets most; any other action shows as it is stored.
ACTION_LABELS = {
    "voucher.create": _l("Added to the stock"), "voucher.assign": _l("Assigned to a path"),
    "voucher.release": _l("Released to the stock"), "voucher.use": _l("Used for an exam"),
    "voucher.unuse": _l("Use undone"), "voucher.revoke": _l("Revoked"),
    "cohort.create": _l("Cohort created"), "cohort.update": _l("Cohort changed"),
}

# Objects that have a page of their own: (endpoint, name of its id argument).
OBJECT_PAGES = {
    "Voucher": ("vouchers.show", "voucher_id"), "Cohort": ("cohorts.show", "cohort_id"),
    "Pursuit": ("pursuits.show", "pursuit_id"),
}


@dataclass
class Change:
    key: str
    before: str
    after: str
    changed: bool


@dataclass
class EntryView:
    entry: AuditEntry
    label: str
    changes: list[Change]

    @property
    def url(self) -> str | None:
        """The page of the entry's object, when it has one."""
        page = OBJECT_PAGES.get(self.entry.object_type)
        if page is None or self.entry.object_id is None:
            return None
        endpoint, argument = page
        return url_for(endpoint, **{argument: self.entry.object_id})


def readable(value) -> str:
    """One value of a before/after snapshot as text."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(readable(item) for item in value) or "—"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def changes(before: dict | None, after: dict | None) -> list[Change]:
    """Every key of either side, in a stable order, marked when its value differs."""
    before, after = before or {}, after or {}
    keys = list(before) + [key for key in after if key not in before]
    return [Change(key, readable(before.get(key)), readable(after.get(key)),
                   before.get(key) != after.get(key)) for key in keys]


def describe(entry: AuditEntry) -> EntryView:
    label = ACTION_LABELS.get(entry.action, entry.action)
    return EntryView(entry, str(label), changes(entry.before, entry.after))
