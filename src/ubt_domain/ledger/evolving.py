"""One validated way to change a frozen domain model: build a new one through validation.

A stand-in for ``DomainModel.evolve`` that is safe to replace by it: the new
object passes every validator again, which ``model_copy(update=...)`` would skip.
"""

from __future__ import annotations

from typing import Any, TypeVar

from ubt_domain.models import DomainModel

__all__ = ["evolved"]

ModelT = TypeVar("ModelT", bound=DomainModel)


def evolved(model: ModelT, **changes: Any) -> ModelT:
    """Return a copy of ``model`` with ``changes`` applied, validated like a new model.

    Examples
    --------
    >>> from ubt_domain.ledger.scores import TaskPoints
    >>> evolved(TaskPoints(tzhk="1", subject="math", task=1, points=0), points=1).points
    1
    """
    fields = {name: getattr(model, name) for name in type(model).model_fields}
    return type(model).model_validate({**fields, **changes})
