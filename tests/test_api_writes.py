"""Writing through the API: lesson progress through the gradebook's service, stage moves
through the pursuit engine; the same rules, events and audit entries as the web screens."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from lms.certifications.models import Pursuit, PursuitStageChange, Stage
from lms.core.audit import AuditEntry
from lms.core.extensions import db
from lms.progress.models import LessonProgress, ProgressEvent
from tests import factories
from tests.api_support import bearer, make_token

# One world for the module: each test's writes are rolled back to the module's savepoint.
pytestmark = pytest.mark.usefixtures("module_world")


def _lessons(world):
    return [lesson for module in world.course.modules for lesson in module.lessons]


def _cell(world, lesson, version=0, **fields):
    return {"enrollment_id": world.a.enrollment.id, "lesson_id": lesson.id, "version": version,
            "status": "completed", **fields}


def _post(client, user, url, body):
    return client.post(url, headers=bearer(make_token(user)), json=body)


def test_progress_is_recorded_with_events_audit_and_derived_completion(client, world):
    url = f"/api/v1/cohorts/{world.a.cohort.id}/progress"
    cells = [_cell(world, lesson, score=9, feedback="Good") for lesson in _lessons(world)]
    response = _post(client, world.a.mentor, url, {"cells": cells})
    assert response.status_code == 200, response.get_json()
    written = response.get_json()["written"]
    assert len(written) == 6 and {c["version"] for c in written} == {1}
    assert db.session.scalar(sa.select(sa.func.count(ProgressEvent.id))) == 6
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))
                             .where(AuditEntry.action == "progress.set")) == 6
    db.session.expire_all()
    assert world.a.enrollment.status.value == "completed"  # derived, as on the web grid
    again = _post(client, world.a.mentor, url, {"cells": [_cell(world, _lessons(world)[0], 1,
                                                                status="in_progress")]})
    assert again.get_json()["written"][0]["version"] == 2
    db.session.expire_all()
    assert world.a.enrollment.status.value == "active"


def test_a_stale_version_is_a_409_listing_the_cells_and_nothing_is_written(client, world):
    first, second = _lessons(world)[:2]
    factories.make_progress(world.a.enrollment, first, version=4, score=3)
    response = _post(client, world.a.head, f"/api/v1/cohorts/{world.a.cohort.id}/progress",
                     {"cells": [_cell(world, first, version=3), _cell(world, second)]})
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "edit_conflict"
    assert error["conflicts"] == [{"enrollment_id": world.a.enrollment.id, "lesson_id": first.id,
                                   "version": 4, "status": "completed", "score": 3}]
    assert db.session.scalar(sa.select(sa.func.count(LessonProgress.id))) == 1  # second not written
    assert db.session.scalar(sa.select(sa.func.count(ProgressEvent.id))) == 0


def test_cells_the_rules_refuse_are_a_422_per_cell(client, world):
    url = f"/api/v1/cohorts/{world.a.cohort.id}/progress"
    lesson = _lessons(world)[0]
    cases = [
        ({"cells": [_cell(world, lesson, score=11)]}, "cells[0]", "between 0 and 10"),
        ({"cells": [_cell(world, lesson), _cell(world, lesson)]}, "cells[1]", "twice"),
        ({"cells": [{**_cell(world, lesson), "enrollment_id": world.b.enrollment.id}]}, "cells[0]",
         "not part of the gradebook"),
        ({"cells": [{**_cell(world, lesson), "status": "done"}]}, "cells[0].status", "one of"),
        ({"cells": [{**_cell(world, lesson), "score": "7"}]}, "cells[0].score", "whole number"),
        ({"cells": [{**_cell(world, lesson), "version": True}]}, "cells[0].version", "whole number"),
        ({"cells": [{"lesson_id": lesson.id}]}, "cells[0].enrollment_id", "required"),
        ({"cells": [{**_cell(world, lesson), "extra": 1}]}, "cells[0].extra", "Unknown"),
        ({"cells": []}, "cells", "at least"),
        ({"rows": []}, "cells", "required"),
        ([], "body", "object"),
    ]
    world.a.mentor.locale = "en"
    db.session.commit()
    secret = make_token(world.a.mentor)
    for body, field, words in cases:
        response = client.post(url, headers=bearer(secret), json=body)
        assert response.status_code == 422, (body, response.status_code)
        fields = response.get_json()["error"]["fields"]
        assert words in fields[field], (field, fields)
    assert db.session.scalar(sa.select(sa.func.count(LessonProgress.id))) == 0


def test_bodies_that_are_not_json_objects(client, world):
    url = f"/api/v1/cohorts/{world.a.cohort.id}/progress"
    headers = bearer(make_token(world.a.mentor))
    malformed = client.post(url, headers=headers, data="{not json", content_type="application/json")
    assert malformed.status_code == 400
    assert malformed.get_json()["error"]["code"] == "malformed_json"
    form = client.post(url, headers=headers, data={"cells": "x"})
    assert form.status_code == 415
    assert form.get_json()["error"]["code"] == "unsupported_media_type"
    nul = client.post(url, headers=headers, json={"cells": [{**_cell(world, _lessons(world)[0]),
                                                            "feedback": "a\x00b"}]})
    # Refused before the view (lms.core.security.refuse_nul_characters), still in the API's shape.
    assert nul.status_code == 400 and nul.get_json()["error"]["code"] == "bad_request"


def test_a_pursuit_moves_through_the_engine(client, world):
    url = f"/api/v1/pursuits/{world.a.pursuit.id}/stage"
    secret = make_token(world.a.mentor)
    body = {"stage": "preparing", "prep_platform": "AWS Skill Builder",
            "prep_started_on": date.today().isoformat(), "note": "Starts Monday"}
    response = client.post(url, headers=bearer(secret), json=body)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["stage"] == "preparing"
    change = db.session.scalars(sa.select(PursuitStageChange)).one()
    assert (change.to_stage, change.note, change.actor_id) == (Stage.PREPARING, "Starts Monday",
                                                               world.a.mentor.id)
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "pursuit.move"))
    practice = client.post(url, headers=bearer(secret), json={
        "stage": "practice", "practice_percent": 82,
        "practice_taken_on": (date.today() - timedelta(days=1)).isoformat()})
    assert practice.get_json()["stage"] == "practice"


def test_illegal_jumps_and_missing_stage_fields(client, world):
    url = f"/api/v1/pursuits/{world.a.pursuit.id}/stage"
    world.a.head.locale = "en"
    db.session.commit()
    secret = make_token(world.a.head)
    jump = client.post(url, headers=bearer(secret), json={"stage": "passed", "credential_id": "X"})
    assert jump.status_code == 409
    assert jump.get_json()["error"]["code"] == "stage_refused"
    assert "cannot go from" in jump.get_json()["error"]["message"]
    missing = client.post(url, headers=bearer(secret), json={"stage": "preparing",
                                                             "prep_platform": "Coursera"})
    assert missing.status_code == 422
    assert missing.get_json()["error"]["fields"] == {"prep_started_on": "Enter the start date."}
    impossible = client.post(url, headers=bearer(secret), json={"stage": "preparing",
                                                            "prep_started_on": "2026-02-30"})
    assert impossible.status_code == 422 and "prep_started_on" in impossible.get_json()["error"]["fields"]
    other_center_cohort = client.post(url, headers=bearer(secret), json={
        "stage": "preparing", "prep_cohort_id": world.b.cohort.id,
        "prep_started_on": date.today().isoformat()})
    assert other_center_cohort.status_code == 422
    assert "prep_cohort_id" in other_center_cohort.get_json()["error"]["fields"]
    db.session.expire_all()
    assert db.session.get(Pursuit, world.a.pursuit.id).stage == Stage.INTERESTED
    assert db.session.scalar(sa.select(sa.func.count(PursuitStageChange.id))) == 0


def test_a_voucher_of_another_center_cannot_be_assigned(client, world):
    pursuit = factories.make_pursuit(world.a.minor, world.certification, stage=Stage.READY)
    response = _post(client, world.a.head, f"/api/v1/pursuits/{pursuit.id}/stage",
                     {"stage": "voucher", "voucher_id": world.b.voucher.id})
    assert response.status_code == 422
    assert "voucher_id" in response.get_json()["error"]["fields"]
    ok = _post(client, world.a.head, f"/api/v1/pursuits/{pursuit.id}/stage",
               {"stage": "voucher", "voucher_id": world.a.voucher.id})
    assert ok.status_code == 200 and ok.get_json()["stage"] == "voucher"
