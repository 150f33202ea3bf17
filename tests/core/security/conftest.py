"""One fresh application per test, on every store."""

from __future__ import annotations

import pytest

from finsam_core.application import Finsam


@pytest.fixture
def app(store_url: str) -> Finsam:
    return Finsam(store_url=store_url)
