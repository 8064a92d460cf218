"""Sealing the answer key so that only all N passwords together open it (UNT-KEY-4, D-4).

The key is encrypted with AES-256-GCM (authenticated: a changed byte or a
wrong key fails the tag) under a key derived by scrypt, which is
memory-hard, from the N passwords taken together in the order of the roles.
A missing or a wrong password gives the same error and no hint which, since
the tag only says "these N together are not the ones". The public header
(programme, stream, roles, cost) is authenticated as associated data, so a
sealed ҰБТ key cannot be relabelled as a МАБ one to dodge its gate.

The core stays pure: the salt and nonce (randomness) and the passwords come
in as arguments; the caller draws them from ``os.urandom`` or ``secrets``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import ClassVar

from pydantic import ConfigDict, Field, model_validator

from ubt_domain.errors import DomainError
from ubt_domain.key.answer_key import AnswerKey
from ubt_domain.key.gate import KeyGate, check_gate, gate_rule
from ubt_domain.models import DomainModel, Programme

__all__ = [
    "MEMORY_HARD_SCRYPT",
    "NONCE_BYTES",
    "SALT_BYTES",
    "TEST_SCRYPT",
    "UNT_KEY_ROLES",
    "ScryptCost",
    "SealedKey",
    "open_key",
    "seal_key",
]

#: Bytes of scrypt salt the caller must supply (NIST SP 800-132 asks for ≥ 16).
SALT_BYTES = 16
#: Bytes of AES-GCM nonce the caller must supply (the GCM standard size).
NONCE_BYTES = 12
_KEY_BYTES = 32  # AES-256
_LENGTH_PREFIX_BYTES = 4  # each password is length-prefixed, so "ab"+"c" differs from "a"+"bc"
#: The three ҰБТ key holders, in the order their passwords are combined (UNT-KEY-4).
UNT_KEY_ROLES = ("state_commission_chair", "nsc_representative", "ministry_representative")


class ScryptCost(DomainModel):
    """scrypt's cost parameters: memory ≈ 128 · r · 2**log2_n bytes.

    Parameters
    ----------
    log2_n : int
        log2 of the CPU/memory cost N.
    block_size : int
        r.
    parallelism : int
        p.
    """

    malformed_rule: ClassVar[str] = "D-4"

    log2_n: int = Field(ge=4, le=22)
    block_size: int = Field(default=8, ge=1, le=32)
    parallelism: int = Field(default=1, ge=1, le=16)


#: The default: N = 2**17, r = 8 (128 MiB, ~0.3 s per attempt), the level OWASP
#: recommends for stored secrets; a password guesser pays this per guess.
MEMORY_HARD_SCRYPT = ScryptCost(log2_n=17, block_size=8, parallelism=1)
#: A cheap preset for tests only (64 KiB); pass it explicitly, never as a default.
TEST_SCRYPT = ScryptCost(log2_n=6, block_size=8, parallelism=1)


class SealedKey(DomainModel):
    """An answer key sealed under N passwords, with the public header it is bound to.

    Parameters
    ----------
    programme : Programme
        Whose gate applies when opening (D-4).
    stream : int or None
        The ҰБТ stream the key belongs to; ``None`` for МАБ/ОЖСБ.
    roles : tuple of str
        Whose passwords open it, in combination order (N = ``len(roles)``).
    cost : ScryptCost
        The key derivation's cost.
    salt, nonce, ciphertext : bytes
        scrypt salt, AES-GCM nonce, ciphertext with its 16-byte tag.
    """

    # Stored and sent as JSON: the bytes travel as base64.
    model_config = ConfigDict(
        frozen=True, extra="forbid", ser_json_bytes="base64", val_json_bytes="base64"
    )
    malformed_rule: ClassVar[str] = "D-4"

    programme: Programme
    stream: int | None = Field(default=None, ge=1)
    roles: tuple[str, ...] = Field(min_length=1)
    cost: ScryptCost
    salt: bytes = Field(min_length=SALT_BYTES)
    nonce: bytes = Field(min_length=NONCE_BYTES, max_length=NONCE_BYTES)
    ciphertext: bytes = Field(min_length=1)

    @model_validator(mode="after")
    def _stream_for_unt_only(self) -> SealedKey:
        if (self.stream is None) == (self.programme is Programme.UNT):
            raise DomainError("D-4", "a ҰБТ key names its stream; a МАБ/ОЖСБ key names none")
        if len(set(self.roles)) != len(self.roles):
            raise DomainError("D-4", f"a role is named twice: {self.roles}")
        return self

    def header(self) -> bytes:
        """The authenticated, unencrypted header (AES-GCM associated data)."""
        fields = {
            "programme": self.programme.value,
            "stream": self.stream,
            "roles": list(self.roles),
            "cost": self.cost.model_dump(),
        }
        return json.dumps(fields, sort_keys=True, ensure_ascii=False).encode("utf-8")


def seal_key(
    key: AnswerKey,
    passwords: Mapping[str, str],
    *,
    programme: Programme,
    stream: int | None,
    salt: bytes,
    nonce: bytes,
    cost: ScryptCost = MEMORY_HARD_SCRYPT,
) -> SealedKey:
    """Seal ``key`` so that only all of ``passwords`` together open it.

    Implements UNT-KEY-1, UNT-KEY-4, D-4.

    Parameters
    ----------
    key : AnswerKey
        The key to seal.
    passwords : mapping of str to str
        Role → password; the roles, in the mapping's order, are N (3 for ҰБТ:
        :data:`UNT_KEY_ROLES`; one or more for МАБ/ОЖСБ, C-8).
    programme : Programme
        Whose gate will guard the opening.
    stream : int or None
        The ҰБТ stream; ``None`` for МАБ/ОЖСБ.
    salt : bytes
        At least :data:`SALT_BYTES` random bytes, fresh per key.
    nonce : bytes
        Exactly :data:`NONCE_BYTES` random bytes, never reused with a salt.
    cost : ScryptCost, optional
        Key-derivation cost; :data:`MEMORY_HARD_SCRYPT` unless a test passes
        :data:`TEST_SCRYPT`.

    Returns
    -------
    SealedKey

    Raises
    ------
    DomainError
        (``D-4``) when there is no password, one is empty, or the header is
        inconsistent.
    """
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    roles = tuple(passwords)
    if not roles or any(not passwords[role] for role in roles):
        raise DomainError("D-4", "a key is sealed under one or more non-empty passwords")
    shell = SealedKey(
        programme=programme,
        stream=stream,
        roles=roles,
        cost=cost,
        salt=salt,
        nonce=nonce,
        ciphertext=b"\x00",
    )
    secret = _derive(passwords, roles, salt, cost)
    plaintext = key.model_dump_json().encode("utf-8")
    ciphertext = AESGCM(secret).encrypt(nonce, plaintext, shell.header())
    return SealedKey.model_validate({**shell.model_dump(), "ciphertext": ciphertext})


def open_key(sealed: SealedKey, passwords: Mapping[str, str], *, gate: KeyGate | None) -> AnswerKey:
    """Open a sealed key: the gate first, then all N passwords together.

    Implements UNT-KEY-3, UNT-KEY-4, UNT-SCORE-3, MAB-S-24, OZH-20, D-4.

    Parameters
    ----------
    sealed : SealedKey
        The key as NTC sent it.
    passwords : mapping of str to str
        Role → password, as the holders type them in.
    gate : StreamIdentification or FinalFileSent or None
        Proof that the key may be opened now (see :func:`check_gate`).

    Returns
    -------
    AnswerKey

    Raises
    ------
    DomainError
        The gate's rule when the gate is not passed; the same rule and the
        same message whether a password is missing, wrong, extra, or the
        sealed bytes were changed.
    """
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    check_gate(sealed.programme, sealed.stream, gate)
    refusal = DomainError(
        gate_rule(sealed.programme),
        f"the key did not open: these {len(sealed.roles)} passwords together are not the "
        "ones it was sealed with",
    )
    if set(passwords) != set(sealed.roles) or any(not p for p in passwords.values()):
        raise refusal
    secret = _derive(passwords, sealed.roles, sealed.salt, sealed.cost)
    try:
        plaintext = AESGCM(secret).decrypt(sealed.nonce, sealed.ciphertext, sealed.header())
    except InvalidTag:
        raise refusal from None
    return AnswerKey.model_validate_json(plaintext)


def _derive(
    passwords: Mapping[str, str], roles: Sequence[str], salt: bytes, cost: ScryptCost
) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    combined = b"".join(
        len(encoded).to_bytes(_LENGTH_PREFIX_BYTES, "big") + encoded
        for encoded in (passwords[role].encode("utf-8") for role in roles)
    )
    kdf = Scrypt(
        salt=salt,
        length=_KEY_BYTES,
        n=1 << cost.log2_n,
        r=cost.block_size,
        p=cost.parallelism,
    )
    return kdf.derive(combined)
