"""The admin's use cases for resource centers: list, create, edit, (de)activate; never delete."""
from flask_babel import lazy_gettext as _l

from lms.catalog.services import ensure_unique, save
from lms.centers.models import Center
from lms.core.audit import record
from lms.core.refusal import Refused

CENTER_FIELDS = ("slug", "name", "city", "region", "cluster")


def save_center(center: Center, data: dict, actor) -> Center:
    """Create or edit a center; the slug is unique."""
    taken = _l("Another center already has this slug.")
    ensure_unique(Center, Center.slug, data["slug"], center, "slug", taken)
    return save(center, data, CENTER_FIELDS, "center", actor, ("slug", taken), is_center=True)


def set_active(center: Center, active: bool, actor) -> None:
    """Deactivate or reactivate a center; its people and history stay as they are."""
    if center.is_active == active:
        raise Refused(_l("The center is already active.") if active
                      else _l("The center is already inactive."))
    center.is_active = active
    record("center.reactivate" if active else "center.deactivate", center,
           before={"is_active": not active}, after={"is_active": active}, actor=actor,
           center_id=center.id)
