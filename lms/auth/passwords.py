"""Password hashing with argon2id; parameters come from the configuration."""
import base64
import hashlib

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

MIN_PASSWORD = 10  # characters, for every way a password is set (forms, CLI)


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_COST"],
        parallelism=config["ARGON2_PARALLELISM"],
    )


def _b64(label: bytes, size: int) -> str:
    return base64.b64encode(hashlib.sha256(label).digest()[:size]).decode().rstrip("=")


def dummy_hash(hasher: PasswordHasher) -> str:
    """A fixed, well-formed argon2id hash with the configured parameters that no password
    matches: verifying against it costs exactly what verifying a real password costs (argon2
    recomputes the digest with the parameters written in the hash), and building it costs no
    argon2 operation at all. Used when no account (or no password) matches the e-mail."""
    return (f"$argon2id$v=19$m={hasher.memory_cost},t={hasher.time_cost},p={hasher.parallelism}"
            f"${_b64(b'lms-no-such-account-salt', hasher.salt_len)}"
            f"${_b64(b'lms-no-such-account-digest', hasher.hash_len)}")


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches. Exactly one argon2 verification whatever the input: a
    missing hash (no such account, or no password set yet) is verified against the dummy, so
    the answer's timing does not tell which e-mails have accounts."""
    hasher = _hasher()
    try:
        return hasher.verify(password_hash or dummy_hash(hasher), password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)
