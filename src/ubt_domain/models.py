"""Shared base and vocabulary of the domain models.

Every model is frozen and forbids unknown keys; a change returns a new object.
Module-specific models live beside the functions that use them.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

__all__ = ["DomainModel", "ExamLanguage", "Gender", "Programme"]


class DomainModel(BaseModel):
    """Base of all domain models: frozen, strict about unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Programme(StrEnum):
    """Which national testing procedure a record belongs to."""

    UNT = "ubt"  # ҰБТ
    OZHSB = "ozhsb"  # ОЖСБ
    MAB = "mab"  # МАБ


class ExamLanguage(StrEnum):
    """Exam language (UNT-FORM-14, UNT-ROOM-3)."""

    KAZAKH = "kk"
    RUSSIAN = "ru"


class Gender(StrEnum):
    """Sector 11 of the application form (UNT-FORM-13)."""

    MALE = "male"
    FEMALE = "female"
