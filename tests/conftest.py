"""Shared fixtures: where the workplace's shared data lives, skipping cleanly when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

# In CI the property tests draw the same examples on every run, so that whether a submission
# passes depends on its code alone; on a developer's machine they explore anew each run, and a
# failure found there is kept as an @example of its test.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture
def shared() -> Path:
    """The ../shared folder beside the checkout (seeds, corpus, devbench); skip when absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside this checkout (only the workplace and CI have it)")
    return SHARED


@pytest.fixture(scope="session")
def dask_installed() -> None:
    """Skip a Dask test where the extra is not installed; CI installs it, so there it fails instead."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("Dask is not installed (pip install '.[test]' or 'cleaner[dask]'); CI installs it")
