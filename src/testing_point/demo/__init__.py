"""The demo: one testing point runs a whole ҰБТ stream on its store, forms to certificates.

:func:`run_demo` (:mod:`testing_point.demo.run`) is the public API's walk-through:
a sample testing point, its simulated scans and each procedure step in the order
a testing point runs them. ``setting`` holds its dates and passwords, ``summary``
what it prints, ``appeal_day`` the appeals it files and decides.
"""

from testing_point.demo.appeal_day import near_key_mark
from testing_point.demo.run import answer_key, run_demo
from testing_point.demo.setting import SUBJECT_FIELDS, subject_titles
from testing_point.demo.summary import DemoSummary

__all__ = [
    "SUBJECT_FIELDS",
    "DemoSummary",
    "answer_key",
    "near_key_mark",
    "run_demo",
    "subject_titles",
]
