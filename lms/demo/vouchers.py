"""Demo exam vouchers of one center: funded, with realistic codes, in every status."""
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from lms.catalog.models import Certification
from lms.centers.models import Center
from lms.certifications.models import Voucher, VoucherStatus
from lms.certifications.rules import add_months
from lms.core.extensions import db
from lms.demo.catalog import CERTIFICATIONS

PRICES = {spec["key"]: spec["exam"]["price"] for spec in CERTIFICATIONS if spec["exam"]}
PREFIXES = {"aws": "AWS", "microsoft": "MSFT", "cisco": "CSCO", "comptia": "CMPT"}
FUNDERS = ["USAID", "UNDP", "EU4Business", "IT Ukraine Association"]
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I look-alikes
DEFAULT_VALIDITY_MONTHS = 12


class VoucherBook:
    """Issues the vouchers of one center, each code unique within the build."""

    def __init__(self, center: Center, certs: dict[str, Certification], rng: random.Random):
        self.center, self.certs, self.rng = center, certs, rng
        self.codes: set[str] = set()

    def issue(self, key: str, issued: date, status: VoucherStatus,
              any_of_provider: bool = False) -> Voucher:
        """A voucher for a certification (or any of its provider's), added to the session."""
        cert = self.certs[key]
        months = cert.voucher_validity_months or DEFAULT_VALIDITY_MONTHS
        voucher = Voucher(
            center_id=self.center.id, provider_id=cert.provider.id,
            certification_id=None if any_of_provider else cert.id,
            code=self._code(cert.provider.slug), value=Decimal(PRICES[key]), currency="USD",
            funder=self.rng.choice(FUNDERS), issued_on=issued,
            expires_on=add_months(issued, months), status=status,
            created_at=datetime.combine(issued, time(10, 0)))
        db.session.add(voucher)
        return voucher

    def _code(self, provider: str) -> str:
        """A code like AWS-7K2Q-9PLM-X4RT-C8NW."""
        while True:
            groups = ["".join(self.rng.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(4)]
            code = "-".join([PREFIXES.get(provider, provider.upper()), *groups])
            if code not in self.codes:
                self.codes.add(code)
                return code

    def issue_spares(self, keys: list[str], today: date) -> None:
        """Vouchers on no pursuit: six available, two expired unused, one revoked."""
        rng = self.rng
        for n in range(6):
            issued = today - timedelta(days=rng.randint(5, 120))
            self.issue(rng.choice(keys), issued, VoucherStatus.AVAILABLE, any_of_provider=n == 0)
        for _ in range(2):
            self.issue(rng.choice(keys), add_months(today, -15), VoucherStatus.EXPIRED)
        revoked = self.issue("aws-clf", today - timedelta(days=40), VoucherStatus.REVOKED)
        revoked.revoke_reason = "Фундатор відкликав невикористані ваучери програми"
