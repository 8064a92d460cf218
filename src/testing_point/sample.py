"""A sample testing point: directories, rooms and applicants made from a seed.

The demo and the workflow's tests need a testing point that looks real: people
with Kazakh and Russian names, valid ИИНs (D-9), schools of one region, a room
fund that passes its checks, and a few mistakes that operators really make on
application forms. Everything here is a function of the seed, so two runs with
the same seed produce the same testing point to the byte.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from enum import StrEnum

from omrkit.synth.plan import LEFT_BLANK
from ubt_domain.application.applicants import Directories, Institution, InstitutionType
from ubt_domain.application.iin import iin_check_digit
from ubt_domain.models import ExamLanguage, Gender

__all__ = [
    "FormMistake",
    "SamplePerson",
    "SamplePoint",
    "sample_point",
]

REGION = "35"
SCHOOLS = ("350001", "350002", "350003")
EXAM_YEAR = 2026
_SURNAMES = (
    "ӘБДІРОВ", "АХМЕТОВ", "БЕКОВ", "ДӘУЛЕТОВ", "ЕРМЕКОВ", "ЖАНОВ", "ИСАЕВ", "ҚАСЫМОВ",
    "ЛЕБЕДЕВ", "МҰХАНОВ", "НҰРОВ", "ОМАРОВ", "ПЕТРОВ", "РАХИМОВ", "СЕЙІТОВ", "ТЕМІРОВ",
    "ҮСЕНОВ", "ХАСЕНОВ", "ШӘКІРОВ", "ЫСҚАҚОВ",
)  # fmt: skip
_MALE_NAMES = (
    "АЙДОС", "АСҚАР", "БОЛАТ", "ДАНИЯР", "ЕРЛАН", "ЖАНДОС", "ИЛЬЯС", "ҚАЙРАТ", "МАРАТ",
    "НҰРЛАН", "ОЛЖАС", "РУСЛАН", "САЯН", "ТИМУР",
)  # fmt: skip
_FEMALE_NAMES = (
    "АЙГЕРІМ", "АЛИЯ", "БОТАГӨЗ", "ДАНА", "ЖАНАР", "ИНДИРА", "ҚАРЛЫҒАШ", "МАДИНА", "НАЗЕРКЕ",
    "ӘСЕМ", "САУЛЕ", "ТОМИРИС",
)  # fmt: skip
_PATRONYMIC_ROOTS = ("ҚАЙРАТ", "МАРАТ", "БОЛАТ", "ЕРЛАН", "САЯН")
_RUSSIAN_SHARE = 0.2


class FormMistake(StrEnum):
    """Mistakes applicants make on the application form, planted in the sample."""

    IIN_CHECK_DIGIT = "iin_check_digit"  # one digit painted wrong: D-9 catches it
    BLANK_NAME = "blank_name"  # sector 2 left empty (UNT-FORM-4)
    UNKNOWN_NATIONALITY = "unknown_nationality"  # a code not in the directory (UNT-FORM-9)


@dataclass(frozen=True)
class SamplePerson:
    """One applicant as they really are, and how they paint their form."""

    surname: str
    name: str
    patronymic: str | None
    iin: str
    birth_date: dt.date
    gender: Gender
    nationality_code: str
    institution_code: str
    exam_language: ExamLanguage
    mistake: FormMistake | None

    def form_values(self, tzhk: str) -> dict[str, str]:
        """The application form's fields as this person paints them (mistake included)."""
        folded = {"Ё": "Е", "Ъ": "Ь"}
        values = {
            "surname": "".join(folded.get(c, c) for c in self.surname),
            "name": "".join(folded.get(c, c) for c in self.name),
            "tzhk": tzhk,
            "iin": self.iin,
            "citizenship": "398",
            "nationality": self.nationality_code,
            "institution_type": InstitutionType.SCHOOL.value,
            "region": REGION,
            "institution_code": self.institution_code,
            "gender": self.gender.value,
            "exam_language": self.exam_language.value,
            **{flag: LEFT_BLANK for flag in ("history_language", "changed", "deleted", "damaged")},
        }
        values["patronymic"] = self.patronymic or LEFT_BLANK
        if self.mistake is FormMistake.IIN_CHECK_DIGIT:
            wrong = (int(self.iin[-1]) + 1) % 10
            values["iin"] = self.iin[:-1] + str(wrong)
        elif self.mistake is FormMistake.BLANK_NAME:
            values["name"] = LEFT_BLANK
        elif self.mistake is FormMistake.UNKNOWN_NATIONALITY:
            values["nationality"] = "999"
        return values

    def corrected(self) -> SamplePerson:
        """The same person after the technical secretary's correction of the form."""
        return SamplePerson(**{**self.__dict__, "mistake": None})


@dataclass(frozen=True)
class SamplePoint:
    """A testing point's sample data."""

    code: str
    directories: Directories
    people: tuple[SamplePerson, ...]


def _iin(rng: random.Random, birth: dt.date, gender: Gender) -> str:
    # Century digit for people born 2000-2099: 5 male, 6 female (D-9).
    century = "5" if gender is Gender.MALE else "6"
    while True:
        serial = f"{rng.randrange(10_000):04d}"
        first = f"{birth:%y%m%d}{century}{serial}"
        check = iin_check_digit(first)
        if check is not None:
            return f"{first}{check}"


def _person(rng: random.Random, mistake: FormMistake | None) -> SamplePerson:
    gender = rng.choice((Gender.MALE, Gender.FEMALE))
    surname = rng.choice(_SURNAMES)
    if gender is Gender.FEMALE:
        surname = surname + "А"
    name = rng.choice(_MALE_NAMES if gender is Gender.MALE else _FEMALE_NAMES)
    root = rng.choice(_PATRONYMIC_ROOTS)
    patronymic = root + ("ҰЛЫ" if gender is Gender.MALE else "ҚЫЗЫ")
    birth = dt.date(EXAM_YEAR - 18, rng.randint(1, 12), rng.randint(1, 28))
    language = ExamLanguage.RUSSIAN if rng.random() < _RUSSIAN_SHARE else ExamLanguage.KAZAKH
    return SamplePerson(
        surname=surname,
        name=name,
        patronymic=patronymic if len(patronymic) <= 15 else None,
        iin=_iin(rng, birth, gender),
        birth_date=birth,
        gender=gender,
        nationality_code="001" if language is ExamLanguage.RUSSIAN else "005",
        institution_code=rng.choice(SCHOOLS),
        exam_language=language,
        mistake=mistake,
    )


def sample_point(*, applicants: int, seed: int, mistakes: int = 3) -> SamplePoint:
    """A testing point with ``applicants`` people, ``mistakes`` of them with a form mistake.

    Parameters
    ----------
    applicants : int
        How many people apply; at least ``mistakes``.
    seed : int
        Every name, date, code and mistake follows from it.
    mistakes : int
        How many forms carry a planted mistake, cycling through :class:`FormMistake`.

    Examples
    --------
    >>> point = sample_point(applicants=10, seed=1)
    >>> len(point.people), sum(p.mistake is not None for p in point.people)
    (10, 3)
    >>> sample_point(applicants=10, seed=1) == point
    True
    """
    if applicants < mistakes or mistakes < 0:
        raise ValueError(f"need 0 <= mistakes <= applicants, got {mistakes} and {applicants}")
    rng = random.Random(seed)
    kinds = list(FormMistake)
    planted = set(rng.sample(range(applicants), mistakes))
    order = sorted(planted)
    people: list[SamplePerson] = []
    seen: set[tuple[str, str, str | None, str]] = set()
    for k in range(applicants):
        while True:  # a journal holds a name once per school: draw again on a namesake
            person = _person(rng, kinds[order.index(k) % len(kinds)] if k in planted else None)
            who = (person.surname, person.name, person.patronymic, person.institution_code)
            if who not in seen:
                seen.add(who)
                people.append(person)
                break
    schools = {
        code: Institution(
            code=code, name=f"№{int(code[-3:])} орта мектеп", kind=InstitutionType.SCHOOL,
            region_code=REGION,
        )
        for code in SCHOOLS
    }  # fmt: skip
    directories = Directories(
        citizenships={"398": "Қазақстан"},
        nationalities={"005": "қазақ", "001": "орыс"},
        regions={REGION: "Қарағанды облысы"},
        institutions=schools,
    )
    return SamplePoint(code="035", directories=directories, people=tuple(people))
