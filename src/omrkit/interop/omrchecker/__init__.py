"""OMRChecker templates and scans: load a template, read a scan, answer in its form.

In: a ``template.json`` (page, bubble sizes, field blocks, custom labels,
pre-processors), optionally its ``config.json``, and image files. Out: an
:class:`OmrCheckerLayout` (``template``), registration steps (``steps``,
carried out by ``align``), a :class:`~omrkit.types.SheetReading`
(``reader``) and OMRChecker's label -> value answers (``responses``).
"""

from omrkit.interop.omrchecker.template import OmrCheckerLayout, load_template

__all__ = ["OmrCheckerLayout", "load_template"]
