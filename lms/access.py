"""Who may do what, in one place: a role gate per blueprint, the named rules that views,
services, forms and templates ask (who sees which center, who is staff, which roles a head may
give), and center-scoped loaders.

Each blueprint declares its gate (the roles its views default to); a view may carry its own
rule (`@allow(...)` narrows, `@public` opens). One app-wide hook enforces the rules before any
view runs, so a route whose blueprint forgot its gate is refused (fail closed), and the url-map
test in tests/test_access.py fails loudly.
Objects of another center are never fetched: loaders filter by scope and answer 404.
"""
from collections.abc import Callable, Collection
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Flask, abort, current_app, make_response, render_template, request
from flask_login import current_user

from lms.centers.models import Center
from lms.certifications.models import Evidence, Pursuit, Voucher
from lms.cohorts.models import Cohort, Enrollment
from lms.core.audit import AuditEntry
from lms.core.extensions import db, login_manager
from lms.imports.models import ImportBatch
from lms.progress.models import LessonProgress
from lms.users.models import Role, User

PUBLIC = "public"
EVERYONE = frozenset(Role)
STAFF = frozenset({Role.MENTOR, Role.HEAD, Role.ADMIN})
MANAGERS = frozenset({Role.HEAD, Role.ADMIN})
ADMINS = frozenset({Role.ADMIN})
STUDENTS = frozenset({Role.STUDENT})
CENTER_ROLES = (Role.STUDENT, Role.MENTOR, Role.HEAD)
# Who may give which role to a new account (SPEC §2: heads manage the users of their center).
ASSIGNABLE = {Role.HEAD: CENTER_ROLES, Role.ADMIN: tuple(Role)}


def allow(*roles: Role) -> Callable:
    """Narrow (or widen) a single view's roles relative to its blueprint's gate."""
    def mark(view: Callable) -> Callable:
        view.access_rule = frozenset(roles)
        return view
    return mark


def public(view: Callable) -> Callable:
    """Open a view to anonymous visitors (sign-in, password reset, language)."""
    view.access_rule = PUBLIC
    return view


def gate(bp: Blueprint, roles: frozenset[Role], authenticate: Callable | None = None) -> None:
    """Declare the role gate of a blueprint: its views default to `roles`. `authenticate`,
    when given, replaces the session sign-in for its non-public views (the API's tokens)."""
    bp.access_roles = roles  # read back by rule_for()
    bp.authenticate = authenticate


def init_app(app: Flask) -> None:
    """Enforce the rules before every request, whatever blueprint it belongs to; give the
    templates the same rules, so a link shows only where the request would pass."""
    app.before_request(enforce)
    app.context_processor(lambda: {"allowed": allowed, "Role": Role, "is_staff": is_staff,
                                   "is_cluster_wide": is_cluster_wide, "sees_center": sees_center})


def rule_for(endpoint: str | None) -> Any:
    """The access rule of an endpoint: PUBLIC, a set of roles, or None (no rule: refused)."""
    view = current_app.view_functions.get(endpoint or "")
    if view is None:
        return None
    own = getattr(view, "access_rule", None)
    if own is not None:
        return own
    blueprint = current_app.blueprints.get((endpoint or "").rpartition(".")[0])
    return getattr(blueprint, "access_roles", None)


def allowed(endpoint: str) -> bool:
    """Whether the signed-in user passes an endpoint's role rule: templates show a link only
    then (the rule is still enforced on the request; scope is checked by the loaders)."""
    rule = rule_for(endpoint)
    if rule == PUBLIC:
        return True
    return rule is not None and current_user.is_authenticated and current_user.role in rule


def enforce() -> Any:
    """Before every request: sign-in first, then the role rule; no rule means no entry."""
    if request.endpoint in (None, "static"):
        return None
    rule = rule_for(request.endpoint)
    if rule == PUBLIC:
        return None
    blueprint = current_app.blueprints.get(request.blueprint or "")
    if getattr(blueprint, "authenticate", None) is not None:
        blueprint.authenticate()  # sets the current user or refuses the request
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if rule is None:
        current_app.logger.error("No access rule for endpoint %s", request.endpoint)
        abort(403)
    if current_user.role not in rule:
        abort(403)
    return None


# --- rules: where a user belongs, what they see, what they may do -------------------------

def is_cluster_role(role: Role) -> bool:
    """Administrators belong to the cluster; every other role belongs to one center."""
    return role == Role.ADMIN


def is_cluster_wide(user: User) -> bool:
    """Admins see every center; everyone else only their own."""
    return is_cluster_role(user.role)


def own_center_id(user: User) -> int | None:
    """The one center a user's work is limited to; None for admins, who see every center."""
    return None if is_cluster_wide(user) else user.center_id


def sees_center(user: User, center_id: int | None) -> bool:
    """Admins see the people and objects of every center; everyone else those of their own."""
    return is_cluster_wide(user) or user.center_id == center_id


def visible_center_ids(requested: Collection[int] = ()) -> list[int] | None:
    """A report covers the admin's choice of centers (none: None, the whole cluster) or anyone
    else's own center; naming another center is a 404, as for any object of another center."""
    if is_cluster_wide(current_user):
        return list(requested) or None
    if not all(sees_center(current_user, center_id) for center_id in requested):
        abort(404)
    return [current_user.center_id]


def is_staff(user: User) -> bool:
    """Mentors, heads and admins are staff: they verify, and what they record needs no check."""
    return user.is_authenticated and user.role in STAFF  # templates may ask about a visitor


def assignable_roles(actor: User, account: User | None = None) -> tuple[Role, ...]:
    """Heads give a center's roles, admins any; an existing account keeps its side (center or
    cluster), whoever edits it."""
    if account is None:
        return ASSIGNABLE.get(actor.role, ())
    return (Role.ADMIN,) if is_cluster_wide(account) else CENTER_ROLES


def manages_cohort(user: User, cohort: Cohort) -> bool:
    """Who may change a cohort's roster and grades: admins, the head of its center and the
    mentors who teach it (SPEC §2). Other mentors of the center may only read it."""
    if is_cluster_wide(user):
        return True
    if user.role == Role.HEAD:
        return user.center_id == cohort.center_id
    return user.role == Role.MENTOR and any(mentor.id == user.id for mentor in cohort.mentors)


def may_see_voucher_code(user: User) -> bool:
    """Codes are secret: heads and admins see them whole, mentors the last four characters."""
    return user.role in MANAGERS


# --- scoped queries and guards: 404 out of scope, 403 where one may only read ------------

def _center_of(user: User) -> int:
    return user.center_id if user.center_id is not None else -1


def _scope_user(user: User) -> Any:
    if user.role == Role.STUDENT:
        return User.id == user.id
    return User.center_id == _center_of(user)


def _scope_cohort(user: User) -> Any:
    if user.role == Role.STUDENT:
        mine = sa.select(Enrollment.id).where(
            Enrollment.cohort_id == Cohort.id, Enrollment.student_id == user.id
        )
        return mine.exists()
    return Cohort.center_id == _center_of(user)


def _scope_enrollment(user: User) -> Any:
    if user.role == Role.STUDENT:
        return Enrollment.student_id == user.id
    in_center = sa.select(Cohort.id).where(
        Cohort.id == Enrollment.cohort_id, Cohort.center_id == _center_of(user)
    )
    return in_center.exists()


def _scope_pursuit(user: User) -> Any:
    if user.role == Role.STUDENT:
        return Pursuit.student_id == user.id
    return Pursuit.center_id == _center_of(user)


def _scope_voucher(user: User) -> Any:
    if user.role == Role.STUDENT:
        return sa.false()
    return Voucher.center_id == _center_of(user)


def _scope_evidence(user: User) -> Any:
    """Evidence is visible exactly when the pursuit or enrollment it belongs to is."""
    pursuit = sa.select(Pursuit.id).where(Pursuit.id == Evidence.pursuit_id, _scope_pursuit(user))
    progress = (sa.select(LessonProgress.id)
                .join(Enrollment, Enrollment.id == LessonProgress.enrollment_id)
                .where(LessonProgress.id == Evidence.progress_id, _scope_enrollment(user)))
    return sa.or_(pursuit.exists(), progress.exists())


def _scope_import(user: User) -> Any:
    if user.role == Role.STUDENT:
        return sa.false()
    return ImportBatch.center_id == _center_of(user)


def _scope_center(user: User) -> Any:
    return Center.id == _center_of(user)


def _scope_audit(user: User) -> Any:
    """A head reads the entries of their own center (SPEC §3: heads and admins read the log);
    cluster-wide entries are the admin's."""
    if user.role != Role.HEAD:
        return sa.false()
    return AuditEntry.center_id == _center_of(user)


SCOPES: dict[type, Callable[[User], Any]] = {
    User: _scope_user,
    Cohort: _scope_cohort,
    Enrollment: _scope_enrollment,
    Pursuit: _scope_pursuit,
    Voucher: _scope_voucher,
    Evidence: _scope_evidence,
    Center: _scope_center,
    AuditEntry: _scope_audit,
    ImportBatch: _scope_import,
}


def visible(model: type, user: User | None = None) -> sa.Select:
    """SELECT of `model` limited to what `user` (default: the signed-in user) may see."""
    user = user or current_user
    query = sa.select(model)
    if is_cluster_wide(user):
        return query
    return query.where(SCOPES[model](user))


def get_visible_or_404(model: type, object_id: int, *options: Any) -> Any:
    """The only way a view fetches an object by id: out of scope and missing look the same."""
    query = visible(model).where(model.id == object_id).options(*options)
    found = db.session.scalars(query).unique().first()
    if found is None:
        abort(404)
    return found


def require_teaching(cohort: Cohort, refusal: str | None = None) -> None:
    """403 unless the signed-in user manages the cohort (loaded via get_visible_or_404);
    `refusal` names a template that explains why (it gets the cohort), else the plain 403."""
    if manages_cohort(current_user, cohort):
        return
    if refusal is None:
        abort(403)
    abort(make_response(render_template(refusal, cohort=cohort), 403))
