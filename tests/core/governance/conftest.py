"""Fixtures for the governance tests: every test runs once per store (memory, SQLite, PostgreSQL)."""

from __future__ import annotations

import pytest

from finsam_core.application import Finsam


@pytest.fixture
def app(store_url: str) -> Finsam:
    return Finsam(store_url=store_url)
