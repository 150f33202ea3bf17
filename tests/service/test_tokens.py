"""Tokens an operator can list, expire and revoke without SQL; ``make run`` keeps one demo token."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conftest import Running
from finsam_core import testing
from finsam_service import cli
from finsam_service.access import Role, create_token, list_tokens, revoke_token
from finsam_service.settings import Settings

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="module")]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_an_expired_token_is_refused_with_401(service: Running) -> None:
    token = create_token(service.url, Role.ADMIN, label="kort", expires_at=datetime.now(UTC) - timedelta(seconds=1))
    response = await service.client.get("/metrics", headers=bearer(token))
    assert response.status_code == 401
    assert "gått ut" in response.json()["detail"]


async def test_a_token_that_has_not_expired_yet_works(service: Running) -> None:
    token = create_token(service.url, Role.ADMIN, expires_at=datetime.now(UTC) + timedelta(days=1))
    assert (await service.client.get("/metrics", headers=bearer(token))).status_code == 200


async def test_a_revoked_token_is_refused_from_then_on_and_listed_as_revoked(service: Running) -> None:
    token = create_token(service.url, Role.FORBUND_WRITER, testing.ORNSKOLDSVIK, label="sekreteraren")
    assert (await service.client.get("/metrics", headers=bearer(token))).status_code == 403  # known, wrong role
    [info] = [t for t in list_tokens(service.url) if t.label == "sekreteraren"]
    assert info.last_used_at is not None and info.revoked_at is None
    revoked = revoke_token(service.url, info.id)
    assert revoked.revoked_at is not None
    assert (await service.client.get("/metrics", headers=bearer(token))).status_code == 401


async def test_revoking_needs_an_id_that_names_exactly_one_token(service: Running) -> None:
    with pytest.raises(ValueError, match="not a token id"):
        revoke_token(service.url, "'; DROP TABLE x")
    with pytest.raises(ValueError, match="No token"):
        revoke_token(service.url, "0" * 12 + "f" * 52)


async def test_the_cli_lists_creates_with_expiry_and_revokes(
    service: Running, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FINSAM_DATABASE_URL", service.url)
    assert cli.main(["token", "create", "--role", "network-admin", "--label", "nns-kansliet", "--expires", "30"]) == 0
    token = capsys.readouterr().out.strip()
    assert token.startswith("fsm_")
    assert cli.main(["token", "list"]) == 0
    listed = capsys.readouterr().out
    line = next(row for row in listed.splitlines() if "nns-kansliet" in row)
    assert "network-admin" in line and "valid" in line
    token_id = line.split()[0]
    assert cli.main(["token", "revoke", token_id]) == 0
    capsys.readouterr()
    cli.main(["token", "list"])
    assert "revoked" in next(row for row in capsys.readouterr().out.splitlines() if "nns-kansliet" in row)
    assert cli.main(["token", "create", "--role", "admin", "--expires", "31/12"]) == 2
    assert "--expires" in capsys.readouterr().err


async def test_make_run_reuses_its_demo_token_while_it_is_valid(
    service: Running, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(database_url=service.url, data_dir=tmp_path / "postgres")
    org = testing.KRAMFORS
    before = len(list_tokens(service.url))
    cli._print_demo_token(service.url, org, "http://x", settings)
    first = capsys.readouterr().out
    cli._print_demo_token(service.url, org, "http://x", settings)
    second = capsys.readouterr().out
    assert first == second
    assert len(list_tokens(service.url)) == before + 1
    kept = tmp_path / "demo-tokens" / f"{org}.token"
    assert kept.stat().st_mode & 0o077 == 0
    revoke_token(service.url, next(t.id for t in list_tokens(service.url) if t.label == "make run"))
    cli._print_demo_token(service.url, org, "http://x", settings)
    assert capsys.readouterr().out != first  # a revoked demo token is replaced
