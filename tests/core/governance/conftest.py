"""Fixtures for the governance tests: an application on a memory store unless a test asks for more."""

from __future__ import annotations

import pytest

from finsam_core.application import Finsam


@pytest.fixture
def app() -> Finsam:
    return Finsam(store_url="memory:")
