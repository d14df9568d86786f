"""What a path card says: the next action and the credential's dates, computed, never stored."""
from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from lms.access import may_see_voucher_code
from lms.certifications.models import Pursuit, Stage, Voucher
from lms.certifications.rules import CredentialState, credential_state, retake_allowed_on
from lms.certifications.services import credential_dates


@dataclass
class PathCard:
    pursuit: Pursuit
    state: CredentialState | None
    expires_on: date | None
    renewal_opens_on: date | None
    retake_on: date | None
    next_action: str

    @property
    def warning(self) -> bool:
        return self.state in (CredentialState.EXPIRED, CredentialState.RENEWAL_DUE,
                              CredentialState.INVALID)


def path_card(pursuit: Pursuit, today: date) -> PathCard:
    """Everything a card or a path page shows about where a pursuit stands today."""
    dates = credential_dates(pursuit)
    state = credential_state(pursuit, today)
    retake_on = (retake_allowed_on(pursuit.certification, pursuit.result_date)
                 if pursuit.stage == Stage.FAILED else None)
    return PathCard(pursuit, state, dates["expires_on"] if pursuit.stage == Stage.PASSED else None,
                    dates["renewal_opens_on"], retake_on,
                    str(_next_action(pursuit, state, retake_on)))


def _next_action(pursuit: Pursuit, state: CredentialState | None, retake_on: date | None):
    threshold = pursuit.certification.readiness_threshold
    actions = {
        Stage.INTERESTED: _l("Choose how to prepare: a course or a platform."),
        Stage.PREPARING: _l("Take a practice test."),
        Stage.PRACTICE: (_l("Reach %(threshold)d %% in practice tests.", threshold=threshold)
                         if threshold else _l("Ask your mentor to sign you off as ready.")),
        Stage.READY: _l("Get a voucher or confirm you pay the exam yourself."),
        Stage.VOUCHER: _l("Book the exam."),
        Stage.WITHDRAWN: _l("This path is closed."),
    }
    if pursuit.stage == Stage.SCHEDULED:
        return _l("Sit the exam on %(date)s.", date=format_date(pursuit.exam_date, "medium"))
    if pursuit.stage == Stage.FAILED:
        return _l("A retake is possible from %(date)s.", date=format_date(retake_on, "medium"))
    if pursuit.stage == Stage.PASSED:
        return {
            CredentialState.UNVERIFIED: _l("Your mentor will verify the credential."),
            CredentialState.RENEWAL_DUE: _l("Renew the credential before it expires."),
            CredentialState.EXPIRED: _l("The credential has expired: plan a new exam."),
            CredentialState.INVALID: _l("The credential was marked invalid."),
        }.get(state, _l("Certified."))
    return actions[pursuit.stage]


def shown_code(voucher: Voucher, user) -> str:
    """A voucher code as `user` may see it: whole, or the last four characters."""
    return voucher.code if may_see_voucher_code(user) else voucher.masked_code
