"""Column helpers shared by the domain models."""
import enum
from datetime import UTC, datetime

import sqlalchemy as sa

MAX_ID = 2**31 - 1  # ids are 32-bit integers: a larger one cannot exist (and SQLite overflows)


def utcnow() -> datetime:
    """Naive UTC now; every timestamp column stores naive UTC on SQLite and PostgreSQL alike."""
    return datetime.now(UTC).replace(tzinfo=None)


def enum_type(enum_class: type[enum.Enum], name: str) -> sa.Enum:
    """A portable enumeration: VARCHAR plus a named CHECK constraint, values stored as-is."""
    return sa.Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_class),
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


# Keyed by (enumeration, value): members of a StrEnum hash and compare as their plain value,
# so keying by member would let two enumerations sharing a value (e.g. "invalid") overwrite
# each other's labels.
_LABELS: dict[tuple[type, str], object] = {}


class Tone(enum.StrEnum):
    """How a status reads at a glance: one colour and symbol per tone, on every page (DESIGN.md,
    "one status vocabulary"). The words stay the status's own label, so colour is never alone."""

    DONE = "done"      # green ✓: done, passed, valid
    ACTIVE = "active"  # blue ●: under way
    SOON = "soon"      # amber !: someone should act soon
    BAD = "bad"        # red ✕: failed, expired, absent, at risk
    IDLE = "idle"      # grey ○: not started, withdrawn, closed


_TONES: dict[tuple[type, str], Tone] = {}


class Choice(enum.StrEnum):
    """A string enumeration whose members carry a translatable label."""

    @property
    def label(self):
        """The lazy translation: rendered in the language of whoever reads it."""
        return _LABELS.get((type(self), self.value), self.value)

    @property
    def tone(self) -> Tone:
        """The status's tone (grey unless its domain registered another)."""
        return _TONES.get((type(self), self.value), Tone.IDLE)

    @classmethod
    def choices(cls) -> list[tuple[str, object]]:
        """(value, lazy label) pairs; safe to build once, at import, for form choices."""
        return [(m.value, m.label) for m in cls]


def set_labels(mapping: dict) -> None:
    """Register lazy labels for enumeration members (done once, at import)."""
    _LABELS.update({(type(member), member.value): label for member, label in mapping.items()})


def set_tones(mapping: dict) -> None:
    """Register the tone of status members (done once, at import, next to their labels)."""
    _TONES.update({(type(member), member.value): tone for member, tone in mapping.items()})
