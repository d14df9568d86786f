"""Demo people of one center: a head, two mentors and many students with realistic profiles."""
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from lms.centers.models import Center
from lms.core.extensions import db
from lms.users.models import LearnerType, Role, Settlement, Sex, StudentProfile, User, YesNo
from lms.users.queries import years_before

FEMALE_NAMES = [
    "Олена", "Анна", "Марія", "Софія", "Дарина", "Вікторія", "Катерина", "Юлія", "Анастасія",
    "Ірина", "Оксана", "Наталія", "Тетяна", "Яна", "Поліна", "Аліна", "Христина", "Валерія",
    "Ольга", "Злата", "Мирослава", "Соломія", "Вероніка", "Діана", "Людмила", "Єва",
]
MALE_NAMES = [
    "Олександр", "Андрій", "Дмитро", "Максим", "Богдан", "Артем", "Владислав", "Іван", "Назар",
    "Михайло", "Тарас", "Євген", "Сергій", "Олег", "Денис", "Ярослав", "Данило", "Кирило",
    "Роман", "Віталій", "Матвій", "Тимофій", "Юрій", "Степан", "Ілля", "Геннадій",
]
# Surnames that do not change with sex, so any first name fits.
SURNAMES = [
    "Шевченко", "Бондаренко", "Коваленко", "Ткаченко", "Кравченко", "Олійник", "Мельник",
    "Лисенко", "Руденко", "Марченко", "Савченко", "Петренко", "Павленко", "Гончаренко", "Мороз",
    "Бойко", "Ткачук", "Поліщук", "Кравчук", "Савчук", "Литвиненко", "Мазур", "Гуменюк",
    "Коваль", "Кузьменко", "Власенко", "Сидоренко", "Пономаренко", "Кириленко", "Остапенко",
    "Юрченко", "Харченко", "Гриценко", "Зінченко", "Демченко", "Левченко", "Нестеренко",
    "Тимошенко", "Клименко", "Гребенюк", "Романюк", "Білоус", "Приходько", "Середа", "Діденко",
]
INSTITUTIONS = {
    "kramatorsk": {
        "school": ["Краматорський ліцей № 1", "Краматорський ліцей № 13",
                   "Краматорська гімназія № 6", "Слов'янський ліцей № 5"],
        "university": ["Донбаська державна машинобудівна академія",
                       "Донбаська національна академія будівництва і архітектури"],
    },
    "mariupol": {
        "school": ["Маріупольський ліцей № 1 (дистанційно)",
                   "Маріупольська гімназія № 2 (релокована)", "Дніпровський ліцей № 67"],
        "university": ["Приазовський державний технічний університет (Дніпро)",
                       "Маріупольський державний університет (Київ)"],
    },
    "sievierodonetsk": {
        "school": ["Сєвєродонецький ліцей № 1 (дистанційно)",
                   "Лисичанська гімназія № 2 (дистанційно)",
                   "Рубіжанський ліцей № 5 (дистанційно)"],
        "university": ["Східноукраїнський національний університет імені Володимира Даля",
                       "Луганський національний університет імені Тараса Шевченка"],
    },
}
# Share of internally displaced students: most Mariupol and Luhansk oblast families had to move.
DISPLACED_SHARE = {"kramatorsk": 0.4, "mariupol": 0.85, "sievierodonetsk": 0.8}
PHONE_CODES = ["50", "66", "67", "68", "73", "93", "95", "96", "97", "98", "99"]
# Students whose role in the demo is fixed: (learner type, age, guardian consent recorded).
FIXED_STUDENTS = {
    1: (LearnerType.UNIVERSITY, 19, True), 2: (LearnerType.SCHOOL, 15, True),
    3: (LearnerType.OTHER, 24, True), 9: (LearnerType.SCHOOL, 12, False),
    26: (LearnerType.SCHOOL, 14, False), 55: (LearnerType.SCHOOL, 13, False),
}


@dataclass
class CenterPeople:
    head: User
    mentors: list[User]
    students: list[User]


def demo_domain(slug: str) -> str:
    """The e-mail domain of a center's demo accounts."""
    return f"{slug}.demo.example"


def create_people(center: Center, rng: random.Random, password_hash: str, students: int,
                  today: date, now: datetime) -> CenterPeople:
    """Add the head, two mentors and `students` students of a new center; flushed."""
    names = _NamePicker(rng)
    domain = demo_domain(center.slug)
    staff = [_staff(center, role, f"{local}@{domain}", names, password_hash, now, rng)
             for role, local in ((Role.HEAD, "head"), (Role.MENTOR, "mentor1"),
                                 (Role.MENTOR, "mentor2"))]
    pupils = [_student(center, n, names, password_hash, today, now, rng)
              for n in range(1, students + 1)]
    db.session.add_all(staff + pupils)
    db.session.flush()
    return CenterPeople(head=staff[0], mentors=staff[1:], students=pupils)


class _NamePicker:
    """Ukrainian full names, unique within one center."""

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.used = rng, set()

    def pick(self, sex: Sex) -> str:
        """A new "First Last" name fitting the sex (either list when not binary)."""
        female = sex == Sex.FEMALE or (sex != Sex.MALE and self.rng.random() < 0.5)
        while True:
            name = f"{self.rng.choice(FEMALE_NAMES if female else MALE_NAMES)} " \
                   f"{self.rng.choice(SURNAMES)}"
            if name not in self.used:
                self.used.add(name)
                return name


def _staff(center: Center, role: Role, email: str, names: _NamePicker, password_hash: str,
           now: datetime, rng: random.Random) -> User:
    """A head or mentor account."""
    sex = rng.choice([Sex.FEMALE, Sex.MALE])
    return User(email=email, full_name=names.pick(sex), role=role, center_id=center.id,
                locale="en" if email.startswith("mentor2@mariupol") else "uk",
                password_hash=password_hash, created_at=now - timedelta(days=rng.randint(400, 700)))


def _student(center: Center, n: int, names: _NamePicker, password_hash: str, today: date,
             now: datetime, rng: random.Random) -> User:
    """Student number n with a profile; a few numbers have a fixed role in the demo."""
    sex = rng.choices(list(Sex), weights=[46, 48, 2, 4])[0]
    full_name = names.pick(sex)
    profile = _profile(center.slug, n, sex, full_name.split()[-1], today, rng)
    return User(email=f"student{n}@{demo_domain(center.slug)}", full_name=full_name,
                role=Role.STUDENT, center_id=center.id, password_hash=password_hash,
                locale="en" if rng.random() < 0.04 else "uk", profile=profile,
                created_at=now - timedelta(days=rng.randint(180, 500)))


def _profile(slug: str, n: int, sex: Sex, surname: str, today: date,
             rng: random.Random) -> StudentProfile:
    """Demographics, studies and (for minors) guardian details."""
    learner, age, consent = FIXED_STUDENTS.get(n) or _random_learner(rng)
    born = years_before(today, age) - timedelta(days=rng.randint(1, 360))
    profile = StudentProfile(
        date_of_birth=born, sex=sex, learner_type=learner,
        disability=rng.choices(list(YesNo), weights=[5, 85, 10])[0],
        displaced=_displaced(slug, rng),
        settlement=Settlement.RURAL if rng.random() < 0.25 else Settlement.URBAN,
        **_studies(slug, learner, age, rng),
    )
    if age < 18:
        _add_guardian(profile, surname, consent or age >= 16, today, rng)
    return profile


def _random_learner(rng: random.Random) -> tuple[LearnerType, int, bool]:
    """Learner type, age and whether a minor's guardian consent is on record."""
    learner = rng.choices(list(LearnerType), weights=[50, 35, 15])[0]
    ages = {LearnerType.SCHOOL: (11, 17), LearnerType.UNIVERSITY: (17, 23),
            LearnerType.OTHER: (18, 26)}[learner]
    return learner, rng.randint(*ages), rng.random() > 0.05


def _displaced(slug: str, rng: random.Random) -> YesNo:
    """Internally displaced or not, with the center's typical share."""
    if rng.random() < 0.08:
        return YesNo.NOT_STATED
    return YesNo.YES if rng.random() < DISPLACED_SHARE.get(slug, 0.5) else YesNo.NO


def _studies(slug: str, learner: LearnerType, age: int, rng: random.Random) -> dict:
    """Institution and grade or year of study."""
    places = INSTITUTIONS.get(slug, INSTITUTIONS["kramatorsk"])
    if learner == LearnerType.SCHOOL:
        return {"institution": rng.choice(places["school"]),
                "grade": f"{min(11, max(5, age - 6))} клас"}
    if learner == LearnerType.UNIVERSITY:
        year = age - 16
        grade = f"{year} курс" if year <= 4 else f"магістратура, {year - 4} рік"
        return {"institution": rng.choice(places["university"]), "grade": grade}
    return {"institution": None, "grade": None}


def _add_guardian(profile: StudentProfile, surname: str, consented: bool, today: date,
                  rng: random.Random) -> None:
    """A parent's name and phone; the consent date only when it is on record."""
    first = rng.choice(FEMALE_NAMES + MALE_NAMES)
    profile.guardian_name = f"{first} {surname}"
    phone = rng.randint(1000000, 9999999)
    profile.guardian_contact = f"+380 {rng.choice(PHONE_CODES)} {phone // 10000:03d} " \
                               f"{phone // 100 % 100:02d} {phone % 100:02d}"
    if consented:
        profile.guardian_consent_on = today - timedelta(days=rng.randint(20, 300))
