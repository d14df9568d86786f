"""Import every domain's models so metadata (Alembic, create_all) sees all tables."""
from lms.attendance.models import Attendance, ClassSession, class_session_lessons  # noqa: F401
from lms.auth.models import UserSession  # noqa: F401
from lms.catalog.models import (  # noqa: F401
    Certification,
    Course,
    CourseModule,
    Lesson,
    Provider,
    Track,
    certification_courses,
)
from lms.centers.models import Center  # noqa: F401
from lms.certifications.models import (  # noqa: F401
    Evidence,
    PracticeScore,
    Pursuit,
    PursuitStageChange,
    Voucher,
)
from lms.cohorts.models import Cohort, Enrollment, cohort_mentors  # noqa: F401
from lms.core.audit import AuditEntry  # noqa: F401
from lms.imports.models import ImportBatch  # noqa: F401
from lms.people.models import StudentNote  # noqa: F401
from lms.progress.models import LessonProgress, ProgressEvent  # noqa: F401
from lms.tokens.models import AccessToken  # noqa: F401
from lms.users.models import StudentProfile, User  # noqa: F401
from lms.worklog.models import MarkedSession, WorkDay  # noqa: F401
