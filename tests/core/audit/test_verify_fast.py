"""The verifier's shortcuts give exactly the answers of the reference functions they stand in for."""

from __future__ import annotations

import pytest

from finsam_core.audit.chain import chain_of
from finsam_core.audit.verify import fast_chain_of

PAYLOADS = [
    b'{"forbund_id":"5b0e2a44-7c1f-4d1e-9a51-2f7c1a9e3b10","org_nr":"222000-2279"}',
    b'{"association_id":"5b0e2a44-7c1f-4d1e-9a51-2f7c1a9e3b10"}',
    b'{"forbund_id":null,"association_id":"5b0e2a44-7c1f-4d1e-9a51-2f7c1a9e3b10","org_nr":"222000-2279"}',
    b'{"forbund_id":null,"org_nr":"222000-2279"}',
    b'{"forbund_id":17,"org_nr":"222000-2279"}',
    b'{"forbund_id":"not a uuid","org_nr":"222000-2279"}',
    b'{"org_nr":"222000-2279","x":[1,{"forbund_id":"5b0e2a44-7c1f-4d1e-9a51-2f7c1a9e3b10"}]}',
    b'{"org_nr":17}',
    b'{"name":"inget"}',
    b"{}",
    b"[]",
    b'"text"',
    b"17",
    b"null",
    b"not json",
    b"",
    b'{"forbund_id":"5B0E2A44-7C1F-4D1E-9A51-2F7C1A9E3B10"}',
    b'{"forbund_id":"{5b0e2a44-7c1f-4d1e-9a51-2f7c1a9e3b10}"}',
    '{"org_nr":"222000-2279","namn":"Örnsköldsvik"}'.encode(),
    b'{"forbund_id":"5b0e2a44-7c1f-4d1e-9a51-2f7c1a9e3b10"',
    b'{"forbund_id":"5b0e2a44-7c1f-4d1e-9a51-2f7c1a9e3b10","forbund_id":"6b0e2a44-7c1f-4d1e-9a51-2f7c1a9e3b10"}',
    b'{"org_nr":"222000-2279","org_nr":"212000-2270"}',
    b'{"forbund_id":"5b0e2a44-7c1f-4d1e-9a51-2f7c1a9e3b10","forbund_id":null,"org_nr":"222000-2279"}',
]


@pytest.mark.parametrize("state", PAYLOADS)
def test_the_fast_chain_of_a_stream_is_chain_of(state: bytes) -> None:
    assert fast_chain_of(b"\x01" * 16, state) == chain_of(b"\x01" * 16, state)
