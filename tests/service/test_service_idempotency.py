"""Idempotency-Key: a retried POST records exactly once; a reused key with another body is refused."""

from __future__ import annotations

import asyncio

import pytest
from service_helpers import assert_problem, forbund_body, recorded

from conftest import Running, org_nr
from finsam_service.access import Role

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="module")]


async def test_a_retry_with_the_same_key_and_body_gets_the_first_answer_and_records_nothing(
    service: Running,
) -> None:
    headers = {**service.token(Role.ADMIN), "Idempotency-Key": "register-301"}
    first = await service.client.post("/v1/forbund", json=forbund_body(org_nr(301)), headers=headers)
    assert first.status_code == 201, first.text
    after_first = recorded(service)
    retry = await service.client.post("/v1/forbund", json=forbund_body(org_nr(301)), headers=headers)
    assert retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["idempotent-replayed"] == "true"
    assert recorded(service) == after_first


async def test_without_a_key_the_same_post_twice_is_a_conflict(service: Running) -> None:
    headers = service.token(Role.ADMIN)
    first = await service.client.post("/v1/forbund", json=forbund_body(org_nr(302)), headers=headers)
    assert first.status_code == 201, first.text
    second = await service.client.post("/v1/forbund", json=forbund_body(org_nr(302)), headers=headers)
    assert second.status_code == 409


async def test_the_same_key_with_another_body_is_refused_with_422_and_records_nothing(service: Running) -> None:
    headers = {**service.token(Role.ADMIN), "Idempotency-Key": "register-303"}
    first = await service.client.post("/v1/forbund", json=forbund_body(org_nr(303)), headers=headers)
    assert first.status_code == 201, first.text
    before = recorded(service)
    other = await service.client.post("/v1/forbund", json=forbund_body(org_nr(304)), headers=headers)
    assert "Idempotency-Key" in assert_problem(other, 422)["detail"]
    assert recorded(service) == before


async def test_a_refused_write_is_replayed_as_refused(service: Running) -> None:
    writer = {**service.token(Role.FORBUND_WRITER, org_nr(305)), "Idempotency-Key": "k"}
    first = await service.client.post("/v1/forbund", json=forbund_body(org_nr(305)), headers=writer)
    assert first.status_code == 403
    again = await service.client.post("/v1/forbund", json=forbund_body(org_nr(305)), headers=writer)
    assert again.status_code == 403
    assert again.headers["idempotent-replayed"] == "true"


async def test_keys_belong_to_one_token(service: Running) -> None:
    body = forbund_body(org_nr(306))
    first = await service.client.post(
        "/v1/forbund", json=body, headers={**service.token(Role.ADMIN), "Idempotency-Key": "shared"}
    )
    assert first.status_code == 201, first.text
    other_admin = await service.client.post(
        "/v1/forbund", json=body, headers={**service.token(Role.ADMIN), "Idempotency-Key": "shared"}
    )
    assert other_admin.status_code == 409  # Really executed: the förbund exists already.
    assert "idempotent-replayed" not in other_admin.headers


async def test_concurrent_retries_record_once(service: Running) -> None:
    headers = {**service.token(Role.ADMIN), "Idempotency-Key": "register-307"}
    before = recorded(service)
    answers = await asyncio.gather(
        *(service.client.post("/v1/forbund", json=forbund_body(org_nr(307)), headers=headers) for _ in range(5))
    )
    statuses = sorted(a.status_code for a in answers)
    assert statuses.count(201) >= 1
    assert set(statuses) <= {201, 409}
    assert recorded(service) > before
    created = [a.json() for a in answers if a.status_code == 201]
    assert all(c == created[0] for c in created)


async def test_a_write_without_a_token_is_not_remembered(service: Running) -> None:
    headers = {"Idempotency-Key": "anon"}
    first = await service.client.post("/v1/forbund", json=forbund_body(org_nr(308)), headers=headers)
    assert first.status_code == 401
    again = await service.client.post("/v1/forbund", json=forbund_body(org_nr(308)), headers=headers)
    assert again.status_code == 401
    assert "idempotent-replayed" not in again.headers
