"""Malformed records raise DomainError with a rule id, whichever way a model is built."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ubt_domain
from ubt_domain.errors import DomainError
from ubt_domain.models import MALFORMED_INPUT, DomainModel, ExamLanguage
from ubt_domain.rooms.allocation import RoomAllocation
from ubt_domain.rooms.fund import Room
from ubt_domain.rooms.seating import SeatingPlan

RULE_ID = re.compile(r"^(UNT-[A-Z]+-\d+|OZH-\d+|MAB-[SU]-\d+|D-\d+|EJ-\d+)$")


def _domain_models() -> list[type[DomainModel]]:
    """Every model the package defines, found by importing each of its modules."""
    for module in pkgutil.walk_packages(ubt_domain.__path__, prefix="ubt_domain."):
        importlib.import_module(module.name)
    found: list[type[DomainModel]] = []
    pending = list(DomainModel.__subclasses__())
    while pending:
        model = pending.pop()
        pending.extend(model.__subclasses__())
        if model.__module__.startswith("ubt_domain."):
            found.append(model)
    return sorted(set(found), key=lambda m: (m.__module__, m.__name__))


MODELS = _domain_models()
# Values of every shape a careless caller might pass, for the property below.
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 200),
    st.text(max_size=12),
    st.lists(st.integers(0, 9), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)


def test_the_walk_finds_the_model_families() -> None:
    """The package walk sees models of every family: applicants, rooms, seating, identification."""
    names = {m.__name__ for m in MODELS}
    assert {"Applicant", "RoomFund", "SeatingPlan", "CommissionRow", "ListedStudent"} <= names
    assert len(MODELS) > 40


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_model_names_the_rule_its_records_carry(model: type[DomainModel]) -> None:
    """Each model declares a RULES.md id for malformed records, not the generic fallback."""
    assert model.malformed_rule != MALFORMED_INPUT
    assert RULE_ID.fullmatch(model.malformed_rule)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_unknown_key_is_a_domain_error_naming_the_key(model: type[DomainModel]) -> None:
    """An unknown key, by constructor or model_validate, is refused with the model's rule."""
    builds: list[Callable[[], object]] = [
        lambda: model(unknown_key=1),
        lambda: model.model_validate({"unknown_key": 1}),
    ]
    for build in builds:
        with pytest.raises(DomainError, match="unknown_key") as info:
            build()
        assert info.value.rule_id == model.malformed_rule
        assert model.__name__ in info.value.message


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_non_mapping_and_bad_json_are_domain_errors(model: type[DomainModel]) -> None:
    """A record that is not a mapping, or JSON that does not parse, is refused the same way."""
    builds: list[Callable[[], object]] = [
        lambda: model.model_validate(42),
        lambda: model.model_validate_json("{not json"),
        lambda: model.model_validate_strings(["x"]),
    ]
    for build in builds:
        with pytest.raises(DomainError) as info:
            build()
        assert info.value.rule_id == model.malformed_rule


@settings(max_examples=20, deadline=None)
@given(data=st.data())
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_junk_never_leaks_a_pydantic_error(model: type[DomainModel], data: st.DataObject) -> None:
    """Whatever values fill a model's fields, it is built or refused with a DomainError."""
    keys = st.sampled_from([*model.model_fields, "unknown_key"])
    record: dict[str, Any] = data.draw(st.dictionaries(keys, JUNK, max_size=6))
    outcome: DomainModel | DomainError
    try:
        outcome = model.model_validate(record)
    except DomainError as error:
        outcome = error
    if isinstance(outcome, DomainError):
        assert RULE_ID.fullmatch(outcome.rule_id)
    else:
        assert isinstance(outcome, model)


def test_domain_error_is_a_value_error() -> None:
    """Callers that catch ValueError keep working."""
    with pytest.raises(ValueError, match="UNT-ROOM-11"):
        Room(number=0, building="A", desks=15, seats=30)


def test_unt_room_11_message_names_the_field_and_what_was_expected() -> None:
    """The message says which field, what it should be and what was given."""
    with pytest.raises(DomainError) as info:
        Room(number=0, building="A", desks=15, seats=30)
    assert info.value.rule_id == "UNT-ROOM-11"
    assert "malformed Room: number: Input should be greater than or equal to 1 (got 0)" in str(
        info.value
    )


def test_unt_room_17_missing_fields_are_named_and_long_lists_are_cut() -> None:
    """Missing fields are named together; past three wrong fields the rest are counted."""
    with pytest.raises(DomainError) as info:
        RoomAllocation.model_validate({})
    assert info.value.message.endswith("missing field(s) stream, room, language, seats")
    wrong = {"stream": 0, "room": 0, "seats": 0, "reserve": "maybe", "tzhks": 5}
    with pytest.raises(DomainError) as info:
        RoomAllocation.model_validate({"language": "kk"} | wrong)
    assert "and 2 more" in info.value.message
    assert info.value.rule_id == "UNT-ROOM-17"


def test_unt_seat_9_validator_rule_wins_over_the_model_rule() -> None:
    """A nested validator's DomainError keeps its own rule id and says where it arose."""
    assignment = {"tzhk": "1", "stream": 1, "room": 1, "seat": 1, "additional": True}
    record = {
        "stream": 1,
        "room": 1,
        "language": ExamLanguage.KAZAKH,
        "seats": 30,
        "seed_commitment": "0" * 64,
        "assignments": [assignment],
    }
    with pytest.raises(DomainError, match="protocol ref") as info:
        SeatingPlan.model_validate(record)
    assert info.value.rule_id == "UNT-SEAT-9"
    assert "SeatingPlan (at assignments.0)" in info.value.message


def test_unt_room_17_validator_rule_survives_json_input() -> None:
    """A validator's rule id comes through model_validate_json as well."""
    document = '{"stream": 1, "room": 1, "language": "kk", "seats": 1, "tzhks": ["1", "2"]}'
    with pytest.raises(DomainError, match="at most 1") as info:
        RoomAllocation.model_validate_json(document)
    assert info.value.rule_id == "UNT-ROOM-17"
