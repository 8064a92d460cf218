"""The layout: the single source of truth for printing and reading a sheet.

In: a JSON file or a bundled name. Out: frozen :class:`~omrkit.layout.models.SheetLayout`
models (bubbles, slots, fields, registration squares, codes) and their flat arrays
(:class:`~omrkit.layout.models.BubbleArrays`), which is all the hot path sees.
``targets`` holds the printed test targets of calibration sheets.
``models`` holds the models and loading (on the frozen ``base``), ``codes`` the
printed bit codes, ``colour`` the ``#rrggbb`` colours, ``_checks`` their validation, ``builder``
with ``blocks`` and ``grids`` the sheet-design helpers the bundled layouts are drawn with.
"""

from omrkit.layout.models import SheetLayout, bundled_layout_names, load_layout, save_layout

__all__ = ["SheetLayout", "bundled_layout_names", "load_layout", "save_layout"]
