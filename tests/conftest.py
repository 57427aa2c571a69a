"""Shared fixtures: where the workplace's shared data lives, skipping cleanly when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture
def shared() -> Path:
    """The ../shared folder beside the checkout (seeds, corpus, devbench); skip when absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside this checkout (only the workplace and CI have it)")
    return SHARED
