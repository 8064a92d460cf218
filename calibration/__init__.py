"""Bundled calibration sheet layouts (JSON) and the design of the scanner check."""
