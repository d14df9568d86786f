"""Conventions every screen follows (DESIGN.md): one status vocabulary (every status has a tone,
the macro shows colour, symbol and words, no template styles a status by hand), destructive
buttons that look it and ask first, wide tables in keyboard-reachable labelled regions, and the
icons and marks the pages ask for exist."""
import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import render_template_string, session
from flask_babel import refresh

from lms.attendance.models import AttendanceStatus
from lms.certifications.models import Stage, VoucherStatus
from lms.certifications.rules import CredentialState
from lms.cohorts.models import CohortStatus, EnrollmentStatus
from lms.core.model_types import _TONES, Tone
from lms.imports.report import RowStatus
from lms.progress.models import ProgressStatus

STATUSES = [AttendanceStatus, Stage, VoucherStatus, CredentialState, CohortStatus,
            EnrollmentStatus, RowStatus, ProgressStatus]
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def tag_of(value) -> str:
    return render_template_string(
        "{% from '_macros/status.html' import status_tag %}{{ status_tag(value) }}", value=value)


@pytest.mark.parametrize("enum_class", STATUSES, ids=lambda c: c.__name__)
def test_every_status_member_has_a_tone_of_its_own_choosing(enum_class):
    # A member left out would silently read grey: list the tones explicitly per member.
    missing = [m for m in enum_class if (enum_class, m.value) not in _TONES]
    assert missing == []


def test_the_design_rules_for_colours_hold():
    assert Stage.PASSED.tone == CredentialState.VALID.tone == ProgressStatus.COMPLETED.tone == Tone.DONE
    assert Stage.FAILED.tone == CredentialState.EXPIRED.tone == AttendanceStatus.ABSENT.tone == Tone.BAD
    assert Stage.WITHDRAWN.tone == EnrollmentStatus.WITHDRAWN.tone == Tone.IDLE
    assert ProgressStatus.NOT_STARTED.tone == Tone.IDLE
    assert CredentialState.RENEWAL_DUE.tone == Tone.SOON
    # Passed, failed and withdrawn once looked identical on the board.
    assert len({Stage.PASSED.tone, Stage.FAILED.tone, Stage.WITHDRAWN.tone}) == 3


@pytest.mark.parametrize("value, css, mark", [
    (Stage.PASSED, "status--done", "✓"), (Stage.FAILED, "status--bad", "✕"),
    (Stage.SCHEDULED, "status--soon", "!"), (ProgressStatus.IN_PROGRESS, "status--active", "●"),
    (EnrollmentStatus.WITHDRAWN, "status--idle", "○"),
])
def test_the_macro_shows_colour_symbol_and_words(app, value, css, mark):
    html = tag_of(value)
    assert f'class="status {css}"' in html
    assert f'<span class="status__mark" aria-hidden="true">{mark}</span>' in html
    assert str(value.label) in html


def test_the_words_follow_the_reader_language(app):
    for language, word in (("uk", "Складено"), ("en", "Passed")):
        with request_in(app, language):
            assert word in tag_of(Stage.PASSED)


def test_a_label_is_escaped(app):
    html = render_template_string(
        "{% from '_macros/status.html' import tone_tag %}{{ tone_tag('bad', text) }}",
        text="<b>x</b>")
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>" not in html


def test_no_template_styles_a_status_with_a_hand_picked_badge():
    # `.label` of a status inside a Bootstrap badge was how pages drifted apart.
    hand_made = re.compile(r'class="badge[^"]*"[^<]*>\{\{[^}]*(status|stage|state)\.label')
    offenders = [str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html")
                 if hand_made.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


@contextmanager
def request_in(app, language: str = "en"):
    with app.test_request_context():
        session["locale"] = language
        refresh()  # the test's app context outlives the request: forget its cached locale
        yield


def render_submit(form) -> str:
    return render_template_string(
        "{% from '_macros/forms.html' import render_form %}{{ render_form(form) }}", form=form)


def test_a_destructive_button_looks_like_a_warning_and_asks_first(app):
    from lms.cohorts.forms import CompleteForm, WithdrawForm
    with request_in(app):
        withdraw = render_submit(WithdrawForm())
        complete = render_submit(CompleteForm())
    assert 'class="btn btn-danger"' in withdraw
    assert 'data-confirm="Withdraw this student from the cohort?"' in withdraw
    assert 'class="btn btn-primary"' in complete and "data-confirm" not in complete


@pytest.mark.parametrize("kind, destructive", [("retire", True), ("reinstate", False)])
def test_only_retiring_a_lesson_asks_for_confirmation(app, kind, destructive):
    from lms.catalog.forms import action_form
    with request_in(app):
        html = render_submit(action_form(kind, 1))
    assert ("data-confirm" in html) is destructive


def test_reject_and_invalidate_say_what_they_do(app):
    from lms.certifications.forms import InvalidateForm, RejectForm
    with request_in(app):
        assert 'value="Send back"' in render_submit(RejectForm())
        assert 'value="Mark invalid"' in render_submit(InvalidateForm())


def test_every_scrolling_table_is_a_labelled_region_the_keyboard_reaches():
    # axe `scrollable-region-focusable`: a table wider than a phone must be reachable by Tab.
    # Inside a section named by the same heading it is a group: two landmarks of one name
    # confuse a screen reader's landmark list (axe `landmark-unique`).
    wrapper = re.compile(r'<div class="table-responsive[^"]*"([^>]*)>')
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        for attributes in wrapper.findall(path.read_text(encoding="utf-8")):
            if not (('role="region"' in attributes or 'role="group"' in attributes)
                    and 'tabindex="0"' in attributes
                    and "aria-label" in attributes):
                offenders.append(str(path.relative_to(TEMPLATES)))
    assert offenders == []


STATIC = TEMPLATES.parent / "static"


def test_every_icon_a_page_asks_for_is_in_the_vendored_sprite():
    from lms.home.navigation import GROUPS
    sprite_path = next(STATIC.glob("vendor/bootstrap-icons-*/sprite.svg"))
    assert (sprite_path.parent / "LICENSE").read_text().startswith("The MIT License")
    sprite = sprite_path.read_text()
    asked = {group.icon for group in GROUPS}
    for path in TEMPLATES.rglob("*.html"):
        asked |= set(re.findall(r"icon\('([a-z0-9-]+)'", path.read_text(encoding="utf-8")))
    assert asked and {name for name in asked if f'<symbol id="{name}"' not in sprite} == set()
    macro = (TEMPLATES / "_macros" / "icons.html").read_text()
    assert sprite_path.relative_to(STATIC).as_posix() in macro


def test_every_page_names_its_favicon_and_shows_the_mark(client):
    html = client.get("/auth/login").get_data(as_text=True)
    assert '<link rel="icon" type="image/svg+xml" href="/static/img/favicon.svg">' in html
    assert 'class="brand__mark" src="/static/img/logo.svg" alt=""' in html
    assert client.get("/static/img/favicon.svg").status_code == 200


def test_withdrawn_reads_for_what_was_left(app):
    # One English word, two Ukrainian ones: left a cohort (відраховано), left a path (припинено).
    from lms.cohorts.models import EnrollmentStatus
    with request_in(app, "uk"):
        assert str(EnrollmentStatus.WITHDRAWN.label) == "Відраховано"
        assert str(Stage.WITHDRAWN.label) == "Припинено"
    with request_in(app, "en"):
        assert str(EnrollmentStatus.WITHDRAWN.label) == str(Stage.WITHDRAWN.label) == "Withdrawn"
