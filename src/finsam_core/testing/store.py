"""What a test asks of the store: how many events it holds, and that a refused command recorded none."""

from __future__ import annotations

import re
from collections.abc import Callable

from finsam_core.application import Finsam

__all__ = ["events_recorded", "refused"]


def events_recorded(app: Finsam) -> int:
    """How many events the store holds: a refused command must leave this unchanged."""
    return app.recorder.max_notification_id() or 0


def refused(app: Finsam, error: type[BaseException], match: str, command: Callable[[], object]) -> str:
    """Run ``command``: it must raise ``error`` with a message that ``match`` finds (``re.search``, as in
    ``pytest.raises``) and leave the store as it was. Returns the message, for further assertions.

    This is the one way a test states a refusal: the error a secretary would see, and nothing recorded.
    """
    before = events_recorded(app)
    try:
        command()
    except error as caught:
        message = str(caught)
        if not re.search(match, message):
            raise AssertionError(f"{type(caught).__name__} was raised, but {match!r} is not in {message!r}") from caught
    else:
        raise AssertionError(f"{error.__name__} was not raised")
    after = events_recorded(app)
    assert after == before, f"a refused command recorded {after - before} event(s)"
    return message
