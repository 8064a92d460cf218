"""Simulation: filled and scanned sheets with exact ground truth.

``simulate`` is the entry point (one sheet or a batch to files); ``page`` renders
the printed sheet once, ``plan`` draws an examinee's answers, ``strokes`` and
``shapes`` paint them with known area, ``degrade`` applies the print-scan chain with
the exact homography, ``profiles`` name the settings, ``truth`` keeps the answers;
``photo`` photographs a filled sheet on a desk with a phone instead of scanning it.
"""

from omrkit.synth.simulate import synthesize_batch

__all__ = ["synthesize_batch"]
