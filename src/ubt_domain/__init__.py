"""ubt_domain: Kazakhstan's national testing procedures (ҰБТ, ОЖСБ, МАБ) as pure functions.

Consumes omrkit readings; never touches files, the clock or randomness:
time, seeds and data come in as arguments.
"""

from __future__ import annotations

from ubt_domain.errors import DomainError
from ubt_domain.models import DomainModel, ExamLanguage, Gender, Programme

__all__ = ["DomainError", "DomainModel", "ExamLanguage", "Gender", "Programme"]
