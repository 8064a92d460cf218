"""Password verifiers: the store keeps a salted scrypt hash, never the password.

NTC hands the testing point the passwords that gate once-only steps (closing
the journal, a re-draw of seating, re-identification). The store records a
verifier at set-up; a step asks for the password (without echo, or from an
environment variable in scripts) and checks it against the verifier.
"""

from __future__ import annotations

import getpass
import os

from ubt_domain.passwords import PasswordVerifier, password_verifier

__all__ = ["ask_password", "make_verifier", "matches", "verifier_of"]


def make_verifier(password: str, salt: bytes) -> str:
    """A storable verifier of ``password``: the domain's verifier as JSON."""
    return password_verifier(password, salt=salt).model_dump_json()


def verifier_of(stored: str) -> PasswordVerifier:
    """The verifier a store holds, as the domain's model."""
    return PasswordVerifier.model_validate_json(stored)


def matches(password: str, stored: str) -> bool:
    """Whether ``password`` is the one the stored verifier was made from (constant time)."""
    return verifier_of(stored).accepts(password)


def ask_password(prompt: str, variable: str) -> str:
    """The password from environment variable ``variable``, else asked without echo."""
    given = os.environ.get(variable)
    return given if given is not None else getpass.getpass(f"{prompt}: ")
