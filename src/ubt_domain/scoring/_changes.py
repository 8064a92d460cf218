"""One validated way to change a frozen domain model, for this package's few changes.

A change builds a new model through validation (never ``model_copy(update=...)``,
which skips it), so an invariant broken by the change raises at once.
"""

from __future__ import annotations

from typing import Any, TypeVar

from ubt_domain.models import DomainModel

__all__ = ["evolved"]

_Model = TypeVar("_Model", bound=DomainModel)


def evolved(model: _Model, **changes: Any) -> _Model:
    """A new ``model`` with ``changes`` applied, validated like a fresh one."""
    fields = {name: getattr(model, name) for name in type(model).model_fields}
    return type(model).model_validate({**fields, **changes})
