"""NTC passwords as data: a salted verifier given at set-up, and override records.

Several steps need a password the NTC gives (printing a seating sheet,
UNT-SEAT-5; re-scanning after the protocol was entered, UNT-ID-13). The
domain never keeps a password: it keeps a :class:`PasswordVerifier`, the
salted scrypt hash the testing point receives at set-up, and checks a given
password against it. A check is data the caller cannot swap for a permissive
callable. Repeating a sealed step (a second seating draw, UNT-SEAT-4) needs an
:class:`Override`: who, when, why and the verified password; what is recorded
of it is its :class:`OverrideRecord`, without the password.

scrypt comes from :mod:`hashlib` (OpenSSL), which is pure computation: no
file, clock or randomness; the salt comes in as an argument.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import ClassVar

from pydantic import AwareDatetime, Field, SecretStr

from ubt_domain.errors import DomainError
from ubt_domain.models import DomainModel

__all__ = [
    "DEFAULT_LOG2_N",
    "MIN_LOG2_N",
    "MIN_SALT_BYTES",
    "Override",
    "OverrideRecord",
    "PasswordVerifier",
    "password_verifier",
]

#: Bytes of salt a verifier needs (NIST SP 800-132 asks for at least 16).
MIN_SALT_BYTES = 16
#: scrypt's default cost: 2**14 blocks of 128 · r bytes = 16 MiB, 0.05-0.3 s a
#: check; interactive-login strength (RFC 7914 §2), enough for a password an
#: expert types once per room. The cost is part of the verifier, so whoever
#: issues it chooses; below 2**10 (1 MiB) it is refused as too cheap to guess against.
DEFAULT_LOG2_N = 14
MIN_LOG2_N = 10
_MAX_LOG2_N = 20
_SCRYPT_R = 8
_SCRYPT_P = 1
_SCRYPT_MAXMEM_BYTES = 64 * 1024 * 1024
_DIGEST_BYTES = 32
_HEX = r"^[0-9a-f]+$"


def _scrypt(password: str, salt: bytes, log2_n: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=1 << log2_n,
        r=_SCRYPT_R,
        p=_SCRYPT_P,
        maxmem=_SCRYPT_MAXMEM_BYTES,
        dklen=_DIGEST_BYTES,
    )


class PasswordVerifier(DomainModel):
    """The salted scrypt hash of an NTC password, given to the testing point at set-up.

    Parameters
    ----------
    salt_hex : str
        The salt, hex, at least ``MIN_SALT_BYTES`` bytes.
    digest_hex : str
        scrypt(password, salt), hex, 32 bytes.
    log2_n : int
        scrypt's cost: log2 of the number of 128 · 8-byte blocks.
    """

    malformed_rule: ClassVar[str] = "UNT-SEAT-5"

    salt_hex: str = Field(pattern=_HEX, min_length=2 * MIN_SALT_BYTES)
    digest_hex: str = Field(
        pattern=_HEX, min_length=2 * _DIGEST_BYTES, max_length=2 * _DIGEST_BYTES
    )
    log2_n: int = Field(default=DEFAULT_LOG2_N, ge=MIN_LOG2_N, le=_MAX_LOG2_N)

    def accepts(self, password: str) -> bool:
        """Return whether ``password`` is the one this verifier was made from.

        The comparison takes the same time wherever the digests differ.
        """
        if not isinstance(password, str):
            return False
        given = _scrypt(password, bytes.fromhex(self.salt_hex), self.log2_n)
        return hmac.compare_digest(given, bytes.fromhex(self.digest_hex))


def password_verifier(
    password: str, *, salt: bytes, log2_n: int = DEFAULT_LOG2_N
) -> PasswordVerifier:
    """Return the verifier of an NTC password; the password itself is not kept.

    Implements UNT-SEAT-5, UNT-ID-13: the checks of NTC passwords are data.

    Parameters
    ----------
    password : str
        The NTC password, non-empty.
    salt : bytes
        At least ``MIN_SALT_BYTES`` bytes of randomness supplied by the caller.
    log2_n : int
        scrypt's cost, ``MIN_LOG2_N`` to 20.

    Examples
    --------
    >>> verifier = password_verifier("ntc", salt=b"s" * 16, log2_n=MIN_LOG2_N)
    >>> verifier.accepts("ntc"), verifier.accepts("guess")
    (True, False)
    """
    if not isinstance(password, str) or not password:
        raise ValueError("the password must be a non-empty str")
    if not isinstance(salt, bytes) or len(salt) < MIN_SALT_BYTES:
        raise ValueError(f"the salt must be at least {MIN_SALT_BYTES} bytes")
    if not MIN_LOG2_N <= log2_n <= _MAX_LOG2_N:
        raise ValueError(f"log2_n must be in [{MIN_LOG2_N}, {_MAX_LOG2_N}], got {log2_n}")
    digest = _scrypt(password, salt, log2_n).hex()
    return PasswordVerifier(salt_hex=salt.hex(), digest_hex=digest, log2_n=log2_n)


class OverrideRecord(DomainModel):
    """What is kept of an override: who allowed what, when and why; never the password.

    Parameters
    ----------
    reason : str
        Why the sealed step is repeated (e.g. the NTC's letter).
    by : str
        Who authorised it.
    at : datetime
        When, timezone-aware.
    """

    malformed_rule: ClassVar[str] = "UNT-SEAT-4"

    reason: str = Field(min_length=1)
    by: str = Field(min_length=1)
    at: AwareDatetime


class Override(DomainModel):
    """An NTC override of a sealed step, carrying the NTC password that authorises it.

    Parameters
    ----------
    reason, by, at
        As in :class:`OverrideRecord`.
    password : SecretStr
        The NTC password; checked against the testing point's verifier and
        never recorded (``SecretStr`` hides it from ``repr`` and JSON).
    """

    malformed_rule: ClassVar[str] = "UNT-SEAT-4"

    reason: str = Field(min_length=1)
    by: str = Field(min_length=1)
    at: AwareDatetime
    password: SecretStr = Field(repr=False)

    def record(self) -> OverrideRecord:
        """Return what is kept of this override, without the password."""
        return OverrideRecord(reason=self.reason, by=self.by, at=self.at)

    def check(self, verifier: PasswordVerifier, rule_id: str, what: str) -> OverrideRecord:
        """Return the record of this override if its password is the NTC's.

        Raises
        ------
        DomainError
            ``rule_id`` when the password is refused.
        """
        if not verifier.accepts(self.password.get_secret_value()):
            raise DomainError(rule_id, f"the NTC password of the override for {what} was refused")
        return self.record()
