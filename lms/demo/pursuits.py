"""Demo certification pursuits of one center: every stage, full history, scores and vouchers."""
import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from lms.catalog.models import Certification
from lms.centers.models import Center
from lms.certifications.models import (
    Evidence,
    EvidenceKind,
    ExamDelivery,
    PracticeScore,
    Pursuit,
    PursuitStageChange,
    Stage,
    Voucher,
    VoucherStatus,
)
from lms.certifications.rules import add_months
from lms.cohorts.models import Cohort
from lms.core.extensions import db
from lms.demo.catalog import CERTIFICATIONS
from lms.demo.people import CenterPeople
from lms.demo.vouchers import VoucherBook
from lms.users.models import User

EXAMS = {spec["key"]: spec["exam"] for spec in CERTIFICATIONS}
MAIN_ROAD = [Stage.INTERESTED, Stage.PREPARING, Stage.PRACTICE, Stage.READY, Stage.VOUCHER,
             Stage.SCHEDULED]
# (final stage, variant), in the order students are picked: students 1–3 get the first three.
PLAN = [
    ("passed", "recent"), ("scheduled", None), ("practice", None), ("interested", None),
    ("preparing", "cohort"), ("ready", None), ("voucher", None), ("passed", "renewal"),
    ("passed", "near_expiry"), ("passed", "expired"), ("passed", "renewed"),
    ("passed", "unverified"),
    ("passed", "invalidated"), ("passed", "retake"), ("failed", "recent"), ("failed", None),
    ("withdrawn", "early"), ("withdrawn", "late"), ("interested", None), ("interested", None),
    ("preparing", None), ("preparing", "cohort"), ("practice", None), ("practice", None),
    ("ready", None), ("voucher", "self_paid"), ("scheduled", None), ("passed", "recent"),
]
ANY_CERT = ["google-it", "google-da", "google-cyber", "google-ux", "google-pm", "aws-clf",
            "aws-clf", "aws-aif", "az-900", "az-900", "ai-900", "dp-900", "ccst-net", "ccst-sec",
            "comptia-a", "comptia-sec", "aws-saa", "aws-dva"]
VOUCHER_CERT = [key for key in ANY_CERT if not key.startswith("google")]
PLATFORMS = {"google": "Coursera", "aws": "AWS Skill Builder", "microsoft": "Microsoft Learn",
             "cisco": "Cisco Networking Academy", "comptia": "CompTIA CertMaster Learn"}
PRACTICE_SOURCES = {"google": "Coursera: оцінювані тести",
                    "aws": "AWS Official Practice Question Set",
                    "microsoft": "Microsoft Learn Practice Assessment",
                    "cisco": "NetAcad: практичний іспит", "comptia": "CompTIA CertMaster Practice"}
NOTES = {
    Stage.INTERESTED: "Зацікавився(лася) після дня кар'єри в центрі",
    Stage.PREPARING: "Почав(ла) підготовку", Stage.PRACTICE: "Проходить пробні тести",
    Stage.READY: "Пробні тести стабільно вище порогу — допущено до іспиту",
    Stage.VOUCHER: "Видано ваучер", Stage.SCHEDULED: "Іспит заброньовано",
    Stage.PASSED: "Результат перевірено у реєстрі провайдера",
    Stage.FAILED: "Не склав(ла); складено план повторної підготовки",
    Stage.WITHDRAWN: "Припинив(ла) підготовку",
}
WITHDRAW_REASONS = ["Вступна кампанія — бракує часу", "Переїзд за кордон",
                    "Обрав(ла) інший напрям", "Сімейні обставини"]
INVALID_REASONS = ["Провайдер відкликав сертифікат: порушення правил іспиту",
                   "Ідентифікатор сертифіката не знайдено в реєстрі провайдера"]


@dataclass
class PursuitContext:
    center: Center
    people: CenterPeople
    certs: dict[str, Certification]
    prep_cohorts: dict[str, Cohort]  # certification key → a cohort of a preparing course
    today: date
    now: datetime
    rng: random.Random
    scores: list = field(default_factory=list)  # (pursuit, PracticeScore fields)
    vouchers: VoucherBook = field(init=False)

    def __post_init__(self) -> None:
        self.vouchers = VoucherBook(self.center, self.certs, self.rng)


def create_pursuits(ctx: PursuitContext) -> None:
    """Every stage at least once with its history, vouchers and practice scores; flushed."""
    queue = _candidates(ctx)
    for stage, variant in PLAN:
        student = _pick(queue, 20 if variant in ("near_expiry", "expired") else 14, ctx.today)
        key = _certification_key(Stage(stage), variant, ctx)
        _Road(ctx, student, ctx.certs[key], key, Stage(stage), variant).build()
    ctx.vouchers.issue_spares(VOUCHER_CERT, ctx.today)
    db.session.flush()
    rows = [{"pursuit_id": pursuit.id, **fields} for pursuit, fields in ctx.scores]
    db.session.execute(sa.insert(PracticeScore), rows)


def _candidates(ctx: PursuitContext) -> list[User]:
    """Students 1–3 first (they show in the account table), then the rest shuffled."""
    first, rest = ctx.people.students[:3], list(ctx.people.students[3:])
    ctx.rng.shuffle(rest)
    return first + rest


def _pick(queue: list[User], min_age: int, today: date) -> User:
    """The first student in the queue old enough, taken out of it."""
    for index, student in enumerate(queue):
        if student.profile.age_on(today) >= min_age:
            return queue.pop(index)
    raise RuntimeError("not enough students for the demo pursuits")


def _certification_key(stage: Stage, variant: str | None, ctx: PursuitContext) -> str:
    """Which certification a planned pursuit is for."""
    choice = ctx.rng.choice
    fixed = {"renewal": choice(["az-104", "az-204"]), "renewed": "az-104", "near_expiry": "aws-clf",
             "expired": choice(["aws-clf", "comptia-a"]), "self_paid": choice(VOUCHER_CERT)}
    if variant in fixed:
        return fixed[variant]
    if variant == "cohort" and ctx.prep_cohorts:
        return choice(sorted(ctx.prep_cohorts))
    if variant == "recent" and stage == Stage.FAILED:
        return "aws-clf"
    late = stage in (Stage.VOUCHER, Stage.SCHEDULED, Stage.FAILED) or variant == "retake"
    return choice(VOUCHER_CERT if late else ANY_CERT)


def _road(stage: Stage, variant: str | None) -> list[tuple[Stage, int]]:
    """The stages passed through, with the attempt number of each change."""
    if stage == Stage.WITHDRAWN:
        upto = 2 if variant == "early" else 3
        return [(s, 1) for s in MAIN_ROAD[:upto]] + [(Stage.WITHDRAWN, 1)]
    if stage not in (Stage.PASSED, Stage.FAILED):
        return [(s, 1) for s in MAIN_ROAD[: MAIN_ROAD.index(stage) + 1]]
    road = [(s, 1) for s in MAIN_ROAD]
    if variant == "retake":
        road += [(Stage.FAILED, 1)] + [(s, 2) for s in MAIN_ROAD[2:]]
    return road + [(stage, road[-1][1])]


def _last_change(stage: Stage, variant: str | None, ctx: PursuitContext) -> datetime:
    """When the pursuit reached its current stage (for results: the result date)."""
    rng, today = ctx.rng, ctx.today
    result_days = {
        "recent": rng.randint(7, 150), "renewal": (today - add_months(today, -8)).days,
        "near_expiry": (today - add_months(today, -35)).days - rng.randint(0, 10),
        "renewed": (today - add_months(today, -15)).days,
        "expired": (today - add_months(today, -38)).days, "unverified": rng.randint(3, 10),
        "invalidated": rng.randint(90, 200), "retake": rng.randint(10, 40),
        None: rng.randint(30, 90),
    }
    if stage in (Stage.PASSED, Stage.FAILED):
        days = 4 if (stage, variant) == (Stage.FAILED, "recent") else result_days[variant]
        return datetime.combine(today - timedelta(days=days), time(16, rng.randint(0, 59)))
    return ctx.now - timedelta(days=rng.randint(2, 30), hours=rng.randint(0, 8))


class _Road:
    """Builds one pursuit by walking its stages in order, filling each stage's fields."""

    def __init__(self, ctx: PursuitContext, student: User, cert: Certification, key: str,
                 stage: Stage, variant: str | None) -> None:
        self.ctx, self.cert, self.key, self.variant = ctx, cert, key, variant
        self.provider = cert.provider.slug
        self.mentor = ctx.rng.choice(ctx.people.mentors)
        self.road = _road(stage, variant)
        self.voucher: Voucher | None = None
        self.pursuit = Pursuit(student_id=student.id, certification_id=cert.id,
                               center_id=ctx.center.id, stage=stage, attempt=self.road[-1][1])

    def build(self) -> None:
        """Walk the road, record every change, and add the pursuit to the session."""
        times = self._times()
        previous = None
        for index, (stage, attempt) in enumerate(self.road):
            following = times[index + 1] if index + 1 < len(times) else None
            after = self.road[index + 1][0] if following else None
            details = getattr(self, f"_{stage.value}")(times[index], following, after)
            self._change(previous, stage, attempt, times[index], details)
            previous = stage
        self.pursuit.created_at, self.pursuit.updated_at = times[0], times[-1]
        db.session.add(self.pursuit)

    def _times(self) -> list[datetime]:
        """Change times, increasing, the last one when the current stage was reached."""
        rng = self.ctx.rng
        times = [_last_change(self.pursuit.stage, self.variant, self.ctx)]
        for _ in self.road[1:]:
            times.append(times[-1] - timedelta(days=rng.randint(6, 20), hours=rng.randint(0, 6)))
        return times[::-1]

    def _change(self, previous: Stage | None, stage: Stage, attempt: int, at: datetime,
                details: dict) -> None:
        """One row of the stage history."""
        unverified = stage == Stage.PASSED and self.variant == "unverified"
        note = NOTES[stage]
        if unverified:
            note = "Результат повідомлено студентом; очікує перевірки ментором"
        elif attempt == 2 and previous == Stage.FAILED:
            note = "Спроба 2: повторна підготовка після невдалої спроби"
        db.session.add(PursuitStageChange(
            pursuit=self.pursuit, center_id=self.pursuit.center_id, from_stage=previous,
            to_stage=stage, attempt=attempt,
            actor_id=self.pursuit.student_id if unverified else self.mentor.id,
            note=note, details=details, created_at=at))

    def _interested(self, at: datetime, following, after) -> dict:
        """The funnel entry has no fields of its own."""
        return {}

    def _preparing(self, at: datetime, following, after) -> dict:
        """A preparing cohort of the center when there is one, otherwise the vendor's platform."""
        cohort = self.ctx.prep_cohorts.get(self.key) if self.variant == "cohort" else None
        self.pursuit.prep_started_on = at.date()
        if cohort is not None:
            self.pursuit.prep_cohort_id = cohort.id
            return {"prep_cohort_id": cohort.id, "prep_started_on": at.date().isoformat()}
        self.pursuit.prep_platform = PLATFORMS[self.provider]
        return {"prep_platform": self.pursuit.prep_platform,
                "prep_started_on": at.date().isoformat()}

    def _practice(self, at: datetime, following: datetime | None, after: Stage | None) -> dict:
        """Two to four practice tests, rising; above the threshold only when ready follows."""
        rng, threshold = self.ctx.rng, self.cert.readiness_threshold or 75
        count, step = rng.randint(2, 4), rng.randint(4, 9)
        final = {Stage.READY: threshold + rng.randint(0, 12), Stage.WITHDRAWN: rng.randint(40, 55)}
        last = min(100, final.get(after, threshold - rng.randint(2, 12)))
        end = (following or self.ctx.now) - timedelta(days=1)
        for n in range(count):
            taken = at + (end - at) * (n + 1) / (count + 1)
            percent = max(0, last - (count - 1 - n) * step)
            self.ctx.scores.append((self.pursuit, {
                "taken_on": taken.date(), "percent": percent, "recorded_by_id": self.mentor.id,
                "source": PRACTICE_SOURCES[self.provider], "created_at": taken}))
        return {"practice_tests": count, "latest_percent": last}

    def _ready(self, at: datetime, following, after) -> dict:
        """The mentor's sign-off."""
        self.pursuit.ready_signed_off_by_id, self.pursuit.ready_signed_off_at = self.mentor.id, at
        return {"signed_off_by": self.mentor.full_name}

    def _voucher(self, at: datetime, following, after) -> dict:
        """A funded voucher assigned by the mentor, or self-paid (Google programs, by choice)."""
        if self.provider == "google" or self.variant == "self_paid":
            self.pursuit.self_paid = True
            return {"self_paid": True}
        issued = at.date() - timedelta(days=self.ctx.rng.randint(10, 60))
        self.voucher = self.ctx.vouchers.issue(self.key, issued, VoucherStatus.ASSIGNED)
        self.voucher.pursuit, self.voucher.assigned_at = self.pursuit, at
        self.voucher.assigned_by_id = self.mentor.id
        return {"voucher": self.voucher.masked_code, "funder": self.voucher.funder}

    def _scheduled(self, at: datetime, following: datetime | None, after) -> dict:
        """Exam booked: on the result day when there is a result, otherwise in the coming weeks."""
        rng = self.ctx.rng
        soon = self.ctx.today + timedelta(days=rng.randint(5, 30))
        exam = following.date() if following else soon
        delivery = (ExamDelivery.SCHOOL_SITE if self.provider == "cisco" else ExamDelivery.ONLINE
                    if self.provider == "google" else rng.choice([ExamDelivery.TEST_CENTER,
                                                                  ExamDelivery.ONLINE]))
        prefix = {"cisco": "CERTIPORT", "google": "COURSERA"}.get(self.provider, "PEARSONVUE")
        reference = f"{prefix}-{rng.randint(100000000, 999999999)}"
        self.pursuit.exam_date, self.pursuit.exam_delivery = exam, delivery
        self.pursuit.booking_reference = reference
        return {"exam_date": exam.isoformat(), "exam_delivery": delivery.value,
                "booking_reference": reference}

    def _passed(self, at: datetime, following, after) -> dict:
        """Result with credential id and verification URL; verified unless self-reported."""
        exam, rng, pursuit = EXAMS[self.key], self.ctx.rng, self.pursuit
        pursuit.result_date = at.date()
        if exam:  # Google programs have no scaled exam score
            pursuit.score = rng.randint(exam["pass"], min(exam["max"], exam["pass"] + 220))
        pursuit.credential_id = _credential_id(self.provider, rng)
        pattern = self.cert.verification_url_pattern
        pursuit.verification_url = pattern.format(id=pursuit.credential_id) if pattern else None
        if self.variant != "unverified":
            pursuit.verified_by_id, pursuit.verified_at = self.mentor.id, at
        if self.variant == "renewed":  # Microsoft's free online renewal, done in the window
            pursuit.renewed_on = add_months(at.date(), 11)
        if self.variant == "invalidated":
            pursuit.invalidated_at = at + timedelta(days=rng.randint(20, 60))
            pursuit.invalid_reason = rng.choice(INVALID_REASONS)
        self._use_voucher()
        self._evidence(at)
        return {"result_date": at.date().isoformat(), "score": pursuit.score,
                "credential_id": pursuit.credential_id,
                "verification_url": pursuit.verification_url}

    def _failed(self, at: datetime, following, after) -> dict:
        """Result date and a score below the pass mark; the voucher is spent."""
        exam = EXAMS[self.key]
        self.pursuit.result_date = at.date()
        self.pursuit.score = (self.ctx.rng.randint(max(0, exam["pass"] - 160), exam["pass"] - 10)
                              if exam else None)
        self._use_voucher()
        return {"result_date": at.date().isoformat(), "score": self.pursuit.score}

    def _withdrawn(self, at: datetime, following, after) -> dict:
        """Dropped, with a reason."""
        self.pursuit.withdraw_reason = self.ctx.rng.choice(WITHDRAW_REASONS)
        return {"reason": self.pursuit.withdraw_reason}

    def _use_voucher(self) -> None:
        """The voucher of this attempt has been spent on the exam."""
        if self.voucher is not None:
            self.voucher.status, self.voucher = VoucherStatus.USED, None

    def _evidence(self, at: datetime) -> None:
        """A link to the public credential page, as the student or mentor attached it."""
        pursuit = self.pursuit
        uploader = pursuit.student_id if self.variant == "unverified" else self.mentor.id
        if pursuit.verification_url:
            db.session.add(Evidence(
                kind=EvidenceKind.LINK, pursuit=pursuit, stage=Stage.PASSED,
                url=pursuit.verification_url, created_at=at, uploaded_by_id=uploader,
                verified_by_id=pursuit.verified_by_id, verified_at=pursuit.verified_at))


def _credential_id(provider: str, rng: random.Random) -> str:
    """A credential id shaped like the provider's: Credly UUID, Microsoft hex, Coursera code."""
    if provider == "google":
        return "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(12))
    if provider == "microsoft":
        return f"{rng.getrandbits(64):016X}"
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))
