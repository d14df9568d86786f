"""The one navigation list: every entry of the header, grouped, filtered by what `access` lets
the signed-in user open. A role sees its own start page and at most five groups; a group with
nothing the user may open is not shown, and one with a single entry is shown as a plain link."""
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from lms.access import allowed, is_cluster_wide


@dataclass(frozen=True)
class Entry:
    endpoint: str
    label: object  # a lazy translation
    hidden_for: Callable[[object], bool] | None = None  # an access rule: not worth a link for them


@dataclass(frozen=True)
class Group:
    key: str
    label: object
    icon: str  # a symbol of static/vendor/bootstrap-icons-*/sprite.svg (tools/icon_sprite.py)
    entries: tuple[Entry, ...]


# Each role's start page; the first the user may open leads the header.
HOMES = (
    Entry("home.student", _l("My learning")),
    Entry("home.mentor", _l("Today")),
    Entry("home.head", _l("My center")),
    Entry("home.admin", _l("Cluster")),
)

GROUPS = (
    Group("learning", _l("Learning"), "mortarboard", (
        Entry("cohorts.index", _l("Cohorts")),
        Entry("people.students", _l("Students")),
    )),
    Group("certifications", _l("Certifications"), "award", (
        Entry("paths.start", _l("Certifications")),
        Entry("pursuits.board", _l("Certification board")),
        Entry("pursuits.verification", _l("Verification")),
        Entry("vouchers.index", _l("Vouchers")),
    )),
    Group("center", _l("Center"), "building", (
        Entry("people.index", _l("People")),
        Entry("imports.index", _l("CSV import")),
        Entry("audit.index", _l("Audit log")),
    )),
    Group("reports", _l("Reports"), "bar-chart-line", (
        # For the cluster-wide it only leads to the cluster dashboard, listed next to it.
        Entry("dashboard.index", _l("Dashboard"), hidden_for=is_cluster_wide),
        Entry("dashboard.cluster", _l("Cluster dashboard")),
        Entry("reports.donor_report", _l("Donor report")),
        Entry("reports.certifications", _l("Certifications report")),
    )),
    Group("administration", _l("Administration"), "gear", (
        Entry("catalog.courses", _l("Catalog")),
        Entry("centers.list_centers", _l("Centers")),
    )),
)

# The user's own things, in the user menu.
ACCOUNT = (
    Entry("auth.change_password", _l("Password")),
    Entry("tokens.index", _l("API tokens")),
)


@dataclass(frozen=True)
class Link:
    url: str
    label: object
    current: bool


@dataclass(frozen=True)
class Menu:
    key: str
    label: object
    icon: str
    links: tuple[Link, ...]

    @property
    def current(self) -> bool:
        return any(link.current for link in self.links)


def _link(entry: Entry) -> Link:
    url = url_for(entry.endpoint)
    return Link(url, entry.label, request.endpoint == entry.endpoint)


def _shown(entry: Entry) -> bool:
    hidden = entry.hidden_for is not None and entry.hidden_for(current_user)
    return allowed(entry.endpoint) and not hidden


def _open(entries) -> tuple[Link, ...]:
    return tuple(_link(entry) for entry in entries if _shown(entry))


def main_menu() -> tuple[Link | None, tuple[Menu, ...]]:
    """The user's start page and the groups they may open (empty ones left out)."""
    home = next(iter(_open(HOMES)), None)
    menus = tuple(Menu(group.key, group.label, group.icon, links)
                  for group in GROUPS if (links := _open(group.entries)))
    return home, menus


def account_menu() -> tuple[Link, ...]:
    return _open(ACCOUNT)


def register(app: Flask) -> None:
    """Templates read the menus through `navigation()`, built once per page when it is shown."""
    @app.context_processor
    def navigation_for_templates() -> dict:
        def navigation() -> dict:
            if not current_user.is_authenticated:
                return {"home": None, "menus": (), "account": ()}
            home, menus = main_menu()
            return {"home": home, "menus": menus, "account": account_menu()}
        return {"navigation": navigation}
