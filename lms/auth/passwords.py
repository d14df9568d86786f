"""Password hashing with argon2id; parameters come from the configuration."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

MIN_PASSWORD = 10  # characters, for every way a password is set (forms, CLI)

# A valid hash of a random password, verified against when no account matches,
# so that a missing account costs as much time as a wrong password.
_DUMMY_PASSWORD = "no-such-account-timing-equaliser"


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_COST"],
        parallelism=config["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; a missing hash is verified against a dummy."""
    hasher = _hasher()
    try:
        return hasher.verify(password_hash or hasher.hash(_DUMMY_PASSWORD), password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)
