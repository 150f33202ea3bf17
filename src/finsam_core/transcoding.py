"""The msgspec mapper: how domain events become bytes in the store and come back typed.

eventsourcing's stock :class:`~eventsourcing.persistence.Mapper` with its ``JSONTranscoder`` tags
every ``Decimal``, ``UUID`` and ``datetime`` in the stored JSON and decodes it back through Python's
``json`` module. :class:`MsgspecMapper` stores plain JSON written by ``msgspec`` instead and decodes
it *typed*: for each event class it builds (once) a ``msgspec`` Struct from the class's type hints
and lets ``msgspec`` restore ``Decimal`` (stored as a string, exactly), aware ``datetime`` (offset
and microseconds), ``date``, ``UUID``, ``StrEnum``, frozen Structs, ``tuple`` and ``X | None``.
The type hints of an event class are therefore part of the stored contract.

Versioning works as in the stock mapper (eventsourcing docs, "Versioning"): a changed event gets a
higher ``class_version`` and static ``upcast_vN_vN+1(state)`` methods. When the stored version is
older, or an old shape does not decode typed, the state is decoded untyped, upcast, then converted
with ``msgspec.convert(state, struct, strict=False)``. Upcasters therefore see JSON-shaped values
(``str`` for ``Decimal``/``UUID``/dates, ``list`` for tuples, ``dict`` for Structs) and may put
either JSON-shaped or typed values back.

Snapshots are the one exception to typed decoding: an aggregate's attributes need not be annotated,
so the ``state`` of a snapshot is stored with a type tag on every value JSON cannot represent (the
way the stock transcoder does) and restored from the tags.

How an Application plugs it in (checked against eventsourcing 9.5.6)::

    class Finsam(Application[UUID]):
        def construct_mapper(self) -> Mapper[UUID]:
            return self.factory.mapper(transcoder=MsgspecTranscoder(), mapper_class=MsgspecMapper)

or, the same thing, ``return construct_msgspec_mapper(self.factory)``. The factory adds the cipher
and compressor named in the environment (``CIPHER_TOPIC``, ``COMPRESSOR_TOPIC``) as usual. Setting
``MAPPER_TOPIC`` alone is not enough: the application would then hand the mapper a
``JSONTranscoder``, which :class:`MsgspecMapper` refuses.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import sys
import typing
from collections.abc import Callable, Hashable, Iterator
from threading import Lock
from types import ModuleType
from typing import Any, ClassVar, TypeVar, cast
from uuid import UUID

import msgspec
from eventsourcing.domain import (
    CanSnapshotAggregate,
    DomainEvent,
    DomainEventProtocol,
    HasOriginatorIDVersion,
    TAggregateID,
)
from eventsourcing.persistence import (
    Cipher,
    Compressor,
    InfrastructureFactory,
    Mapper,
    MapperDeserialisationError,
    StoredEvent,
    Transcoder,
    TranscodingNotRegisteredError,
    find_id_convertor,
)
from eventsourcing.utils import get_topic, resolve_topic

__all__ = [
    "MsgspecMapper",
    "MsgspecTranscoder",
    "all_domain_event_classes",
    "construct_msgspec_mapper",
    "event_struct",
]

_SKIPPED_FIELDS: frozenset[str] = frozenset({"originator_id", "originator_version"})
_TYPE_TAG = "__finsam_type__"
_asdict = msgspec.structs.asdict
_DATA_TAG = "__finsam_data__"


def _enc_hook(obj: Any) -> Any:
    """Called by msgspec for types it does not know: plain subclasses of ``str`` and ``int``
    are stored as their base value (as the stock transcoder does); anything else is refused."""
    if isinstance(obj, str):
        return str(obj)
    if isinstance(obj, int):
        return int(obj)
    msg = (
        f"Object of type {type(obj)} is not serializable by msgspec. Use a str, int, Decimal, "
        "date, datetime, UUID, enum, frozen msgspec.Struct, tuple or dict in event payloads."
    )
    raise TranscodingNotRegisteredError(msg)


class MsgspecTranscoder(Transcoder):
    """Untyped JSON with msgspec: ``Decimal`` as a string, dates and datetimes in RFC 3339.

    Decoding is untyped (strings stay strings, arrays become lists); :class:`MsgspecMapper`
    decodes events typed and uses this only for old versions and snapshots.
    """

    def __init__(self) -> None:
        self.encoder = msgspec.json.Encoder(enc_hook=_enc_hook, decimal_format="string")
        self.decoder = msgspec.json.Decoder()

    def encode(self, obj: Any) -> bytes:
        """Encode ``obj`` as JSON bytes."""
        return self.encoder.encode(obj)

    def decode(self, data: bytes) -> Any:
        """Decode JSON bytes into dicts, lists, strings, numbers, booleans and None."""
        return self.decoder.decode(data)


def _enclosing_namespace(cls: type) -> dict[str, Any]:
    """Names visible in the class bodies around ``cls`` (an event nested in an aggregate)."""
    namespace: dict[str, Any] = {}
    owner: Any = sys.modules.get(cls.__module__)
    for part in cls.__qualname__.split(".")[:-1]:
        owner = getattr(owner, part, None)
        if not isinstance(owner, type):
            break
        namespace.update(vars(owner))
    return namespace


def _field_type(hint: Any) -> Any:
    # eventsourcing annotates unannotated @event arguments with inspect.Parameter.empty.
    if hint is inspect.Parameter.empty or isinstance(hint, TypeVar):
        return Any
    return hint


def _build_event_struct(cls: type) -> type[msgspec.Struct]:
    hints = typing.get_type_hints(cls, localns=_enclosing_namespace(cls))
    fields: list[tuple[str, Any] | tuple[str, Any, Any]] = []
    if dataclasses.is_dataclass(cls):
        for field in dataclasses.fields(cls):
            if field.name in _SKIPPED_FIELDS:
                continue
            hint = _field_type(hints.get(field.name, Any))
            if field.default is not dataclasses.MISSING:
                fields.append((field.name, hint, field.default))
            elif field.default_factory is not dataclasses.MISSING:
                fields.append((field.name, hint, msgspec.field(default_factory=field.default_factory)))
            else:
                fields.append((field.name, hint))
    else:
        for name, hint in hints.items():
            if name in _SKIPPED_FIELDS or typing.get_origin(hint) is ClassVar or hint is ClassVar:
                continue
            fields.append((name, _field_type(hint)))
    # Required fields first, as msgspec (like dataclasses) wants them before defaulted ones.
    fields.sort(key=len)
    if getattr(cls, "class_version", 1) > 1:
        fields.append(("class_version", int, 1))
    # gc=False: the struct lives only between decoding and asdict(), and holds no cycles.
    struct = msgspec.defstruct(
        f"{cls.__qualname__}State", fields, forbid_unknown_fields=True, gc=False, module=__name__
    )
    msgspec.json.Decoder(struct)  # Raises TypeError now if msgspec cannot decode a hint.
    return struct


_structs: dict[type, type[msgspec.Struct] | TypeError] = {}
_structs_lock = Lock()


def event_struct(cls: type) -> type[msgspec.Struct]:
    """The msgspec Struct that ``cls``'s stored state decodes into (cached per class).

    Its fields are the event's fields without ``originator_id`` and ``originator_version``, plus
    ``class_version: int = 1`` if the class is past version 1 (a version-1 class never stores
    one, so a stored ``class_version`` fails the typed decoding and takes the upcasting path).
    Raises ``TypeError`` if the type hints cannot be resolved or msgspec cannot decode one of
    them; :class:`MsgspecMapper` then decodes that class untyped.
    """
    try:
        found = _structs[cls]
    except KeyError:
        with _structs_lock:
            try:
                found = _build_event_struct(cls)
            except (NameError, TypeError, AttributeError) as exc:
                found = TypeError(f"Cannot decode {get_topic(cls)} typed: {exc}")
            _structs[cls] = found
    if isinstance(found, TypeError):
        raise found
    return found


def _tag(value: Any) -> Any:
    """Snapshot state: JSON-native values as they are, anything else tagged with its topic."""
    kind = type(value)
    if value is None or kind in (str, int, float, bool):
        return value
    if kind is list:
        return [_tag(item) for item in value]
    if kind is dict and all(type(key) is str for key in value):
        return {key: _tag(item) for key, item in value.items()}
    if kind is tuple:
        return {_TYPE_TAG: "tuple", _DATA_TAG: [_tag(item) for item in value]}
    return {_TYPE_TAG: get_topic(kind), _DATA_TAG: msgspec.to_builtins(value, enc_hook=_enc_hook)}


def _untag(value: Any) -> Any:
    if isinstance(value, list):
        return [_untag(item) for item in value]
    if isinstance(value, dict):
        if len(value) == 2 and _TYPE_TAG in value and _DATA_TAG in value:
            topic, data = value[_TYPE_TAG], value[_DATA_TAG]
            if topic == "tuple":
                return tuple(_untag(item) for item in data)
            return msgspec.convert(data, resolve_topic(topic), strict=False)
        return {key: _untag(item) for key, item in value.items()}
    return value


class _EventPlan:
    """What the mapper needs to know about one event class, worked out once."""

    __slots__ = ("class_version", "cls", "decoder", "id_convertors", "is_snapshot", "topic")

    def __init__(self, cls: type) -> None:
        self.cls: Any = cls
        self.topic = get_topic(cls)
        self.class_version: int = getattr(cls, "class_version", 1)
        self.is_snapshot = issubclass(cls, CanSnapshotAggregate)
        self.id_convertors: dict[type, Callable[[UUID | str], UUID | str]] = {}
        try:
            self.decoder: msgspec.json.Decoder[Any] | None = msgspec.json.Decoder(event_struct(cls))
        except TypeError:
            self.decoder = None  # Hints msgspec cannot use: decode untyped, as the stock mapper.

    def id_convertor(self, id_type: type) -> Callable[[UUID | str], UUID | str]:
        try:
            return self.id_convertors[id_type]
        except KeyError:
            convertor = find_id_convertor(self.cls, cast(Hashable, id_type))
            self.id_convertors[id_type] = convertor
            return convertor


def _stored_event(originator_id: Any, originator_version: int, topic: str, state: bytes) -> StoredEvent:
    # StoredEvent is a frozen dataclass whose __init__ sets each field through
    # object.__setattr__; setting __dict__ once is a third of the time of a whole encode.
    stored = object.__new__(StoredEvent)
    object.__setattr__(
        stored,
        "__dict__",
        {
            "originator_id": originator_id,
            "originator_version": originator_version,
            "topic": topic,
            "state": state,
        },
    )
    return stored


if "__slots__" in vars(StoredEvent):  # pragma: no cover - a future eventsourcing may use slots.
    _stored_event = StoredEvent


class MsgspecMapper(Mapper[TAggregateID]):
    """A :class:`~eventsourcing.persistence.Mapper` that encodes with msgspec and decodes typed.

    Needs a :class:`MsgspecTranscoder`; cipher and compressor work as in the stock mapper.
    """

    def __init__(
        self,
        transcoder: Transcoder,
        compressor: Compressor | None = None,
        cipher: Cipher | None = None,
    ):
        if not isinstance(transcoder, MsgspecTranscoder):
            msg = (
                f"MsgspecMapper needs a MsgspecTranscoder, not {type(transcoder).__name__}: "
                "override Application.construct_mapper() (see finsam_core.transcoding)."
            )
            raise TypeError(msg)
        super().__init__(transcoder=transcoder, compressor=compressor, cipher=cipher)
        self._encode = transcoder.encoder.encode
        self._untyped = transcoder.decoder
        self._plans: dict[type, _EventPlan] = {}
        self._plans_by_topic: dict[str, _EventPlan] = {}

    def _plan(self, cls: type) -> _EventPlan:
        plan = _EventPlan(cls)
        self._plans[cls] = plan
        return plan

    def to_stored_event(self, domain_event: DomainEventProtocol[TAggregateID]) -> StoredEvent:
        """Convert ``domain_event`` to a :class:`StoredEvent` holding msgspec JSON."""
        cls = type(domain_event)
        plan = self._plans.get(cls) or self._plan(cls)
        event_state = vars(domain_event).copy()
        originator_id = event_state.pop("originator_id")
        originator_version = event_state.pop("originator_version")
        if plan.class_version > 1:
            event_state["class_version"] = plan.class_version
        if plan.is_snapshot:
            event_state["state"] = _tag(event_state["state"])
        stored_state = self._encode(event_state)
        if self.compressor:
            stored_state = self.compressor.compress(stored_state)
        if self.cipher:
            stored_state = self.cipher.encrypt(stored_state)
        return _stored_event(originator_id, originator_version, plan.topic, stored_state)

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[TAggregateID]:
        """Convert ``stored_event`` back to a domain event whose values have their types."""
        topic = stored_event.topic
        plan = self._plans_by_topic.get(topic)
        if plan is None:
            cls = resolve_topic(topic)
            plan = self._plans.get(cls) or self._plan(cls)
            self._plans_by_topic[topic] = plan
        data = stored_event.state
        try:
            if self.cipher:
                data = self.cipher.decrypt(data)
            if self.compressor:
                data = self.compressor.decompress(data)
            event_state = self._decode_state(plan, data)
        except Exception as exc:
            msg = (
                f"Failed to deserialise state of stored event with topic '{topic}', "
                f"originator_id '{stored_event.originator_id}' and "
                f"originator_version {stored_event.originator_version}: {exc}"
            )
            raise MapperDeserialisationError(msg) from exc
        originator_id = stored_event.originator_id
        if type(originator_id) is str:  # Only a str can need converting (to a UUID).
            originator_id = plan.id_convertor(str)(originator_id)
        event_state["originator_id"] = originator_id
        event_state["originator_version"] = stored_event.originator_version
        domain_event: DomainEventProtocol[TAggregateID] = object.__new__(plan.cls)
        object.__setattr__(domain_event, "__dict__", event_state)
        return domain_event

    def _decode_state(self, plan: _EventPlan, data: bytes) -> dict[str, Any]:
        decoder = plan.decoder
        if decoder is not None:
            try:
                state: dict[str, Any] = _asdict(decoder.decode(data))
            except msgspec.ValidationError:
                pass  # Perhaps an old shape: upcast it below.
            else:
                # A version-1 struct has no class_version field and forbids unknown ones.
                if plan.class_version == 1 or state.pop("class_version") == plan.class_version:
                    if plan.is_snapshot:
                        state["state"] = _untag(state["state"])
                    return state
        state = self._untyped.decode(data)
        from_version = state.pop("class_version", 1)
        while from_version < plan.class_version:
            getattr(plan.cls, f"upcast_v{from_version}_v{from_version + 1}")(state)
            from_version += 1
        if decoder is not None:
            state = msgspec.structs.asdict(msgspec.convert(state, decoder.type, strict=False))
            state.pop("class_version", None)
        if plan.is_snapshot:
            state["state"] = _untag(state["state"])
        return state


def construct_msgspec_mapper(factory: InfrastructureFactory[Any]) -> Mapper[UUID]:
    """The mapper an Application's ``construct_mapper()`` returns: msgspec, plus the factory's
    cipher and compressor."""
    return factory.mapper(transcoder=MsgspecTranscoder(), mapper_class=MsgspecMapper[UUID])


# --- Discovery of the domain's event classes (used by tests/core/test_event_roundtrip.py) ---


def _submodules(package: ModuleType) -> Iterator[ModuleType]:
    yield package
    for info in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}."):
        yield importlib.import_module(info.name)


def _subclasses(root: type) -> Iterator[type]:
    sub: type
    for sub in root.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def all_domain_event_classes(package: str = "finsam_core.domain") -> list[type]:
    """Every eventsourcing event class defined in a module under ``package``.

    Imports every submodule (so aggregates declare their ``@event`` classes), then walks the
    subclasses of eventsourcing's ``DomainEvent`` and ``HasOriginatorIDVersion``, keeping those
    that their topic resolves to.
    """
    modules = {module.__name__ for module in _submodules(importlib.import_module(package))}
    found: dict[str, type] = {}
    for root in (DomainEvent, HasOriginatorIDVersion):
        for cls in _subclasses(root):
            if cls.__module__ not in modules or inspect.isabstract(cls):
                continue
            # eventsourcing redefines an aggregate's nested event classes as subclasses with the
            # same name; only the class its topic resolves to is ever stored or reconstructed.
            topic = f"{cls.__module__}:{cls.__qualname__}"
            if resolve_topic(topic) is cls:
                found[topic] = cls
    return [found[topic] for topic in sorted(found)]
