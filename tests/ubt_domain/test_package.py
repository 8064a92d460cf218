"""The package's public API: the entry points of every stage are importable from ``ubt_domain``."""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil
from types import ModuleType

import ubt_domain

ENTRY_POINTS = {
    "decode_application",
    "Applicant",
    "Directories",
    "validate_iin",
    "reconcile",
    "register_applicant",
    "close_journal",
    "validate_room_fund",
    "allocate",
    "seat_room",
    "seat_additionally",
    "assign_variants",
    "identify_room",
    "apply_commission_rows",
    "identification_protocol",
    "identification_protocol_pdf",
    "close_stream_identification",
    "reidentify",
    "identify_school",
    "apply_school_rows",
    "school_sheet_data",
    "answer_sheet_data",
}


def _modules() -> list[ModuleType]:
    return [
        importlib.import_module(m.name)
        for m in pkgutil.walk_packages(ubt_domain.__path__, prefix="ubt_domain.")
    ]


def test_entry_points_of_every_stage_are_exported() -> None:
    """Applicants, journal, rooms, seating and identification are reachable from the package."""
    assert set(ubt_domain.__all__) >= ENTRY_POINTS


def test_every_document_is_exported() -> None:
    """Each function that prints a document (``*_pdf``) is part of the public API."""
    printers = {
        name
        for module in _modules()
        for name in getattr(module, "__all__", ())
        if name.endswith("_pdf") and name != "compile_pdf"  # the typst helper every one uses
        if inspect.isfunction(getattr(module, name))
    }
    assert printers
    assert printers <= set(ubt_domain.__all__)


def test_exported_names_are_the_modules_own_objects() -> None:
    """The package re-exports each name from the module that defines it, unchanged."""
    for name in ubt_domain.__all__:
        exported = getattr(ubt_domain, name)
        home = getattr(exported, "__module__", None)
        if home is not None and home.startswith("ubt_domain."):
            assert getattr(importlib.import_module(home), name) is exported, name


def test_no_exported_name_shadows_a_module() -> None:
    """An exported function named like a module would hide it from ``import ubt_domain.x as m``."""
    modules = {m.name for m in pkgutil.iter_modules(ubt_domain.__path__)}
    assert modules.isdisjoint(ubt_domain.__all__)


def test_every_docstring_example_holds() -> None:
    """The doctested examples of every module run as written."""
    attempted = 0
    for module in _modules():
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.failed == 0, module.__name__
        attempted += result.attempted
    assert attempted > 0
