"""How many copies a document is printed in, and who receives each (UNT-STMT-1, UNT-KEY-6).

A copy's recipient is part of the rule, so the copies are data: the
documents print one page set per copy with the recipient in its header.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from ubt_domain.models import DomainModel

__all__ = [
    "KEY_COPIES",
    "SCHOOL_STATEMENT_COPIES",
    "UNT_STATEMENT_COPIES",
    "PrintedCopy",
]


class PrintedCopy(DomainModel):
    """One printed copy of a document and who receives it.

    Parameters
    ----------
    number : int
        The copy's number, from 1.
    recipient_kk, recipient_ru : str
        Who receives it, in Kazakh and in Russian.
    """

    malformed_rule: ClassVar[str] = "UNT-STMT-1"

    number: int = Field(ge=1)
    recipient_kk: str = Field(min_length=1)
    recipient_ru: str = Field(min_length=1)


def _copies(*recipients: tuple[str, str]) -> tuple[PrintedCopy, ...]:
    return tuple(
        PrintedCopy(number=n, recipient_kk=kk, recipient_ru=ru)
        for n, (kk, ru) in enumerate(recipients, start=1)
    )


#: The key printout: posted publicly, and the appeal commission's copy (UNT-KEY-6).
KEY_COPIES = _copies(
    ("көпшіліктің назарына ілінеді", "вывешивается для всеобщего обозрения"),
    ("апелляциялық комиссияға", "апелляционной комиссии"),
)
#: The ҰБТ statement without appeal (UNT-STMT-1).
UNT_STATEMENT_COPIES = _copies(
    ("көпшіліктің назарына ілінеді", "вывешивается для всеобщего обозрения"),
    ("Министрлік өкіліне", "представителю Министерства"),
    ("апелляциялық комиссия төрағасына", "председателю апелляционной комиссии"),
    ("ҰБТӨП-те қалады", "остаётся в ППЕНТ"),
)
#: The МАБ and ОЖСБ per-school statement (MAB-S-22, OZH-19).
SCHOOL_STATEMENT_COPIES = _copies(
    ("мектеп әкімшілігіне", "администрации школы"),
    ("АББ (ҚББ)", "РОО (ГОО)"),
    ("Министрлік өкіліне", "представителю Министерства"),
    ("ҰБТӨП-ке", "ППЕНТ"),
)
