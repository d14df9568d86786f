"""A cohort's weekly timetable: the rules a slot list must keep, weekday names, and the classes
it gives on given days. Pure functions: the form, the service and the home page share them."""
from dataclasses import dataclass
from datetime import date, time, timedelta

from babel.dates import get_day_names
from flask_babel import format_date, get_locale
from flask_babel import lazy_gettext as _l

from lms.cohorts.models import PLACE_MAX, Cohort, TimetableSlot

WEEKDAYS = range(7)  # 0 = Monday, as date.weekday()


@dataclass(frozen=True)
class SlotInput:
    """One timetable row as the service receives it."""
    weekday: int
    starts_at: time
    ends_at: time
    place: str = ""


def weekday_names(width: str = "wide") -> dict[int, str]:
    """Weekday number → its name in the request's language, capitalised ("Понеділок")."""
    names = get_day_names(width, context="stand-alone", locale=get_locale())
    return {day: names[day][:1].upper() + names[day][1:] for day in WEEKDAYS}


def day_label(day: date, short: bool = False) -> str:
    """A class's day as people say it: "Четвер, 5 грудня" ("Чт, 5 груд." when short)."""
    text = format_date(day, "EEE, d MMM" if short else "EEEE, d MMMM")
    return text[:1].upper() + text[1:]


def slot_problems(slots: list[SlotInput]) -> list[tuple[int, str, object]]:
    """(row, field, message) for every broken rule: weekday 0–6, end after start, a place of at
    most PLACE_MAX characters, and no two slots of the cohort overlapping on one weekday."""
    problems = []
    for row, slot in enumerate(slots):
        if slot.weekday not in WEEKDAYS:
            problems.append((row, "weekday", _l("Choose a day of the week.")))
        if slot.ends_at <= slot.starts_at:
            problems.append((row, "ends_at", _l("The class must end after it starts.")))
        if len(slot.place) > PLACE_MAX:
            problems.append((row, "place", _l("The place can be at most %(max)d characters long.",
                                              max=PLACE_MAX)))
    for row, slot in enumerate(slots):
        for earlier in slots[:row]:
            if _overlap(slot, earlier):
                problems.append((row, "starts_at", _l(
                    "This class overlaps another class of the cohort: %(day)s, "
                    "%(start)s–%(end)s.", day=weekday_names()[earlier.weekday],
                    start=clock(earlier.starts_at), end=clock(earlier.ends_at))))
                break
    return problems


def _overlap(one: SlotInput, other: SlotInput) -> bool:
    return (one.weekday == other.weekday and one.starts_at < other.ends_at
            and other.starts_at < one.ends_at and one.ends_at > one.starts_at
            and other.ends_at > other.starts_at)


def clock(moment: time) -> str:
    """A time of day as 16:00 (the 24-hour clock both languages use here)."""
    return moment.strftime("%H:%M")


def meets_on(cohort: Cohort, day: date) -> bool:
    """Whether the cohort's dates include the day (a cohort without an end date runs on)."""
    return cohort.start_date <= day and (cohort.end_date is None or day <= cohort.end_date)


@dataclass(frozen=True)
class ClassMeeting:
    """One class on the timetable on a date: the slot, so its cohort, times and place."""
    day: date
    slot: TimetableSlot

    @property
    def cohort(self) -> Cohort:
        return self.slot.cohort


def classes_between(slots: list[TimetableSlot], first: date, last: date) -> list[ClassMeeting]:
    """The classes the slots give from `first` to `last` (both included), in time order, each
    within its cohort's dates."""
    meetings = []
    day = first
    while day <= last:
        meetings += [ClassMeeting(day, slot) for slot in slots
                     if slot.weekday == day.weekday() and meets_on(slot.cohort, day)]
        day += timedelta(days=1)
    return sorted(meetings, key=lambda m: (m.day, m.slot.starts_at, m.cohort.name, m.slot.id))
