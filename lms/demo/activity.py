"""Demo teaching activity of one center: cohorts, enrollments, lesson progress and attendance."""
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from lms.attendance.models import Attendance, AttendanceStatus, ClassSession, class_session_lessons
from lms.catalog.models import Course, CourseModule, Lesson
from lms.centers.models import Center
from lms.cohorts.models import Cohort, CohortStatus, Enrollment, EnrollmentStatus, TimetableSlot
from lms.core.extensions import db
from lms.demo.people import CenterPeople
from lms.progress.models import LessonProgress, ProgressEvent, ProgressStatus

# Which courses each demo center runs, oldest first: (course code, status).
COHORT_PLANS = {
    "kramatorsk": [("CS-101", "finished"), ("ROB-101", "running"), ("CLD-101", "running"),
                   ("CS-201", "planned")],
    "mariupol": [("ROB-201", "finished"), ("CS-101", "running"), ("CLD-102", "running"),
                 ("ROB-301", "planned")],
    "sievierodonetsk": [("CLD-101", "finished"), ("CS-202", "running"), ("CS-120", "running"),
                        ("CLD-102", "planned")],
}
# (start, end) in days from today.
COHORT_DATES = {"finished": [(-175, -105)], "running": [(-63, 35), (-70, 28)],
                "planned": [(21, 105)]}
# Schedule notes: what a timetable does not say.
SCHEDULES = [
    "Під час шкільних канікул занять немає", "Під час тривоги — в укритті, далі онлайн",
    "Змішаний формат: посилання на Google Meet у групі", "Ноутбуки видає центр",
]
# The weekly classes of a center's running cohorts, in plan order: (weekday, start, end, place);
# 0 = Monday. Both mentors of a demo center teach both running cohorts, so together the two
# timetables put a class on every day of the week: whoever signs in sees a "Today" with a class.
TIMETABLES = [
    [(0, time(16, 0), time(17, 30), "Аудиторія 204"), (2, time(16, 0), time(17, 30), "Аудиторія 204"),
     (4, time(15, 0), time(16, 30), "Лабораторія робототехніки"),
     (5, time(10, 0), time(12, 0), "Лабораторія робототехніки")],
    [(1, time(17, 0), time(18, 30), "Комп'ютерний клас 2"),
     (3, time(17, 0), time(18, 30), "Комп'ютерний клас 2"),
     (6, time(11, 0), time(12, 30), "Онлайн (Google Meet)")],
]
SEASONS = {12: "зима", 1: "зима", 2: "зима", 3: "весна", 4: "весна", 5: "весна", 6: "літо",
           7: "літо", 8: "літо", 9: "осінь", 10: "осінь", 11: "осінь"}
WITHDRAW_REASONS = [
    "Родина переїхала в іншу область", "Збіг із розкладом у школі", "Виїзд за кордон",
    "Стан здоров'я", "Немає стабільного інтернету після обстрілів",
]
FEEDBACK = [
    "Чудова робота!", "Добре, але перевір обробку помилок.", "Акуратний код, так тримати.",
    "Не вистачає коментарів і пояснень.", "Звіт неповний — доповни висновки.",
    "Відмінно розібрався(лася) з темою.", "Переглянь ще раз умову завдання.",
]
ABSENCE_REMARKS = {
    AttendanceStatus.LATE: ["Повітряна тривога", "Запізнення транспорту", ""],
    AttendanceStatus.ABSENT: ["Без попередження", "Відключення світла", ""],
    AttendanceStatus.EXCUSED: ["Хворіє, є довідка", "Шкільна олімпіада", "Евакуація родини"],
}
SESSIONS_PER_COHORT = 8


@dataclass
class LessonRow:
    id: int
    title: str
    max_score: int | None


def course_lessons(course_ids: list[int]) -> dict[int, list[LessonRow]]:
    """Required, current lessons of each course in teaching order."""
    query = (sa.select(CourseModule.course_id, Lesson.id, Lesson.title, Lesson.max_score)
             .join(Lesson, Lesson.module_id == CourseModule.id)
             .where(CourseModule.course_id.in_(course_ids), Lesson.is_required, ~Lesson.is_retired)
             .order_by(CourseModule.course_id, CourseModule.position, Lesson.position))
    lessons: dict[int, list[LessonRow]] = {course_id: [] for course_id in course_ids}
    for course_id, *row in db.session.execute(query):
        lessons[course_id].append(LessonRow(*row))
    return lessons


def create_cohorts(center: Center, people: CenterPeople, courses: dict[str, Course],
                   today: date, rng: random.Random) -> list[Cohort]:
    """The center's cohorts with their mentors; flushed."""
    cohorts, used = [], {"finished": 0, "running": 0, "planned": 0}
    plan = COHORT_PLANS.get(center.slug, COHORT_PLANS["kramatorsk"])
    for index, (code, status) in enumerate(plan):
        start, end = COHORT_DATES[status][used[status] % len(COHORT_DATES[status])]
        used[status] += 1
        course = courses[code]
        start_date = today + timedelta(days=start)
        cohort = Cohort(
            center_id=center.id, course_id=course.id, start_date=start_date,
            end_date=today + timedelta(days=end), status=CohortStatus(status),
            name=f"{course.title} — {SEASONS[start_date.month]} {start_date.year}",
            schedule=SCHEDULES[index % len(SCHEDULES)], capacity=rng.choice([24, 25, 28, 30]),
        )
        mentors = people.mentors
        running = status == "running"
        cohort.mentors = mentors if running else [mentors[index % len(mentors)]]
        if running:
            cohort.slots = [TimetableSlot(weekday=day, starts_at=start, ends_at=end, place=place)
                            for day, start, end, place in
                            TIMETABLES[(used["running"] - 1) % len(TIMETABLES)]]
        cohorts.append(cohort)
    db.session.add_all(cohorts)
    db.session.flush()
    return cohorts


def enroll_students(cohorts: list[Cohort], people: CenterPeople, today: date,
                    rng: random.Random) -> list[Enrollment]:
    """Every student in one cohort, about a third in a second one; flushed."""
    students = list(people.students)
    rng.shuffle(students)
    seats = {cohort.id: [] for cohort in cohorts}
    for k, student in enumerate(students):
        seats[cohorts[k % len(cohorts)].id].append(student)
    for student in students[: len(students) // 3]:
        free = [c for c in cohorts if student not in seats[c.id] and len(seats[c.id]) < c.capacity]
        if free:
            seats[rng.choice(free).id].append(student)
    enrollments = [_enrollment(student, cohort, people, today, rng)
                   for cohort in cohorts for student in seats[cohort.id]]
    db.session.add_all(enrollments)
    db.session.flush()
    return enrollments


def _enrollment(student, cohort: Cohort, people: CenterPeople, today: date,
                rng: random.Random) -> Enrollment:
    """An enrollment with a status that fits the cohort's status."""
    enrollment = Enrollment(student_id=student.id, cohort_id=cohort.id,
                            enrolled_on=cohort.start_date - timedelta(days=rng.randint(3, 20)))
    roll = rng.random()
    last_day = min(today, cohort.end_date) - timedelta(days=1)
    finished = cohort.status == CohortStatus.FINISHED
    if cohort.status != CohortStatus.PLANNED and roll < (0.12 if finished else 0.06):
        enrollment.status = EnrollmentStatus.WITHDRAWN
        span = max(1, (last_day - cohort.start_date).days)
        enrollment.withdrawn_on = cohort.start_date + timedelta(days=rng.randint(7, max(7, span)))
        enrollment.withdraw_reason = rng.choice(WITHDRAW_REASONS)
    elif finished and roll < 0.9:
        enrollment.status = EnrollmentStatus.COMPLETED
        enrollment.completed_on = cohort.end_date - timedelta(days=rng.randint(0, 5))
        if roll > 0.85:  # marked by hand, as Moodle shows "completed, set by …"
            enrollment.completion_set_by_id = people.mentors[0].id
            enrollment.completion_reason = "Виконав(ла) альтернативний проєкт за погодженням"
    return enrollment


def record_progress(cohorts: list[Cohort], enrollments: list[Enrollment],
                    lessons: dict[int, list[LessonRow]], today: date, rng: random.Random) -> int:
    """Lesson progress with one creation event each, in two bulk inserts; returns the row count."""
    by_id = {cohort.id: cohort for cohort in cohorts}
    rows, centers = [], []
    for enrollment in enrollments:
        cohort = by_id[enrollment.cohort_id]
        if cohort.status != CohortStatus.PLANNED:
            found = _progress_rows(enrollment, cohort, lessons[cohort.course_id], today, rng)
            rows += found
            centers += [cohort.center_id] * len(found)
    if not rows:
        return 0
    insert = sa.insert(LessonProgress).returning(LessonProgress.id, sort_by_parameter_order=True)
    ids = db.session.scalars(insert, rows).all()
    events = [{"progress_id": pid, "center_id": center_id, "actor_id": row["updated_by_id"],
               "created_at": row["updated_at"], "from_status": None, "to_status": row["status"],
               "from_score": None, "to_score": row["score"], "feedback": row["feedback"] or None}
              for pid, row, center_id in zip(ids, rows, centers)]
    db.session.execute(sa.insert(ProgressEvent), events)
    return len(rows)


def _done_count(enrollment: Enrollment, cohort: Cohort, total: int, today: date,
                rng: random.Random) -> int:
    """How many lessons, in order, the student has finished."""
    if enrollment.status == EnrollmentStatus.COMPLETED:
        return total - (2 if enrollment.completion_set_by_id else 0)
    until = enrollment.withdrawn_on or min(today, cohort.end_date)
    share = (until - cohort.start_date).days / max(1, (cohort.end_date - cohort.start_date).days)
    if cohort.status == CohortStatus.FINISHED and not enrollment.withdrawn_on:
        share = rng.uniform(0.5, 0.85)
    return max(0, min(total - 1, round(share * total) + rng.randint(-2, 1)))


def _progress_rows(enrollment: Enrollment, cohort: Cohort, lessons: list[LessonRow], today: date,
                   rng: random.Random) -> list[dict]:
    """Completed (a few excused) lessons in order, then possibly one in progress."""
    done = _done_count(enrollment, cohort, len(lessons), today, rng)
    mentors = cohort.mentors
    span = (cohort.end_date - cohort.start_date).days
    rows = []
    for index, lesson in enumerate(lessons[: done + 1]):
        if index == done and (done == len(lessons) or rng.random() < 0.4):
            break
        day = min(cohort.start_date + timedelta(days=span * (index + 0.5) / len(lessons)),
                  today - timedelta(days=1))
        status = ProgressStatus.IN_PROGRESS if index == done else (
            ProgressStatus.EXCUSED if rng.random() < 0.04 else ProgressStatus.COMPLETED)
        rows.append(_progress_row(enrollment, lesson, status, day, rng.choice(mentors).id, rng))
    return rows


def _progress_row(enrollment: Enrollment, lesson: LessonRow, status: ProgressStatus, day: date,
                  mentor_id: int, rng: random.Random) -> dict:
    """One lesson progress as a dict for the bulk insert."""
    scored = status == ProgressStatus.COMPLETED and lesson.max_score
    score = round(lesson.max_score * rng.triangular(0.5, 1.0, 0.9)) if scored else None
    feedback = rng.choice(FEEDBACK) if scored and rng.random() < 0.25 else ""
    at = datetime.combine(day, time(15, 0)) + timedelta(minutes=rng.randint(0, 240))
    return {"enrollment_id": enrollment.id, "lesson_id": lesson.id, "status": status,
            "score": score, "feedback": feedback, "updated_by_id": mentor_id, "version": 1,
            "updated_at": at}


def record_sessions(cohorts: list[Cohort], enrollments: list[Enrollment],
                    lessons: dict[int, list[LessonRow]], today: date,
                    rng: random.Random) -> None:
    """Weekly class sessions of running and finished cohorts with everyone's attendance."""
    sessions = []
    for cohort in cohorts:
        if cohort.status != CohortStatus.PLANNED:
            sessions += _sessions(cohort, lessons[cohort.course_id], today)
    db.session.add_all(session for session, _lesson in sessions)
    db.session.flush()
    links = [{"session_id": s.id, "lesson_id": lesson.id} for s, lesson in sessions]
    db.session.execute(sa.insert(class_session_lessons), links)
    rows = [_attendance(s, e, rng) for s, _lesson in sessions for e in enrollments
            if e.cohort_id == s.cohort_id and _attending(e, s.held_on)]
    db.session.execute(sa.insert(Attendance), rows)


def _sessions(cohort: Cohort, lessons: list[LessonRow], today: date) -> list[tuple]:
    """Up to eight weekly sessions held so far, each on the next lesson of the course."""
    result = []
    for week in range(SESSIONS_PER_COHORT):
        held_on = cohort.start_date + timedelta(days=7 * week)
        if held_on >= today:
            break
        lesson = lessons[week * len(lessons) // SESSIONS_PER_COHORT]
        session = ClassSession(cohort_id=cohort.id, held_on=held_on, topic=lesson.title,
                               created_by_id=cohort.mentors[0].id,
                               created_at=datetime.combine(held_on, time(18, 0)))
        result.append((session, lesson))
    return result


def _attending(enrollment: Enrollment, day: date) -> bool:
    """Enrolled on that day and not yet withdrawn."""
    return enrollment.enrolled_on <= day and (
        enrollment.withdrawn_on is None or day < enrollment.withdrawn_on)


def _attendance(session: ClassSession, enrollment: Enrollment, rng: random.Random) -> dict:
    """One attendance mark: mostly present, some late, absent or excused."""
    status = rng.choices(list(AttendanceStatus), weights=[82, 7, 7, 4])[0]
    remark = rng.choice(ABSENCE_REMARKS[status]) if status in ABSENCE_REMARKS else ""
    return {"session_id": session.id, "enrollment_id": enrollment.id, "status": status,
            "remark": remark, "updated_by_id": session.created_by_id,
            "updated_at": datetime.combine(session.held_on, time(18, 30))}
