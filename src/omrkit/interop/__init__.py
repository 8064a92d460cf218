"""Other tools' sheet layouts, read by omrkit.

In: another tool's layout files (an OMRChecker ``template.json`` with its
config and marker or reference images) and scans of its sheets. Out: an
omrkit :class:`~omrkit.layout.models.SheetLayout`, readings, and the other
tool's own answer format. :mod:`omrkit.interop.omrchecker` holds the
OMRChecker adapter.
"""
