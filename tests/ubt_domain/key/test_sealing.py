"""Sealing and opening the answer key: N-of-N passwords behind the programme's gate."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.ubt_domain.answer_readings import room
from tests.ubt_domain.unt_stream import ROOM, key_for, stream, unt_reading
from ubt_domain.errors import DomainError
from ubt_domain.identification.closing import StreamIdentification
from ubt_domain.key.answer_key import AnswerKey, SubjectKey, VariantKey, key_frame
from ubt_domain.key.gate import FinalFileSent
from ubt_domain.key.sealing import (
    MEMORY_HARD_SCRYPT,
    TEST_SCRYPT,
    UNT_KEY_ROLES,
    SealedKey,
    open_key,
    seal_key,
)
from ubt_domain.models import Programme

SALT = bytes(range(16))
NONCE = bytes(range(12))
PASSWORDS = dict(zip(UNT_KEY_ROLES, ("chair-Ә1", "nsc-Қ2", "ministry-Ұ3"), strict=True))
# A marker no ciphertext would hold by chance: an answer string the test searches for.
MARKER_ANSWERS = ("EDCBA",) * 5


def _closed() -> StreamIdentification:
    roster = room(2, number=ROOM)
    return stream([unt_reading(k, roster) for k in (1, 2)], roster)[0]


def _sealed(programme: Programme = Programme.UNT, key: AnswerKey | None = None) -> SealedKey:
    return seal_key(
        key or key_for(["0101", "0102"]),
        PASSWORDS,
        programme=programme,
        stream=1 if programme is Programme.UNT else None,
        salt=SALT,
        nonce=NONCE,
        cost=TEST_SCRYPT,
    )


def _final_file(programme: Programme) -> FinalFileSent:
    return FinalFileSent(
        programme=programme,
        testing_point="031",
        sent_at=datetime(2026, 5, 12, 15, 0, tzinfo=UTC),
        reference="final-031.zip",
    )


def test_unt_key_4_all_three_passwords_open_the_key_of_a_closed_stream() -> None:
    """With the stream closed and the three passwords, the key opens unchanged."""
    key = key_for(["0101", "0102"])
    assert open_key(_sealed(key=key), PASSWORDS, gate=_closed()) == key


@pytest.mark.parametrize(
    "passwords",
    [
        {role: PASSWORDS[role] for role in UNT_KEY_ROLES[:2]},
        {role: PASSWORDS[role] for role in UNT_KEY_ROLES[1:]},
        {**PASSWORDS, UNT_KEY_ROLES[0]: "chair-Ә1 "},
        {**PASSWORDS, UNT_KEY_ROLES[2]: "wrong"},
        {**PASSWORDS, "someone_else": "x"},
    ],
    ids=["no-ministry", "no-chair", "chair-typo", "ministry-wrong", "extra-role"],
)
def test_unt_key_4_two_of_three_or_one_wrong_password_fail_alike(
    passwords: dict[str, str],
) -> None:
    """Missing, wrong and extra passwords give one and the same refusal."""
    with pytest.raises(DomainError) as refused:
        open_key(_sealed(), passwords, gate=_closed())
    assert refused.value.rule_id == "UNT-KEY-4"
    assert refused.value.message == (
        "the key did not open: these 3 passwords together are not the ones it was sealed with"
    )


def test_unt_key_2_key_refuses_before_the_stream_identification_is_closed() -> None:
    """No closed identification (or another stream's) keeps the key shut, passwords or not."""
    sealed = _sealed()
    with pytest.raises(DomainError, match="identification is closed") as refused:
        open_key(sealed, PASSWORDS, gate=None)
    assert refused.value.rule_id == "UNT-KEY-4"
    other = StreamIdentification.model_validate({**dict(_closed()), "stream": 2})
    with pytest.raises(DomainError, match="stream 1"):
        open_key(sealed, PASSWORDS, gate=other)
    with pytest.raises(DomainError):
        open_key(sealed, PASSWORDS, gate=_final_file(Programme.MAB))


@pytest.mark.parametrize(
    ("programme", "rule"), [(Programme.MAB, "MAB-S-24"), (Programme.OZHSB, "OZH-20")]
)
def test_d_4_school_key_opens_only_after_the_final_file_is_recorded_as_sent(
    programme: Programme, rule: str
) -> None:
    """МАБ/ОЖСБ: the final-file record of the same programme is the gate."""
    key = key_for(["0001"])
    sealed = _sealed(programme, key)
    with pytest.raises(DomainError) as refused:
        open_key(sealed, PASSWORDS, gate=None)
    assert refused.value.rule_id == rule
    with pytest.raises(DomainError):
        open_key(sealed, PASSWORDS, gate=_closed())
    other = Programme.OZHSB if programme is Programme.MAB else Programme.MAB
    with pytest.raises(DomainError):
        open_key(sealed, PASSWORDS, gate=_final_file(other))
    assert open_key(sealed, PASSWORDS, gate=_final_file(programme)) == key


def test_mab_s_24_single_password_is_n_of_n_with_n_one() -> None:
    """The gate is N-of-N with N configurable: МАБ names one password."""
    sealed = seal_key(
        key_for(["0001"]),
        {"ministry_representative": "p"},
        programme=Programme.MAB,
        stream=None,
        salt=SALT,
        nonce=NONCE,
        cost=TEST_SCRYPT,
    )
    assert sealed.roles == ("ministry_representative",)
    gate = _final_file(Programme.MAB)
    assert open_key(sealed, {"ministry_representative": "p"}, gate=gate).exam == "ubt"
    with pytest.raises(DomainError, match="did not open"):
        open_key(sealed, {"ministry_representative": "q"}, gate=gate)


def test_ozh_20_sealed_bytes_hold_no_plaintext_answer() -> None:
    """The ciphertext contains neither the answer string nor the key's JSON words."""
    key = AnswerKey(
        exam="ozhsb",
        variants=(
            VariantKey(
                variant="0007",
                subjects=tuple(
                    SubjectKey(subject=f"answers_{s}", accepted=tuple((c,) for c in answers))
                    for s, answers in enumerate(MARKER_ANSWERS, start=1)
                ),
            ),
        ),
    )
    sealed = _sealed(Programme.OZHSB, key)
    plaintext = key.model_dump_json().encode()
    assert b'"E"' in plaintext  # the search below looks for something that was there
    for needle in (b'"E"', b"answers_1", b"0007", b"accepted", b"EDCBA"):
        assert needle not in sealed.ciphertext
        assert needle not in sealed.model_dump_json().encode()


def test_d_4_sealed_key_round_trips_through_json() -> None:
    """The sealed key is stored as JSON (bytes as base64) and opens after the trip."""
    sealed = _sealed()
    again = SealedKey.model_validate_json(sealed.model_dump_json())
    assert again == sealed
    assert open_key(again, PASSWORDS, gate=_closed()) == key_for(["0101", "0102"])


def test_d_4_tampered_header_or_ciphertext_does_not_open() -> None:
    """Relabelling the programme or flipping a byte fails the tag: the same refusal."""
    sealed = _sealed()
    flipped = bytes([sealed.ciphertext[0] ^ 1]) + sealed.ciphertext[1:]
    broken = SealedKey.model_validate({**dict(sealed), "ciphertext": flipped})
    with pytest.raises(DomainError, match="did not open"):
        open_key(broken, PASSWORDS, gate=_closed())
    relabelled = SealedKey.model_validate({**dict(sealed), "roles": tuple(reversed(sealed.roles))})
    with pytest.raises(DomainError, match="did not open"):
        open_key(relabelled, PASSWORDS, gate=_closed())


def test_d_4_sealing_takes_its_randomness_and_is_reproducible() -> None:
    """Same salt, nonce and passwords give the same bytes; another salt changes them."""
    assert _sealed() == _sealed()
    other = seal_key(
        key_for(["0101", "0102"]),
        PASSWORDS,
        programme=Programme.UNT,
        stream=1,
        salt=bytes(16),
        nonce=NONCE,
        cost=TEST_SCRYPT,
    )
    assert other.ciphertext != _sealed().ciphertext


def test_d_4_memory_hard_cost_is_the_default() -> None:
    """The default derivation is memory-hard (≥ 64 MiB); the test preset is explicit."""
    memory_bytes = 128 * MEMORY_HARD_SCRYPT.block_size * (1 << MEMORY_HARD_SCRYPT.log2_n)
    assert memory_bytes >= 64 * 1024 * 1024
    assert seal_key.__kwdefaults__["cost"] is MEMORY_HARD_SCRYPT
    assert TEST_SCRYPT.log2_n < MEMORY_HARD_SCRYPT.log2_n


def test_d_4_malformed_sealing_input_is_refused() -> None:
    """No password, an empty one, a short salt or a wrong nonce length are refused."""
    key = key_for(["0101"])
    for passwords, salt, nonce in (
        ({}, SALT, NONCE),
        ({"a": ""}, SALT, NONCE),
        (PASSWORDS, SALT[:8], NONCE),
        (PASSWORDS, SALT, NONCE[:8]),
    ):
        with pytest.raises(DomainError):
            seal_key(
                key,
                passwords,
                programme=Programme.UNT,
                stream=1,
                salt=salt,
                nonce=nonce,
                cost=TEST_SCRYPT,
            )
    with pytest.raises(DomainError):
        seal_key(
            key,
            PASSWORDS,
            programme=Programme.MAB,
            stream=1,
            salt=SALT,
            nonce=NONCE,
            cost=TEST_SCRYPT,
        )


def test_unt_key_1_key_frame_lists_every_accepted_option() -> None:
    """One row per variant, subject, task and accepted option, with its points."""
    key = AnswerKey(
        exam="e",
        variants=(
            VariantKey(
                variant="1",
                subjects=(SubjectKey(subject="answers_1", accepted=(("A",), ("B", "C"))),),
            ),
        ),
    )
    rows = key_frame(key).rows()
    assert rows == [
        ("1", "answers_1", 1, "A", 1),
        ("1", "answers_1", 2, "B", 1),
        ("1", "answers_1", 2, "C", 1),
    ]


def test_unt_key_1_a_key_repeating_a_variant_or_missing_an_option_is_refused() -> None:
    """A variant keyed twice or a task accepting nothing is a broken key file."""
    subject = SubjectKey(subject="answers_1", accepted=(("A",),))
    with pytest.raises(DomainError):
        AnswerKey(exam="e", variants=(VariantKey(variant="1", subjects=(subject,)),) * 2)
    with pytest.raises(DomainError):
        SubjectKey(subject="answers_1", accepted=(("A",), ()))


def test_unt_key_3_the_ministry_password_from_ntc_is_one_of_the_three() -> None:
    """The Ministry representative's password (sent by NTC) is required with the other two."""
    assert "ministry_representative" in UNT_KEY_ROLES
    without = {r: p for r, p in PASSWORDS.items() if r != "ministry_representative"}
    with pytest.raises(DomainError, match="did not open"):
        open_key(_sealed(), without, gate=_closed())
