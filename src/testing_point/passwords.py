"""Password verifiers: the store keeps a salted scrypt hash, never the password.

NTC hands the testing point the passwords that gate once-only steps (closing
the journal, a re-draw of seating, re-identification). The store records a
verifier at set-up; a step asks for the password (without echo, or from an
environment variable in scripts) and checks it against the verifier.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import os

__all__ = ["ask_password", "make_verifier", "matches"]

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}  # interactive-login strength, ~50 ms
_SALT_BYTES = 16


def make_verifier(password: str, salt: bytes) -> str:
    """A storable verifier of ``password``: ``salt_hex$hash_hex``."""
    if len(salt) < _SALT_BYTES:
        raise ValueError(f"salt must have at least {_SALT_BYTES} bytes, got {len(salt)}")
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return f"{salt.hex()}${digest.hex()}"


def matches(password: str, verifier: str) -> bool:
    """Whether ``password`` is the one ``verifier`` was made from (constant time)."""
    salt_hex, _, digest_hex = verifier.partition("$")
    digest = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt_hex), **_SCRYPT)
    return hmac.compare_digest(digest.hex(), digest_hex)


def ask_password(prompt: str, variable: str) -> str:
    """The password from environment variable ``variable``, else asked without echo."""
    given = os.environ.get(variable)
    return given if given is not None else getpass.getpass(f"{prompt}: ")
