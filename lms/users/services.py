"""People queries shared by the screens: students of a center, minors without consent."""

from email_validator import EmailNotValidError, validate_email

from lms.audit.services import record
from lms.auth.passwords import MIN_PASSWORD, hash_password
from lms.auth.services import find_user_by_email, normalize_email
from lms.core.extensions import db
from lms.users.models import Role, User


class AccountError(ValueError):
    """An account cannot be created as asked (the message says why)."""


def create_admin_account(*, email: str, full_name: str, password: str) -> User:
    """Add a cluster administrator to the session (the caller commits)."""
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        raise AccountError(f"Invalid email: {error}") from error
    if find_user_by_email(email):
        raise AccountError(f"An account with {email} already exists.")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"The password needs at least {MIN_PASSWORD} characters.")
    if not full_name.strip():
        raise AccountError("The full name is required.")
    user = User(email=normalize_email(email), full_name=full_name.strip(), role=Role.ADMIN,
                password_hash=hash_password(password), locale="uk")
    db.session.add(user)
    db.session.flush()
    record("user.create", user, after={"email": user.email, "role": "admin"}, center_id=None)
    return user
