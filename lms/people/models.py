"""Mentors' notes about a student (visible to the staff of the student's center)."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.extensions import db
from lms.core.model_types import utcnow
from lms.users.models import User


class StudentNote(db.Model):
    __tablename__ = "student_notes"
    __table_args__ = (sa.Index("ix_student_notes_student_created", "student_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
