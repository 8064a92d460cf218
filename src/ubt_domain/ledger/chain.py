"""A hash chain of entries: each entry's SHA-256 covers its content and its predecessor's hash.

An entry is never changed in place; a later entry supersedes it. Linking
each entry to the hash of the one before makes the sequence tamper-evident:
editing an entry breaks its own hash, re-hashing it breaks its successor's
link, removing or swapping entries breaks the numbering and the links, and
dropping the newest entries is caught against a head hash kept elsewhere
(printed on the statement, sent to NTC).

The hash is SHA-256 over canonical JSON (sorted keys, UTF-8, no spaces) of
every field but the hash itself, prefixed by a domain tag so a hash of one
kind of chain can never stand for another's.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from enum import StrEnum
from typing import Any, ClassVar, Self

from pydantic import Field

from ubt_domain.models import DomainModel

__all__ = [
    "GENESIS_HASH",
    "ChainCheck",
    "ChainProblem",
    "LinkedEntry",
    "Tamper",
    "verify_chain",
]

#: What the first entry links to: no predecessor.
GENESIS_HASH = "0" * 64
_SHA256_HEX = r"^[0-9a-f]{64}$"
_HASHED_FIELD = "entry_hash"


class LinkedEntry(DomainModel):
    """Base of an entry of a hash chain.

    Parameters
    ----------
    seq : int
        Position in the chain, from 0, without gaps.
    prev_hash : str
        ``entry_hash`` of the entry before, :data:`GENESIS_HASH` for the first.
    entry_hash : str
        SHA-256 (hex) of this entry's content, ``prev_hash`` included.
    """

    malformed_rule: ClassVar[str] = "UNT-STMT-2"

    chain_tag: ClassVar[bytes] = b"ubt_domain.chain.v1"

    seq: int = Field(ge=0)
    prev_hash: str = Field(pattern=_SHA256_HEX)
    entry_hash: str = Field(pattern=_SHA256_HEX)

    def content_hash(self) -> str:
        """The SHA-256 this entry's content hashes to now (compare with ``entry_hash``)."""
        return _digest(self.chain_tag, self.model_dump(mode="json", exclude={_HASHED_FIELD}))

    @classmethod
    def linked(cls, previous: LinkedEntry | None, **content: Any) -> Self:
        """A new entry after ``previous`` (None for the first), its hash computed.

        ``content`` holds the subclass's own fields; ``seq``, ``prev_hash`` and
        ``entry_hash`` are set here.
        """
        seq = 0 if previous is None else previous.seq + 1
        prev_hash = GENESIS_HASH if previous is None else previous.entry_hash
        # Validate once without the hash to get the canonical JSON form of the content.
        draft = cls.model_validate(
            {**content, "seq": seq, "prev_hash": prev_hash, _HASHED_FIELD: GENESIS_HASH}
        )
        return cls.model_validate(
            {**content, "seq": seq, "prev_hash": prev_hash, _HASHED_FIELD: draft.content_hash()}
        )


def _digest(tag: bytes, content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(tag + b"\x00" + canonical.encode("utf-8")).hexdigest()


class Tamper(StrEnum):
    """How a chain was found altered."""

    EDITED = "edited"  # content no longer matches the entry's own hash
    REHASHED = "rehashed"  # the successor's link does not match: an entry was re-hashed or lost
    REMOVED = "removed"  # a gap in the numbering
    REORDERED = "reordered"  # numbering out of order
    TRUNCATED = "truncated"  # the last hash is not the head kept elsewhere


class ChainProblem(DomainModel):
    """One finding of :func:`verify_chain`: where and what."""

    malformed_rule: ClassVar[str] = "UNT-STMT-2"

    position: int = Field(ge=0, description="index in the sequence as given")
    seq: int | None = Field(description="the entry's own number; None for the chain's end")
    tamper: Tamper
    detail: str


class ChainCheck(DomainModel):
    """The result of verifying a chain: empty ``problems`` means intact."""

    malformed_rule: ClassVar[str] = "UNT-STMT-2"

    entries: int = Field(ge=0)
    head_hash: str = Field(description="entry_hash of the last entry as given")
    problems: tuple[ChainProblem, ...]

    @property
    def intact(self) -> bool:
        return not self.problems


def verify_chain(entries: Sequence[LinkedEntry], *, head: str | None = None) -> ChainCheck:
    """Check numbering, every entry's hash and every link, and the head if given.

    Parameters
    ----------
    entries : sequence of LinkedEntry
        The chain as stored, oldest first.
    head : str, optional
        The last entry's hash as recorded outside the store (printed on a
        statement, sent to NTC); without it, dropping the newest entries
        cannot be told from a shorter chain.

    Returns
    -------
    ChainCheck
        Every problem found, in sequence order; each entry is checked on its
        own, so one tampering may show more than one problem.
    """
    problems: list[ChainProblem] = []
    seqs = [entry.seq for entry in entries]
    reordered = seqs != sorted(seqs)
    expected_prev = GENESIS_HASH
    for position, entry in enumerate(entries):
        if entry.seq != position:
            if reordered:
                problems.append(
                    ChainProblem(
                        position=position,
                        seq=entry.seq,
                        tamper=Tamper.REORDERED,
                        detail=f"entry {entry.seq} stands at {position}",
                    )
                )
            elif position == 0 or entries[position - 1].seq == position - 1:
                missing = f"{position}..{entry.seq - 1}" if entry.seq - 1 > position else position
                problems.append(
                    ChainProblem(
                        position=position,
                        seq=entry.seq,
                        tamper=Tamper.REMOVED,
                        detail=f"entry {missing} is missing",
                    )
                )
        if entry.content_hash() != entry.entry_hash:
            problems.append(
                ChainProblem(
                    position=position,
                    seq=entry.seq,
                    tamper=Tamper.EDITED,
                    detail=f"entry {entry.seq} does not match its hash",
                )
            )
        if entry.prev_hash != expected_prev:
            problems.append(
                ChainProblem(
                    position=position,
                    seq=entry.seq,
                    tamper=Tamper.REHASHED,
                    detail=f"entry {entry.seq} does not link to the entry before it",
                )
            )
        expected_prev = entry.entry_hash
    if head is not None and head != expected_prev:
        problems.append(
            ChainProblem(
                position=len(entries),
                seq=None,
                tamper=Tamper.TRUNCATED,
                detail="the last entry is not the recorded head",
            )
        )
    return ChainCheck(entries=len(entries), head_hash=expected_prev, problems=tuple(problems))
