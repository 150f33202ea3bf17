"""The library's tests start from an empty application on each store (memory, SQLite, PostgreSQL)."""

from __future__ import annotations

import pytest

from finsam_core.application import Finsam


@pytest.fixture
def app(store_url: str) -> Finsam:
    """An empty application on ``store_url``: every test that takes it runs once per store."""
    return Finsam(store_url=store_url)
