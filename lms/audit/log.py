"""Reading the audit log: the scoped, filtered list of entries, newest first, and its download.

Each filter maps onto an index of audit_log: center and date onto (center_id, created_at),
person onto (actor_id, created_at), object onto (object_type, object_id).
"""
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, raiseload

from lms.access import visible
from lms.audit.display import EntryView, Names, changed_keys, describe, wanted_names
from lms.audit.vocabulary import ACTION_GROUPS, ACTIONS, OBJECT_NAMES
from lms.catalog.models import Certification, Course, CourseModule, Lesson, Provider, Track
from lms.centers.models import Center
from lms.cohorts.models import Cohort
from lms.core.audit import AuditEntry
from lms.core.extensions import db
from lms.core.pagination import in_chunks
from lms.users.models import User
from lms.users.queries import name_or_email_contains


@dataclass
class AuditFilter:
    person: str = ""
    object_type: str = ""
    object_id: int | None = None
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None
    center_id: int | None = None


def object_choices() -> list[tuple[str, str]]:
    """Every kind of object an entry can name, by its name on the forms (no scan of the log)."""
    return sorted(((kind, str(name)) for kind, name in OBJECT_NAMES.items()),
                  key=lambda choice: choice[1].casefold())


def action_choices() -> dict[str, list[tuple[str, str]]]:
    """Each action once, grouped by what it acts on; each group starts with all its actions."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for action, label in ACTIONS.items():
        prefix = action.split(".")[0]
        group = str(ACTION_GROUPS[prefix])
        if group not in groups:
            groups[group] = [(prefix, _("%(object)s: every action", object=group))]
        groups[group].append((action, str(label)))
    return {group: [groups[group][0], *sorted(groups[group][1:], key=lambda c: c[1].casefold())]
            for group in sorted(groups, key=str.casefold)}


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min)


def filtered(filters: AuditFilter) -> sa.Select:
    """Visible entries under the filters, newest first."""
    query = visible(AuditEntry)
    if filters.center_id:
        query = query.where(AuditEntry.center_id == filters.center_id)
    if filters.person:
        people = sa.select(User.id).where(name_or_email_contains(filters.person))
        query = query.where(AuditEntry.actor_id.in_(people))
    if filters.object_type:
        query = query.where(AuditEntry.object_type == filters.object_type)
    if filters.object_id:
        query = query.where(AuditEntry.object_id == filters.object_id)
    if filters.action:
        query = query.where(_action_is(filters.action))
    if filters.date_from:
        query = query.where(AuditEntry.created_at >= _start(filters.date_from))
    if filters.date_to:
        query = query.where(AuditEntry.created_at < _start(filters.date_to + timedelta(days=1)))
    return (query.options(joinedload(AuditEntry.actor), raiseload("*"))
            .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()))


def _action_is(action: str) -> sa.ColumnElement[bool]:
    """"voucher.revoke" is one action; "voucher" is every action on vouchers."""
    if "." in action:
        return AuditEntry.action == action
    return sa.or_(AuditEntry.action == action,
                  AuditEntry.action.startswith(action + ".", autoescape=True))


def centers() -> dict[int, str]:
    """Names of the visible centers, to label entries without a join per row."""
    return dict(db.session.execute(
        visible(Center).with_only_columns(Center.id, Center.name).order_by(Center.name)).all())


# Where the name of each kind of referenced object is read (lms.audit.display.REFERENCES).
NAME_COLUMNS = {
    "center": Center.name, "user": User.full_name, "cohort": Cohort.name, "course": Course.title,
    "provider": Provider.name, "certification": Certification.name, "track": Track.name,
    "module": CourseModule.title, "lesson": Lesson.title,
}


def names(entries: list[AuditEntry]) -> Names:
    """The names the entries show, in one statement whatever their number and kinds."""
    wanted = wanted_names(entries)
    parts = [sa.select(sa.literal(kind).label("kind"), column.class_.id.label("id"),
                       sa.cast(column, sa.String).label("name"))
             .where(column.class_.id.in_(sorted(ids)))
             for kind, ids in sorted(wanted.items()) if ids
             for column in [NAME_COLUMNS[kind]]]
    if not parts:
        return {}
    return {(kind, id_): name for kind, id_, name in db.session.execute(sa.union_all(*parts))}


def describe_all(entries: list[AuditEntry]) -> list[EntryView]:
    """The entries in the reader's words, with the names of what they mention."""
    found = names(entries)
    return [describe(entry, found) for entry in entries]


def entry_page(filters: AuditFilter, page: int, per_page: int):
    result = db.paginate(filtered(filters), page=page, per_page=per_page, error_out=False)
    return result, describe_all(result.items)


def export_rows(filters: AuditFilter):
    """CSV rows of every filtered entry, a chunk at a time."""
    names = centers()
    for chunk in in_chunks(filtered(filters)):
        for entry in chunk:
            changed = changed_keys(entry.before, entry.after)
            yield (entry.created_at.isoformat(sep=" ", timespec="seconds"),
                   entry.actor.full_name if entry.actor else "",
                   entry.actor.email if entry.actor else "",
                   names.get(entry.center_id, ""), entry.action, entry.object_type,
                   entry.object_id, ", ".join(changed), _json(entry.before), _json(entry.after),
                   entry.client_address or "")


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value is not None else ""
