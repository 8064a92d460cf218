"""Scanner calibration: scans of the scanner-check sheet in, a verdict and a profile out.

``check_scanner(scans) -> ScannerReport`` measures levels, the fill response
per ink, uniformity, resolution and geometry against versioned tolerances
(:mod:`.targets` reads the sheet's slanted edges, grey wedge and line pairs);
``report.profile`` (a :class:`ScannerProfile`) corrects a slightly dark
scanner when passed to ``ReadOptions(profile=...)``; :mod:`.drift` flags the
readings of a batch taken after a failing check; :mod:`.report` prints the
scanner report (typst -> PDF).
"""

from omrkit.calibrate.check import Reason, ScannerReport, check_scanner
from omrkit.calibrate.profile import ScannerProfile, Tolerances

__all__ = ["Reason", "ScannerProfile", "ScannerReport", "Tolerances", "check_scanner"]
