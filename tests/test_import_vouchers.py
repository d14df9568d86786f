"""CSV import of vouchers: catalog look-ups, codes unique per provider, idempotent, all or nothing."""
from decimal import Decimal

import pytest
import sqlalchemy as sa

from lms.certifications.models import Voucher, VoucherStatus
from lms.core.audit import AuditEntry
from lms.core.extensions import db
from tests.factories import make_certification, make_voucher
from tests.imports_helpers import row_html, staged, table_rows

HEADER = "Provider,Certification exam code,Voucher code,Value,Currency,Funder,Issued on,Expires on\n"


@pytest.fixture
def exam():
    return make_certification(name="Cloud Practitioner", exam_code="CLF-C02")


def test_vouchers_are_imported_once(client, world, head, exam):
    content = HEADER + ("aws,CLF-C02,AWS-0001,\"150,50\",usd,USAID,2026-01-10,31.12.2026\n"
                        "Amazon Web Services,cloud practitioner,AWS-0002,,,,10.01.2026,\n"
                        "aws,,AWS-0003,0,UAH,EU4Business,2026-01-10,\n")
    before = {v.id for v in db.session.scalars(sa.select(Voucher))}
    first = staged(client, "vouchers", content)
    assert client.post(f"/imports/{first}/commit").status_code == 302
    created = db.session.scalars(sa.select(Voucher).where(Voucher.id.not_in(before))
                                 .order_by(Voucher.code)).all()
    assert [v.code for v in created] == ["AWS-0001", "AWS-0002", "AWS-0003"]
    one, two, three = created
    assert one.value == Decimal("150.50") and one.currency == "USD" and one.funder == "USAID"
    assert one.certification_id == exam.id and one.expires_on.isoformat() == "2026-12-31"
    assert two.certification_id == exam.id and two.currency == "USD" and two.value is None
    assert three.certification_id is None and three.currency == "UAH"
    assert all(v.center_id == world.a.center.id and v.status == VoucherStatus.AVAILABLE
               for v in created)
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "voucher.create")
                                 .order_by(AuditEntry.object_id)).all()
    assert [e.object_id for e in entries] == [v.id for v in created]
    assert entries[0].after["value"] == "150.50" and entries[0].after["issued_on"] == "2026-01-10"

    state = table_rows(Voucher.__table__)
    second = staged(client, "vouchers", content)
    html = client.get(f"/imports/{second}").get_data(as_text=True)
    assert all("Already exists" in row_html(html, line) for line in (2, 3, 4))
    assert client.post(f"/imports/{second}/commit").status_code == 302
    db.session.expire_all()
    assert table_rows(Voucher.__table__) == state


def test_bad_voucher_rows_write_nothing_and_every_problem_is_reported(client, world, head, exam):
    foreign = make_voucher(world.b.center, exam, code="TAKEN-1")
    content = HEADER + "\n".join([
        ",CLF-C02,V-1,,,,2026-01-01,",                       # 2 provider missing
        "nowhere,,V-2,,,,2026-01-01,",                       # 3
        "aws,SAA-C03,V-3,,,,2026-01-01,",                    # 4
        "aws,,,,,,2026-01-01,",                              # 5 code missing
        "aws,,V-5,lots,,,2026-01-01,",                       # 6
        "aws,,V-6,10,dollars,,2026-01-01,",                  # 7
        "aws,,V-7,,,,,",                                     # 8 issued missing
        "aws,,V-8,,,,2026-05-01,2026-04-01",                 # 9
        "aws,,V-9,,,,1.1.26,",                               # 10
        "aws,,V-10,,,,2026-01-01,",                          # 11
        "aws,,v-10,,,,2026-01-01,",                          # 12 same code, other case
        f"aws,,{foreign.code},,,,2026-01-01,",               # 13 another center's voucher
        "aws,,V-13,-5,,,2026-01-01,",                        # 14
    ]) + "\n"
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Voucher))
    batch_id = staged(client, "vouchers", content)
    html = client.get(f"/imports/{batch_id}").get_data(as_text=True)
    expected = {
        2: "Provider is required.",
        3: "Unknown provider “nowhere”.",
        4: "Unknown certification “SAA-C03” of Amazon Web Services.",
        5: "Voucher code is required.",
        6: "“lots” is not an amount of money.",
        7: "“dollars” is not a currency code",
        8: "Issued on is required.",
        9: "The voucher expires before it was issued.",
        10: "“1.1.26” is not a date",
        12: "Duplicate of line 11 in this file.",
        13: "already registered at another center",
        14: "“-5” is not an amount of money.",
    }
    for line, message in expected.items():
        assert message in row_html(html, line), (line, row_html(html, line))
    assert client.post(f"/imports/{batch_id}/commit").status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Voucher)) == count
