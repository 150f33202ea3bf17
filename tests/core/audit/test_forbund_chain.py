"""One förbund verified and read through its own chain, without the other förbund's rows."""

from __future__ import annotations

from datetime import date

from finsam_core import testing
from finsam_core.application import Finsam
from finsam_core.audit.export import ForbundEvent, forbund_events
from finsam_core.audit.forbund_chain import chain_forbund_events, verify_forbund
from finsam_core.audit.recording import audit_storage
from finsam_core.audit.verify import verify_store
from finsam_core.domain.forbund import forbund_id

from .conftest import RawStore, recompute_every_hash

ORNSKOLDSVIK, KRAMFORS = testing.ORNSKOLDSVIK, testing.KRAMFORS


def _positions(app: Finsam, org_nr: str) -> list[int]:
    return [e.position for e in forbund_events(audit_storage(app.recorder), org_nr) if isinstance(e, ForbundEvent)]


def test_the_chain_holds_exactly_the_forbunds_events(two: Finsam) -> None:
    storage = audit_storage(two.recorder)
    for org_nr in (ORNSKOLDSVIK, KRAMFORS):
        through_chain = [e.position for e in chain_forbund_events(storage, org_nr)]
        assert through_chain == _positions(two, org_nr)  # the same events as the walk over the whole log
        report = verify_forbund(two, org_nr)
        assert report.ok, report.summary()
        assert report.events == len(through_chain) and report.signatures_checked == 1


def test_another_forbunds_edit_does_not_concern_this_one_but_the_store_check_finds_it(
    two: Finsam, raw_store: RawStore, store_url: str
) -> None:
    kramfors = _positions(two, KRAMFORS)[-1]
    raw_store.execute("UPDATE {events} SET state = ? WHERE {pos} = ?", (b'{"forged":true}', kramfors))
    fresh = Finsam(store_url=store_url)
    assert verify_forbund(fresh, ORNSKOLDSVIK).ok
    problem = verify_forbund(fresh, KRAMFORS).problems[0]
    assert problem.position == kramfors and "ändrats" in problem.what
    assert verify_store(fresh).problems[0].position == kramfors


def test_a_deleted_event_and_its_link_are_missing_from_the_chain(
    two: Finsam, raw_store: RawStore, store_url: str
) -> None:
    gone = _positions(two, ORNSKOLDSVIK)[-1]
    raw_store.execute("DELETE FROM {events} WHERE {pos} = ?", (gone,))
    raw_store.execute("DELETE FROM {events}_audit_links WHERE position = ?", (gone,))
    problem = verify_forbund(Finsam(store_url=store_url), ORNSKOLDSVIK).problems[0]
    assert problem.position == gone and "saknas" in problem.what


def test_another_forbunds_event_moved_into_the_chain_is_refused(
    two: Finsam, raw_store: RawStore, store_url: str
) -> None:
    stranger = _positions(two, KRAMFORS)[0]
    chain = forbund_id(ORNSKOLDSVIK)
    value = chain if raw_store.postgres else chain.bytes
    raw_store.execute("UPDATE {events}_audit_links SET chain = ? WHERE position = ?", (value, stranger))
    problem = verify_forbund(Finsam(store_url=store_url), ORNSKOLDSVIK).problems[0]
    assert problem.position == stranger and "hör inte till förbundet" in problem.what


def test_a_forger_who_recomputes_every_hash_is_stopped_by_the_signature(
    two: Finsam, raw_store: RawStore, store_url: str
) -> None:
    forged = _positions(two, ORNSKOLDSVIK)[3]
    raw_store.execute("UPDATE {events} SET state = ? WHERE {pos} = ?", (b'{"forged":true}', forged))
    recompute_every_hash(raw_store)
    report = verify_forbund(Finsam(store_url=store_url), ORNSKOLDSVIK, all_signatures=True)
    assert not report.ok and "signatur" in report.problems[0].what


def test_the_forbunds_newest_events_cut_with_their_links_are_found_by_the_later_heads(
    two: Finsam, raw_store: RawStore, store_url: str
) -> None:
    """The blind spot of issue 16: the newest write of a förbund deleted with its links (and the
    chain head rolled back), another förbund's write after it. The head that committed to the cut
    events still names the chain, beyond where the chain now ends."""
    before = _positions(two, ORNSKOLDSVIK)
    two.convene_meeting(ORNSKOLDSVIK, "2024-10-03", date(2024, 10, 3), "Örnsköldsvik")
    two.convene_meeting(KRAMFORS, "2024-10-05", date(2024, 10, 5), "Kramfors")
    cut = [p for p in _positions(two, ORNSKOLDSVIK) if p > before[-1]]
    assert cut
    for position in cut:
        raw_store.execute("DELETE FROM {events} WHERE {pos} = ?", (position,))
        raw_store.execute("DELETE FROM {events}_audit_links WHERE position = ?", (position,))
    chain = forbund_id(ORNSKOLDSVIK)
    value = chain if raw_store.postgres else chain.bytes
    raw_store.execute("DELETE FROM {events}_audit_chain_heads WHERE chain = ?", (value,))
    raw_store.execute(
        "INSERT INTO {events}_audit_chain_heads SELECT chain, position, hash FROM {events}_audit_links "
        "WHERE position = ?",
        (before[-1],),
    )
    fresh = Finsam(store_url=store_url)
    for all_signatures in (False, True):
        report = verify_forbund(fresh, ORNSKOLDSVIK, all_signatures=all_signatures)
        assert not report.ok
        problem = report.problems[0]
        assert problem.position == cut[-1] and "tagits bort tillsammans med sina länkar" in problem.what
    assert verify_forbund(fresh, KRAMFORS).ok  # the other förbund's chain is untouched
    assert verify_store(fresh).problems[0].position == cut[0]


def test_the_forbund_check_includes_its_minutes_signatures(two: Finsam) -> None:
    report = verify_forbund(two, ORNSKOLDSVIK)
    assert report.ok, report.summary()
    whole = verify_store(two)
    assert report.minutes_signatures_checked == whole.minutes_signatures_checked > 0
    assert verify_forbund(two, KRAMFORS).minutes_signatures_checked == 0
