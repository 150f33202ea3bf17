"""Assertions shared by the money tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from finsam_core.application import Finsam
from finsam_core.errors import FinsamError


def recorded(app: Finsam) -> int:
    """How many events the store holds."""
    return app.recorder.max_notification_id() or 0


def refused(app: Finsam, error: type[FinsamError], match: str, command: Callable[[], Any]) -> str:
    """Run ``command``; it must raise ``error`` with a message matching ``match`` and record nothing."""
    before = recorded(app)
    with pytest.raises(error, match=match) as caught:
        command()
    assert recorded(app) == before, "a refused command recorded events"
    return str(caught.value)
