"""The admin catalog: centers, tracks, courses, providers and certifications, through the pages."""
import pytest
import sqlalchemy as sa

from lms.catalog import services
from lms.catalog.models import Certification, Course, Provider, Track
from lms.centers.models import Center
from lms.core.extensions import db
from lms.core.refusal import Refused
from lms.users.models import Role
from tests.factories import audit, make_certification, make_course, make_user

# One world for the module: each test's writes are rolled back to the module's savepoint.
pytestmark = pytest.mark.usefixtures("module_world")

ADMIN_PAGES = ["/admin/catalog/courses", "/admin/catalog/tracks", "/admin/catalog/providers",
               "/admin/catalog/certifications", "/admin/centers/"]


@pytest.fixture
def admin(world, login):
    login(world.admin)
    return world.admin


def test_catalog_is_for_admins_only(client, login, world):
    for user in (world.a.head, world.a.mentor, world.a.student):
        login(user)
        for url in ADMIN_PAGES + [f"/admin/catalog/courses/{world.course.id}"]:
            assert client.get(url).status_code == 403, (user.role, url)
        post = client.post(f"/admin/catalog/courses/{world.course.id}/edit",
                           data={"code": "X", "title": "X"})
        assert post.status_code == 403


@pytest.mark.parametrize("language,word", [("uk", "Фільтрувати"), ("en", "Filter")])
def test_pages_render_in_both_languages(client, admin, language, word):
    client.post("/language", data={"language": language})
    for url in ADMIN_PAGES:
        page = client.get(url)
        assert page.status_code == 200, url
        assert f'<html lang="{language}">' in page.get_data(as_text=True)
    assert word in client.get("/admin/catalog/courses").get_data(as_text=True)


def test_create_and_edit_a_center_with_audit(client, admin):
    data = {"name": "Sloviansk Hub", "slug": "sloviansk", "city": "Sloviansk",
            "region": "Donetsk", "cluster": "East IT Cluster"}
    assert client.post("/admin/centers/new", data=data).status_code == 302
    center = db.session.scalars(sa.select(Center).filter_by(slug="sloviansk")).one()
    response = client.post(f"/admin/centers/{center.id}", data={**data, "city": "Kramatorsk"})
    assert response.status_code == 302
    created, updated = audit("center.create")[0], audit("center.update")[0]
    assert created.before is None and created.after["slug"] == "sloviansk"
    assert updated.before["city"] == "Sloviansk" and updated.after["city"] == "Kramatorsk"
    assert updated.center_id == center.id and updated.actor_id == admin.id


def test_duplicate_center_slug_is_a_field_error(client, admin, world):
    client.post("/language", data={"language": "en"})
    data = {"name": "Copy", "slug": "alpha", "city": "X", "region": "Y", "cluster": "Z"}
    response = client.post("/admin/centers/new", data=data)
    assert response.status_code == 422
    assert "Another center already has this slug." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Center.id))) == 2


def test_deactivate_and_reactivate_a_center_never_deletes(client, admin, world):
    client.post("/language", data={"language": "en"})
    center_id = world.b.center.id
    assert client.post(f"/admin/centers/{center_id}/deactivate").status_code == 302
    again = client.post(f"/admin/centers/{center_id}/deactivate")
    assert again.status_code == 422
    assert "already inactive" in again.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Center, center_id).is_active is False
    assert client.post(f"/admin/centers/{center_id}/reactivate").status_code == 302
    db.session.expire_all()
    assert db.session.get(Center, center_id).is_active is True
    entries = audit("center.deactivate") + audit("center.reactivate")
    assert [(e.before, e.after) for e in entries] == [
        ({"is_active": True}, {"is_active": False}), ({"is_active": False}, {"is_active": True})]


def test_tracks_create_edit_and_duplicate_codes(client, admin, world):
    client.post("/language", data={"language": "en"})
    assert client.post("/admin/catalog/tracks/new", data={"code": "cloud", "name": "Cloud"}
                       ).status_code == 302
    duplicate = client.post("/admin/catalog/tracks/new", data={"code": "CLOUD", "name": "Again"})
    assert duplicate.status_code == 422
    assert "Another track already has this code." in duplicate.get_data(as_text=True)
    track = db.session.scalars(sa.select(Track).filter_by(code="cloud")).one()
    client.post(f"/admin/catalog/tracks/{track.id}", data={"code": "cloud", "name": "Cloud computing"})
    entry = audit("track.update")[0]
    assert (entry.before["name"], entry.after["name"]) == ("Cloud", "Cloud computing")


def course_data(world, **overrides) -> dict:
    return {"code": "ROB-201", "title": "Robot arms", "track_id": world.course.track_id,
            "level": "intermediate", "audience": "school", "description": "Servos and kinematics",
            "estimated_hours": "36", "is_published": "y", **overrides}


def test_create_and_edit_a_course(client, admin, world):
    response = client.post("/admin/catalog/courses/new", data=course_data(world))
    course = db.session.scalars(sa.select(Course).filter_by(code="ROB-201")).one()
    assert response.location.endswith(f"/admin/catalog/courses/{course.id}")
    assert (course.estimated_hours, course.level.value, course.is_published) == (36, "intermediate", True)
    client.post(f"/admin/catalog/courses/{course.id}/edit",
                data=course_data(world, is_published="", estimated_hours=""))
    entry = audit("course.update")[0]
    assert entry.before["is_published"] is True and entry.after["is_published"] is False
    assert entry.before["estimated_hours"] == 36 and entry.after["estimated_hours"] is None


@pytest.mark.parametrize("field,value,message", [
    ("code", "", "This field is required."),
    ("estimated_hours", "-3", "Number must be between 1 and 10000."),
    ("estimated_hours", "lots", "Not a valid integer value."),
    ("level", "expert", "Not a valid choice."),
    ("track_id", "999999", "Not a valid choice."),
])
def test_bad_course_input_is_422_and_writes_nothing(client, admin, world, field, value, message):
    client.post("/language", data={"language": "en"})
    response = client.post("/admin/catalog/courses/new", data=course_data(world, **{field: value}))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Course.id))) == 1
    assert audit("course.create") == []


def test_duplicate_course_code_is_a_field_error(client, admin, world):
    client.post("/language", data={"language": "en"})
    response = client.post("/admin/catalog/courses/new",
                           data=course_data(world, code=world.course.code.lower()))
    assert response.status_code == 422
    assert "Another course already has this code." in response.get_data(as_text=True)


def test_course_list_filters_by_track_and_published(client, admin, world):
    make_course(code="HIDDEN-1", title="Draft course")  # the factory publishes it
    draft = db.session.scalars(sa.select(Course).filter_by(code="HIDDEN-1")).one()
    draft.is_published = False
    db.session.commit()
    published = client.get("/admin/catalog/courses?published=yes").get_data(as_text=True)
    drafts = client.get("/admin/catalog/courses?published=no").get_data(as_text=True)
    assert "Draft course" in drafts and "Draft course" not in published
    assert world.course.title in published
    other = client.get("/admin/catalog/courses?track=999999").get_data(as_text=True)
    assert world.course.title not in other
    assert client.get("/admin/catalog/courses?published=maybe").status_code == 400
    assert client.get("/admin/catalog/courses?track=x").status_code == 400


def test_providers_create_edit_and_duplicate_slug(client, admin, world):
    data = {"slug": "oracle", "name": "Oracle", "website": "https://education.oracle.com/"}
    assert client.post("/admin/catalog/providers/new", data=data).status_code == 302
    assert client.post("/admin/catalog/providers/new", data={**data, "name": "x"}).status_code == 422
    bad = client.post("/admin/catalog/providers/new", data={**data, "slug": "Bad Slug"})
    assert bad.status_code == 422
    provider = db.session.scalars(sa.select(Provider).filter_by(slug="oracle")).one()
    client.post(f"/admin/catalog/providers/{provider.id}", data={**data, "website": ""})
    entry = audit("provider.update")[0]
    assert entry.before["website"] == data["website"] and entry.after["website"] is None


def certification_data(world, **overrides) -> dict:
    return {"provider_id": world.certification.provider_id, "name": "Cloud Practitioner",
            "exam_code": "CLF-C02", "level": "foundational", "validity_months": "36",
            "renewal_window_months": "", "voucher_validity_months": "12",
            "retake_wait_days": "14", "min_age": "13", "guardian_acceptance_under": "18",
            "verification_url_pattern": "https://www.credly.com/badges/{id}",
            "readiness_threshold": "80", "course_ids": [str(world.course.id)],
            "is_active": "y", **overrides}


def test_create_and_edit_a_certification_with_rules(client, admin, world):
    assert client.post("/admin/catalog/certifications/new",
                       data=certification_data(world)).status_code == 302
    cert = db.session.scalars(sa.select(Certification).filter_by(name="Cloud Practitioner")).one()
    assert (cert.validity_months, cert.retake_wait_days, cert.readiness_threshold) == (36, 14, 80)
    assert [c.id for c in cert.preparing_courses] == [world.course.id]
    response = client.post(f"/admin/catalog/certifications/{cert.id}", data=certification_data(
        world, validity_months="", course_ids=[], is_active=""))
    assert response.status_code == 302
    entry = audit("certification.update")[0]
    assert entry.before["validity_months"] == 36 and entry.after["validity_months"] is None
    assert entry.before["course_ids"] == [world.course.id] and entry.after["course_ids"] == []
    assert entry.before["is_active"] is True and entry.after["is_active"] is False
    page = client.get("/admin/catalog/certifications").get_data(as_text=True)
    assert "Cloud Practitioner" in page


@pytest.mark.parametrize("overrides,message", [
    ({"verification_url_pattern": "https://www.credly.com/badges/"}, "contains {id} exactly once"),
    ({"verification_url_pattern": "https://x.org/{id}/{id}"}, "contains {id} exactly once"),
    ({"verification_url_pattern": "javascript:alert({id})"}, "contains {id} exactly once"),
    ({"verification_url_pattern": "https://x.org/{ID}"}, "contains {id} exactly once"),
    ({"readiness_threshold": "101"}, "Number must be between 0 and 100."),
    ({"validity_months": "0"}, "Number must be between 1 and 600."),
    ({"retake_wait_days": "-1"}, "Number must be between 0 and 3650."),
    ({"validity_months": "", "renewal_window_months": "6"}, "A renewal window needs a validity"),
    ({"validity_months": "12", "renewal_window_months": "13"}, "cannot be longer than the validity"),
    ({"min_age": "18", "guardian_acceptance_under": "16"}, "must be above the minimum age"),
    ({"name": "Cert"}, "already has a certification with this name"),
    ({"course_ids": ["999999"]}, "Choose courses of the catalog."),
    ({"level": "grandmaster"}, "Not a valid choice."),
])
def test_bad_certification_rules_are_422_and_write_nothing(client, admin, world, overrides,
                                                           message):
    client.post("/language", data={"language": "en"})
    make_certification(name="Cert")
    before = db.session.scalar(sa.select(sa.func.count(Certification.id)))
    response = client.post("/admin/catalog/certifications/new",
                           data=certification_data(world, **overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Certification.id))) == before
    assert audit("certification.create") == []


def test_list_pages_paginate(app, client, admin, world):
    per_page = app.config["PER_PAGE"]
    db.session.add_all(Track(code=f"t{n:03d}", name=f"Track {n:03d}") for n in range(per_page + 1))
    db.session.commit()
    first = client.get("/admin/catalog/tracks").get_data(as_text=True)
    second = client.get("/admin/catalog/tracks?page=2").get_data(as_text=True)
    # The world's own track ("CS") sorts first, so the page ends one earlier.
    assert "Track 000" in first and "Track 048" in first and "Track 049" not in first
    assert "Track 049" in second and "Track 050" in second and "page=2" in first


LIST_PAGES = ADMIN_PAGES


@pytest.mark.parametrize("url", LIST_PAGES)
def test_list_statements_do_not_grow(admin, world, page_statements, url):
    small = page_statements(url)
    for n in range(5):
        course = make_course(code=f"G{n}", title=f"Grown {n}")
        make_certification(name=f"Grown cert {n}", preparing_courses=[course])
        db.session.add(Provider(slug=f"p{n}", name=f"P{n}"))
        db.session.add(Track(code=f"g{n}", name=f"G{n}"))
        db.session.add(Center(slug=f"grown-{n}", name=f"C{n}", city="x", region="y", cluster="z"))
    db.session.commit()
    make_user(Role.ADMIN)
    large = page_statements(url)
    assert small == large, f"{url}: {small} statements before, {large} after"
    assert large <= 10, f"{url}: {large} statements"


def test_a_duplicate_that_slips_past_the_check_is_still_a_field_refusal(world):
    """Two admins saving the same code at once: the second flush hits the unique constraint,
    and the service reports it on the field instead of raising IntegrityError."""
    with pytest.raises(Refused) as refused:
        services.save(Track(), {"code": "cs", "name": "Copy"}, services.TRACK_FIELDS, "track",
                      world.admin, ("code", "taken"))
    assert refused.value.field_name == "code"
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Track.id))) == 1
