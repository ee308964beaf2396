"""Shared test helpers: where the real data lives, and skipping when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def shared_data() -> Path:
    return Path(os.environ.get("MINYI_SHARED_DATA", PROJECT_ROOT.parent / "shared" / "data"))


def teddy_file(name: str) -> Path:
    """Return a teddy2020 file, or skip the test with the reason when it is absent."""
    path = shared_data() / "teddy2020" / name
    if not path.exists():
        pytest.skip(f"real data not found at {path} (set MINYI_SHARED_DATA)")
    return path
