"""The voucher stock over HTTP: list, CSV, add, revoke, a voucher's history, and scope."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from lms.certifications import voucher_assignment
from lms.certifications.models import Stage, Voucher, VoucherStatus
from lms.core.extensions import db
from tests.factories import audit, count, english, make_certification, make_pursuit, make_voucher

# One world for the module: each test's writes are rolled back to the module's savepoint.
pytestmark = pytest.mark.usefixtures("module_world")

TODAY = date.today()


def form(world, **changes) -> dict:
    data = {"provider_id": world.certification.provider_id,
            "certification_id": str(world.certification.id), "code": "AWS-NEW-123456",
            "value": "150.00", "currency": "usd", "funder": "UNDP",
            "issued_on": TODAY.isoformat(), "expires_on": (TODAY + timedelta(days=365)).isoformat()}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def stock(world):
    """Center a's stock: its world voucher plus one expiring soon, one expired, one revoked."""
    english(world.a.head, world.b.head, world.admin)
    cert = world.certification
    world.soon = make_voucher(world.a.center, cert, code="SOON-0001",
                              expires_on=TODAY + timedelta(days=10))
    world.old = make_voucher(world.a.center, cert, code="OLD-0002", issued_on=TODAY - timedelta(
        days=400), expires_on=TODAY - timedelta(days=5))
    world.gone = make_voucher(world.a.center, cert, code="GONE-0003",
                              status=VoucherStatus.REVOKED, revoke_reason="lost")
    return world


# --- list and CSV --------------------------------------------------------------------------

def codes_on(client, query: str = "") -> set[str]:
    page = client.get(f"/vouchers/{query}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    return {code for code in ("SOON-0001", "OLD-0002", "GONE-0003") if code in text}


def test_head_sees_own_stock_with_full_codes_and_filters(client, login, stock):
    login(stock.a.head)
    page = client.get("/vouchers/").get_data(as_text=True)
    assert stock.a.voucher.code in page and stock.b.voucher.code not in page
    assert codes_on(client) == {"SOON-0001", "OLD-0002", "GONE-0003"}
    assert codes_on(client, "?status=available") == {"SOON-0001"}
    assert codes_on(client, "?status=expired") == {"OLD-0002"}
    assert codes_on(client, "?status=revoked") == {"GONE-0003"}
    assert codes_on(client, "?expiring=1") == {"SOON-0001"}
    assert codes_on(client, f"?provider={stock.certification.provider_id}") == {
        "SOON-0001", "OLD-0002", "GONE-0003"}
    other = make_certification(name="Other cert")
    make_voucher(stock.a.center, other, code="OTHER-0004")
    page = client.get(f"/vouchers/?certification={other.id}").get_data(as_text=True)
    assert "OTHER-0004" in page and "SOON-0001" not in page


def test_admin_sees_every_center_and_filters_by_center(client, login, stock):
    login(stock.admin)
    page = client.get("/vouchers/").get_data(as_text=True)
    assert stock.a.voucher.code in page and stock.b.voucher.code in page
    page = client.get(f"/vouchers/?center={stock.b.center.id}").get_data(as_text=True)
    assert stock.b.voucher.code in page and "SOON-0001" not in page


@pytest.mark.parametrize("query", ["status=lost", "provider=x", "expiring=yes", "page=0a"])
def test_bad_filter_values_are_a_bad_request(client, login, stock, query):
    login(stock.a.head)
    assert client.get(f"/vouchers/?{query}").status_code == 400


def test_mentors_and_students_have_no_stock_pages(client, login, stock):
    for user in (stock.a.mentor, stock.a.student):
        login(user)
        assert client.get("/vouchers/").status_code == 403
        assert client.get(f"/vouchers/{stock.a.voucher.id}").status_code == 403


def test_csv_has_full_codes_of_own_center(client, login, stock):
    login(stock.a.head)
    response = client.get("/vouchers/export.csv?expiring=1", buffered=True)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    assert body.startswith('\ufeff"Center","Provider","Certification","Code","Status"')
    assert "SOON-0001" in body and "OLD-0002" not in body and stock.b.voucher.code not in body


# --- add -------------------------------------------------------------------------------------

def test_head_adds_a_voucher_and_it_is_audited_without_its_code(client, login, stock):
    login(stock.a.head)
    response = client.post("/vouchers/new", data=form(stock))
    assert response.status_code == 302
    voucher = db.session.scalars(sa.select(Voucher).where(Voucher.code == "AWS-NEW-123456")).one()
    assert response.location.endswith(f"/vouchers/{voucher.id}")
    assert voucher.center_id == stock.a.center.id and voucher.currency == "USD"
    assert str(voucher.value) == "150.00" and voucher.status == VoucherStatus.AVAILABLE
    [entry] = audit("voucher.create")
    assert entry.before is None and entry.actor_id == stock.a.head.id
    assert entry.after["status"] == "available" and entry.after["funder"] == "UNDP"
    assert entry.after["code"] == "•••• 3456"  # the secret never enters the log
    assert "AWS-NEW-123456" not in str(entry.after)


def test_any_certification_of_the_provider_and_vendor_voucher_validity(client, login, stock):
    stock.certification.voucher_validity_months = 12
    db.session.commit()
    login(stock.a.head)
    assert client.post("/vouchers/new", data=form(stock, certification_id="",
                                                  code="ANY-1")).status_code == 302
    assert client.post("/vouchers/new", data=form(stock, expires_on="",
                                                  code="VALID-1")).status_code == 302
    any_cert = db.session.scalars(sa.select(Voucher).where(Voucher.code == "ANY-1")).one()
    dated = db.session.scalars(sa.select(Voucher).where(Voucher.code == "VALID-1")).one()
    assert any_cert.certification_id is None
    assert dated.expires_on.year == TODAY.year + 1


def test_admin_adds_to_a_chosen_center(client, login, stock):
    login(stock.admin)
    data = form(stock, center_id=str(stock.b.center.id))
    assert client.post("/vouchers/new", data=data).status_code == 302
    voucher = db.session.scalars(sa.select(Voucher).where(Voucher.code == "AWS-NEW-123456")).one()
    assert voucher.center_id == stock.b.center.id


def test_head_form_has_no_center_choice(client, login, stock):
    login(stock.a.head)
    page = client.get("/vouchers/new").get_data(as_text=True)
    assert 'name="center_id"' not in page
    # a posted center is ignored: the voucher goes to the head's own center
    client.post("/vouchers/new", data=form(stock, center_id=str(stock.b.center.id)))
    voucher = db.session.scalars(sa.select(Voucher).where(Voucher.code == "AWS-NEW-123456")).one()
    assert voucher.center_id == stock.a.center.id


ADD_REFUSALS = {
    "duplicate code": (dict(code="SOON-0001"),
                       "A voucher with this code already exists for this provider."),
    "negative value": (dict(value="-1"), "The value cannot be negative."),
    "huge value": (dict(value="1e12"), "The value is too large."),
    "expiry before issue": (dict(expires_on=(TODAY - timedelta(days=1)).isoformat()),
                            "The expiry date cannot be before the issue date."),
    "bad currency": (dict(currency="US"), "Three letters, e.g. UAH, USD or EUR."),
    "no code": (dict(code=" "), "This field is required."),
    "bad date": (dict(issued_on="2026-13-01"), "Not a valid date value."),
    "not a number": (dict(value="ten"), "Not a valid decimal value."),
}


@pytest.mark.parametrize("case", list(ADD_REFUSALS))
def test_add_refusals_write_nothing(client, login, stock, case):
    changes, message = ADD_REFUSALS[case]
    login(stock.a.head)
    before = count(Voucher)
    response = client.post("/vouchers/new", data=form(stock, **changes))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(Voucher) == before and audit("voucher.create") == []


def test_certification_of_another_provider_is_refused(client, login, stock):
    from lms.catalog.models import Certification, CertificationLevel, Provider
    cisco = Provider(slug="cisco", name="Cisco")
    ccna = Certification(provider=cisco, name="CCNA", level=CertificationLevel.ASSOCIATE)
    db.session.add_all([cisco, ccna])
    db.session.commit()
    login(stock.a.head)
    response = client.post("/vouchers/new", data=form(stock, certification_id=str(ccna.id)))
    assert response.status_code == 422
    assert "Choose a certification of the voucher" in response.get_data(as_text=True)
    # the same code under another provider is fine
    assert client.post("/vouchers/new", data=form(
        stock, provider_id=cisco.id, certification_id=str(ccna.id), code="SOON-0001")
    ).status_code == 302


# --- revoke and history ----------------------------------------------------------------------

def test_revoke_an_available_voucher_records_before_and_after(client, login, stock):
    login(stock.a.head)
    response = client.post(f"/vouchers/{stock.soon.id}/revoke", data={"reason": "Funder withdrew"})
    assert response.status_code == 302
    db.session.expire_all()
    voucher = db.session.get(Voucher, stock.soon.id)
    assert voucher.status == VoucherStatus.REVOKED and voucher.revoke_reason == "Funder withdrew"
    [entry] = audit("voucher.revoke")
    assert entry.before == {"status": "available"}
    assert entry.after == {"status": "revoked", "revoke_reason": "Funder withdrew"}
    assert entry.actor_id == stock.a.head.id and entry.center_id == stock.a.center.id


def test_an_assigned_voucher_must_be_released_first(client, login, stock):
    pursuit = make_pursuit(stock.a.minor, stock.certification, stage=Stage.READY)
    voucher_assignment.assign(pursuit, stock.soon.id, stock.a.mentor, TODAY)
    db.session.commit()
    login(stock.a.head)
    response = client.post(f"/vouchers/{stock.soon.id}/revoke", data={"reason": "x"})
    assert response.status_code == 422
    assert "Release it through that path first" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Voucher, stock.soon.id).status == VoucherStatus.ASSIGNED
    assert audit("voucher.revoke") == []


@pytest.mark.parametrize("data, message", [
    ({"reason": "again"}, "Only an available voucher can be revoked; this one is “Revoked”."),
    ({"reason": ""}, "This field is required."),
])
def test_other_revoke_refusals(client, login, stock, data, message):
    login(stock.a.head)
    target = stock.gone if data["reason"] else stock.soon
    response = client.post(f"/vouchers/{target.id}/revoke", data=data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert audit("voucher.revoke") == []


def test_voucher_page_shows_full_history(client, login, stock):
    login(stock.a.head)
    client.post("/vouchers/new", data=form(stock, code="HIST-9999"))
    voucher = db.session.scalars(sa.select(Voucher).where(Voucher.code == "HIST-9999")).one()
    pursuit = make_pursuit(stock.a.minor, stock.certification, stage=Stage.READY)
    voucher_assignment.assign(pursuit, voucher.id, stock.a.mentor, TODAY)
    voucher_assignment.release(pursuit, stock.a.mentor)
    db.session.commit()
    client.post(f"/vouchers/{voucher.id}/revoke", data={"reason": "Expired contract"})
    full = client.get(f"/vouchers/{voucher.id}").get_data(as_text=True)
    assert "HIST-9999" in full  # a head sees the whole code
    page = full.split('id="history-title"', 1)[1]
    order = ["Added to the stock", "Assigned to a path", "Released to the stock", "Revoked"]
    positions = [page.index(label) for label in order]
    assert positions == sorted(positions)
    assert stock.a.mentor.full_name in page and stock.a.head.full_name in page
    assert "Expired contract" in page and "HIST-9999" not in page  # the log keeps 4 characters
    assert page.count("table-warning") >= 4  # changed keys are highlighted


def test_another_centers_voucher_is_not_found(client, login, stock):
    login(stock.a.head)
    target = stock.b.voucher
    assert client.get(f"/vouchers/{target.id}").status_code == 404
    assert client.post(f"/vouchers/{target.id}/revoke", data={"reason": "x"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Voucher, target.id).status == VoucherStatus.AVAILABLE


# --- pages: statements and languages -------------------------------------------------------

def grow(world, count: int) -> None:
    for n in range(count):
        pursuit = make_pursuit(world.a.student, make_certification(), stage=Stage.VOUCHER)
        make_voucher(world.a.center, pursuit.certification, status=VoucherStatus.ASSIGNED,
                     pursuit_id=pursuit.id, expires_on=TODAY + timedelta(days=n))
        make_voucher(world.b.center, world.certification)


@pytest.mark.parametrize("who, url", [
    ("head", lambda w: "/vouchers/"), ("admin", lambda w: "/vouchers/"),
    ("head", lambda w: "/vouchers/new"), ("admin", lambda w: "/vouchers/new"),
    ("head", lambda w: f"/vouchers/{w.a.voucher.id}"),
])
def test_statement_count_does_not_grow_with_data(client, login, world, page_statements, who, url):
    login(world.admin if who == "admin" else world.a.head)
    small = page_statements(url(world))
    grow(world, 6)
    client.post(f"/vouchers/{world.a.voucher.id}/revoke", data={"reason": "history grows"})
    large = page_statements(url(world))
    assert small == large, (small, large)
    assert large <= 10, large


@pytest.mark.parametrize("language", ["uk", "en"])
def test_pages_render_in_both_languages(client, login, world, language):
    world.a.head.locale = language
    db.session.commit()
    login(world.a.head)
    for url in ("/vouchers/", "/vouchers/new", f"/vouchers/{world.a.voucher.id}",
                "/vouchers/export.csv"):
        response = client.get(url, buffered=True)
        assert response.status_code == 200, url
        assert world.a.voucher.code in response.get_data(as_text=True) or url.endswith("new")
