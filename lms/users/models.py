"""People: every account, and the student profile with demographics and guardian consent."""
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.centers.models import Center
from lms.core.extensions import db
from lms.core.model_types import Choice, enum_type, set_labels, utcnow

# Below this age a student needs a guardian's recorded consent (SPEC §2).
CONSENT_AGE = 16


class Role(Choice):
    STUDENT = "student"
    MENTOR = "mentor"
    HEAD = "head"
    ADMIN = "admin"


class Sex(Choice):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    NOT_STATED = "not_stated"


class YesNo(Choice):
    YES = "yes"
    NO = "no"
    NOT_STATED = "not_stated"


class Settlement(Choice):
    URBAN = "urban"
    RURAL = "rural"


class LearnerType(Choice):
    SCHOOL = "school"
    UNIVERSITY = "university"
    OTHER = "other"


# One call per enumeration: their members are strings, and in a single dict literal
# Sex.OTHER and LearnerType.OTHER (both "other") would be one key.
set_labels({Role.STUDENT: _l("Student"), Role.MENTOR: _l("Mentor"),
            Role.HEAD: _l("Center head"), Role.ADMIN: _l("Administrator")})
set_labels({Sex.FEMALE: _l("Female"), Sex.MALE: _l("Male"), Sex.OTHER: _l("Other"),
            Sex.NOT_STATED: _l("Not stated")})
set_labels({YesNo.YES: _l("Yes"), YesNo.NO: _l("No"), YesNo.NOT_STATED: _l("Not stated")})
set_labels({Settlement.URBAN: _l("Urban"), Settlement.RURAL: _l("Rural")})
set_labels({LearnerType.SCHOOL: _l("School student"),
            LearnerType.UNIVERSITY: _l("University student"),
            LearnerType.OTHER: _l("Other learner")})


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        # Case-insensitive uniqueness, whatever case a caller stored.
        sa.Index("uq_users_email_lower", sa.func.lower(sa.text("email")), unique=True),
        sa.CheckConstraint("role = 'admin' OR center_id IS NOT NULL", name="center_unless_admin"),
        sa.CheckConstraint("locale IN ('uk', 'en')", name="locale"),
        sa.Index("ix_users_center_role", "center_id", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    full_name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[Role] = mapped_column(enum_type(Role, "role"))
    center_id: Mapped[int | None] = mapped_column(sa.ForeignKey("centers.id"))
    locale: Mapped[str] = mapped_column(sa.String(5), default="uk")
    is_active: Mapped[bool] = mapped_column(default=True)
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    # Bumped when the password changes or the account is deactivated: every session begun
    # under an older version stops working (lms/auth/sessions.py).
    session_version: Mapped[int] = mapped_column(default=1)
    last_login_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Bumped each time a password-reset link is sent: only the newest link works.
    reset_version: Mapped[int] = mapped_column(default=0, server_default="0")

    center: Mapped[Center | None] = relationship(lazy="joined")
    profile: Mapped["StudentProfile | None"] = relationship(back_populates="user", uselist=False)

    # The key of the server-side session (lms/auth/sessions.py) this object was signed in or
    # loaded for; set per request, not a column.
    session_key = None

    def get_id(self) -> str:
        """What Flask-Login keeps in the cookies: the user and the session, checked by the loader."""
        return f"{self.id}.{self.session_key or ''}"

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class StudentProfile(db.Model):
    __tablename__ = "student_profiles"
    __table_args__ = (sa.Index("ix_student_profiles_archived_at", "archived_at"),)

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    date_of_birth: Mapped[date | None]
    sex: Mapped[Sex] = mapped_column(enum_type(Sex, "sex"), default=Sex.NOT_STATED)
    disability: Mapped[YesNo] = mapped_column(enum_type(YesNo, "disability"), default=YesNo.NOT_STATED)
    displaced: Mapped[YesNo] = mapped_column(enum_type(YesNo, "displaced"), default=YesNo.NOT_STATED)
    settlement: Mapped[Settlement | None] = mapped_column(enum_type(Settlement, "settlement"))
    learner_type: Mapped[LearnerType] = mapped_column(
        enum_type(LearnerType, "learner_type"), default=LearnerType.OTHER
    )
    institution: Mapped[str | None] = mapped_column(sa.String(200))
    grade: Mapped[str | None] = mapped_column(sa.String(40))
    guardian_name: Mapped[str | None] = mapped_column(sa.String(200))
    guardian_contact: Mapped[str | None] = mapped_column(sa.String(200))
    guardian_consent_on: Mapped[date | None]
    archived_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="profile")

    def age_on(self, day: date) -> int | None:
        """Whole years of age on a day, or None when the birth date is unknown."""
        born = self.date_of_birth
        if born is None:
            return None
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def needs_consent(self, today: date) -> bool:
        """A minor under the consent age without a recorded guardian consent (SPEC §2)."""
        age = self.age_on(today)
        return age is not None and age < CONSENT_AGE and self.guardian_consent_on is None
