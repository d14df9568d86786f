"""Each class session keeps its attended and counted marks (the dashboards sum sessions, not a
year of marks). The marking service recounts them from the marks on file under the session's
row lock, so no other marking of it is in between; the rebuild recounts every session."""
import sqlalchemy as sa

from lms.attendance.models import Attendance, AttendanceStatus, ClassSession
from lms.attendance.rates import ATTENDED
from lms.core.extensions import db


def recount_tallies(session_id: int) -> None:
    """Count a session's attended and counted marks again, from its marks on file (the caller
    holds the session's row lock, so no other marking of it is in between)."""
    db.session.execute(set_tallies().where(ClassSession.id == session_id))


def _tally(condition):
    return (sa.select(sa.func.count()).select_from(Attendance)
            .where(Attendance.session_id == ClassSession.id, condition).scalar_subquery())


def set_tallies() -> sa.Update:
    """UPDATE of the sessions' tallies from their marks: present or late count as attended,
    all but an excused absence count, as in lms/attendance/rates.py."""
    return sa.update(ClassSession).values(
        attended_count=_tally(Attendance.status.in_(ATTENDED)),
        counted_count=_tally(Attendance.status != AttendanceStatus.EXCUSED))
