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


def path_card(pursuit: Pursuit, today: date, *, for_staff: bool = False) -> PathCard:
    """Everything a card or a path page shows about where a pursuit stands today; the next
    action is addressed to its reader: the student, or (`for_staff`) their mentor or head."""
    dates = credential_dates(pursuit)
    state = credential_state(pursuit, today)
    retake_on = (retake_allowed_on(pursuit.certification, pursuit.result_date)
                 if pursuit.stage == Stage.FAILED else None)
    action = (_staff_action if for_staff else _student_action)(pursuit, state, retake_on)
    return PathCard(pursuit, state, dates["expires_on"] if pursuit.stage == Stage.PASSED else None,
                    dates["renewal_opens_on"], retake_on, str(action))


def _student_action(pursuit: Pursuit, state: CredentialState | None, retake_on: date | None):
    """What the student can do next: in the product (report a result, add evidence) or outside
    it; the stage moves themselves are the staff's, so the student is told whom to ask."""
    threshold = pursuit.certification.readiness_threshold
    actions = {
        Stage.INTERESTED: _l("Ask your mentor how to prepare: a course of the center or a "
                             "platform."),
        Stage.PREPARING: _l("Take a practice test."),
        Stage.PRACTICE: (_l("Reach %(threshold)d %% in practice tests.", threshold=threshold)
                         if threshold else _l("Ask your mentor to sign you off as ready.")),
        Stage.READY: _l("Ask your mentor for a voucher, or tell them you pay for the exam "
                        "yourself."),
        Stage.VOUCHER: _l("Book the exam and tell your mentor the date."),
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


def _staff_action(pursuit: Pursuit, state: CredentialState | None, retake_on: date | None):
    """The same stages as the staff's next step with this student."""
    threshold = pursuit.certification.readiness_threshold
    actions = {
        Stage.INTERESTED: _l("Agree with the student how to prepare, then move the path to "
                             "Preparing."),
        Stage.PREPARING: _l("Record the student's practice tests."),
        Stage.PRACTICE: (_l("The student needs %(threshold)d %% in practice tests.",
                            threshold=threshold)
                         if threshold else _l("Sign the student off as ready when they are.")),
        Stage.READY: _l("Assign a voucher, or record that the student pays for the exam."),
        Stage.VOUCHER: _l("Record the exam date once the student has booked it."),
        Stage.WITHDRAWN: _l("This path is closed."),
    }
    if pursuit.stage == Stage.SCHEDULED:
        return _l("Exam on %(date)s.", date=format_date(pursuit.exam_date, "medium"))
    if pursuit.stage == Stage.FAILED:
        return _l("A retake is possible from %(date)s.", date=format_date(retake_on, "medium"))
    if pursuit.stage == Stage.PASSED:
        return {
            CredentialState.UNVERIFIED: _l("Verify the credential: check its details and "
                                           "evidence."),
            CredentialState.RENEWAL_DUE: _l("The credential is due for renewal."),
            CredentialState.EXPIRED: _l("The credential has expired."),
            CredentialState.INVALID: _l("The credential was marked invalid."),
        }.get(state, _l("Certified."))
    return actions[pursuit.stage]


def shown_code(voucher: Voucher, user) -> str:
    """A voucher code as `user` may see it: whole, or the last four characters."""
    return voucher.code if may_see_voucher_code(user) else voucher.masked_code
