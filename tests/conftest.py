"""Shared fixtures. Qt must be told to run offscreen before anything imports it."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest
from hypothesis import settings

# HYPOTHESIS_PROFILE=stress ./test tests/core/test_match.py runs the property tests longer.
settings.register_profile("default", max_examples=200, deadline=None)
settings.register_profile("stress", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def rng() -> np.random.Generator:
    """A seeded generator: every test that draws random data is reproducible."""
    return np.random.default_rng(20261125)
