"""Every event class in finsam_core.domain survives the msgspec mapper unchanged.

The classes are found by :func:`finsam_core.transcoding.all_domain_event_classes`, so a new
aggregate or event is covered without touching this file. Instances are generated from each
class's type hints; a hint the strategies below do not know fails the test (add it here).
"""

from __future__ import annotations

import dataclasses
import enum
import importlib.util
import types
import typing
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finsam_core.errors import FinsamError
from finsam_core.transcoding import (
    MsgspecMapper,
    MsgspecTranscoder,
    all_domain_event_classes,
    event_struct,
)
from finsam_core.values import Ratio

EVENT_CLASSES = all_domain_event_classes()
MAPPER: MsgspecMapper[UUID] = MsgspecMapper(transcoder=MsgspecTranscoder())

# Offsets in whole minutes: RFC 3339 (and so the stored JSON) has no seconds in an offset.
AWARE_TZ = st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
BASE: dict[Any, st.SearchStrategy[Any]] = {
    str: st.text(max_size=40),
    int: st.integers(min_value=-(2**63), max_value=2**63 - 1),
    bool: st.booleans(),
    float: st.floats(allow_nan=False),
    type(None): st.none(),
    Decimal: st.decimals(allow_nan=False, allow_infinity=False),
    date: st.dates(),
    datetime: st.datetimes(timezones=AWARE_TZ),
    time: st.times(),
    timedelta: st.timedeltas(),
    UUID: st.uuids(),
    Any: st.one_of(st.none(), st.booleans(), st.integers(-1000, 1000), st.text(max_size=10)),
}


# Structs whose __post_init__ refuses most random values get a strategy of valid ones here;
# any other Struct is built field by field (and a refused combination drawn again).
VALID_STRUCTS: dict[type, st.SearchStrategy[Any]] = {
    Ratio: st.integers(1, 1000).flatmap(lambda d: st.integers(0, d).map(lambda n: Ratio(n, d))),
}


def _build_struct(struct_type: type[msgspec.Struct], values: dict[str, Any]) -> Any:
    try:
        return struct_type(**values)
    except (FinsamError, ValueError, TypeError):
        return None  # __post_init__ refused the combination; hypothesis draws again.


def strategy_for(hint: Any) -> st.SearchStrategy[Any]:
    """A strategy for values of the type ``hint`` as the domain's events use them."""
    if hint in BASE:
        return BASE[hint]
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(strategy_for(arg) for arg in args))
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return st.lists(strategy_for(args[0]), max_size=4).map(tuple)
        return st.tuples(*(strategy_for(arg) for arg in args))
    if origin is list:
        return st.lists(strategy_for(args[0]), max_size=4)
    if origin is dict:
        return st.dictionaries(strategy_for(args[0]), strategy_for(args[1]), max_size=4)
    if origin is typing.Literal:
        return st.sampled_from(args)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return st.sampled_from(list(hint))
    if hint in VALID_STRUCTS:
        return VALID_STRUCTS[hint]
    if isinstance(hint, type) and issubclass(hint, msgspec.Struct):
        values = st.fixed_dictionaries({f.name: _field_strategy(f) for f in msgspec.structs.fields(hint)})
        return values.map(lambda v: _build_struct(hint, v)).filter(lambda s: s is not None)
    if isinstance(hint, type) and issubclass(hint, str):
        return st.text(max_size=40).map(hint)
    raise TypeError(f"No strategy for {hint!r}: add one to tests/core/test_event_roundtrip.py")


def _field_strategy(field: msgspec.structs.FieldInfo) -> st.SearchStrategy[Any]:
    if field.default is msgspec.NODEFAULT:
        return strategy_for(field.type)
    return st.one_of(st.just(field.default), strategy_for(field.type))


def events_of(cls: type) -> st.SearchStrategy[Any]:
    payload = {
        f.name: strategy_for(f.type) for f in msgspec.structs.fields(event_struct(cls)) if f.name != "class_version"
    }
    payload["originator_id"] = st.uuids()
    payload["originator_version"] = st.integers(min_value=1, max_value=2**31)
    return st.fixed_dictionaries(payload).map(lambda kwargs: cls(**kwargs))


def test_the_domain_defines_events_once_it_has_an_association_module() -> None:
    if importlib.util.find_spec("finsam_core.domain.forbund") is None:
        pytest.skip("finsam_core.domain.forbund is not written yet")
    assert EVENT_CLASSES, "found no event classes under finsam_core.domain: discovery is broken"


@pytest.mark.parametrize("cls", EVENT_CLASSES, ids=lambda cls: cls.__qualname__)
def test_every_domain_event_decodes_typed(cls: type) -> None:
    assert dataclasses.is_dataclass(cls)
    event_struct(cls)  # Raises if a hint cannot be resolved or decoded by msgspec.


@pytest.mark.parametrize("cls", EVENT_CLASSES, ids=lambda cls: cls.__qualname__)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_domain_event_round_trips_through_the_mapper(cls: type, data: st.DataObject) -> None:
    domain_event = data.draw(events_of(cls))
    copy = MAPPER.to_domain_event(MAPPER.to_stored_event(domain_event))
    assert type(copy) is cls
    assert vars(copy) == vars(domain_event)
