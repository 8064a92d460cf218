"""Shared fixtures and hypothesis profiles."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

# Helper modules that assert on behalf of tests: pytest explains their failures too.
pytest.register_assert_rewrite(
    "tests.omrkit.synth.sheet_pixels",
    "tests.ubt_domain.exam_day",
    "tests.ubt_domain.appeals.sample",
    "tests.ubt_domain.appeals.scans",
    "tests.ubt_domain.application.form_decoding",
    "tests.ubt_domain.scored_readings",
)

# CI runs on 2 cores: keep property tests thorough but bounded.
settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=30, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
