"""The PostgreSQL definitions of the views: their tables, the tracking of the follower, the test of finality.

Views are derived from the event log: the service drops and recreates them from these definitions
when their version moves (``finsam_service.migrations.VIEWS_VERSION``) and the follower rebuilds
them from the log. :data:`SCHEMA` creates them all; :data:`TABLES` names every table it creates.
"""

from __future__ import annotations

from typing import Final

__all__ = ["SCHEMA", "TABLES"]

_RECORDS_SCHEMA = """
CREATE TABLE IF NOT EXISTS finsam_projection_tracking (
    name text PRIMARY KEY,
    position bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS finsam_projection_failures (
    projection text NOT NULL,
    position bigint NOT NULL,
    topic text NOT NULL,
    originator_id uuid NOT NULL,
    originator_version bigint NOT NULL,
    reason text NOT NULL,
    failed_at timestamptz NOT NULL DEFAULT now(),
    attempts integer NOT NULL DEFAULT 1,
    PRIMARY KEY (projection, position)
);
CREATE TABLE IF NOT EXISTS finsam_forbund (
    org_nr text PRIMARY KEY,
    name text NOT NULL,
    founded_on date NOT NULL,
    members jsonb NOT NULL,
    position bigint NOT NULL,
    board jsonb NOT NULL DEFAULT '[]',
    offices jsonb NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS finsam_meetings (
    org_nr text NOT NULL,
    reference text NOT NULL,
    held_on date NOT NULL,
    place text NOT NULL,
    final boolean NOT NULL,
    adjusted_on date,
    minutes jsonb NOT NULL,
    minutes_text text NOT NULL,
    position bigint NOT NULL,
    sheet jsonb NOT NULL,
    PRIMARY KEY (org_nr, reference)
);
CREATE TABLE IF NOT EXISTS finsam_decisions (
    org_nr text NOT NULL,
    meeting text NOT NULL,
    held_on date NOT NULL,
    paragraph integer NOT NULL,
    seq integer NOT NULL,
    title text NOT NULL,
    clauses jsonb NOT NULL,
    matter text NOT NULL,
    yes integer,
    no integer,
    abstain integer,
    outcome text,
    reservations jsonb NOT NULL,
    final boolean NOT NULL,
    search text NOT NULL,
    amount numeric,
    period text,
    PRIMARY KEY (org_nr, meeting, paragraph, seq)
);
CREATE INDEX IF NOT EXISTS finsam_decisions_held_on ON finsam_decisions (held_on);
CREATE TABLE IF NOT EXISTS finsam_assignments (
    org_nr text NOT NULL,
    meeting text NOT NULL,
    held_on date NOT NULL,
    paragraph integer NOT NULL,
    seq integer NOT NULL,
    assignee text NOT NULL,
    task text NOT NULL,
    due_on date,
    final boolean NOT NULL,
    PRIMARY KEY (org_nr, meeting, seq)
);
"""

_MONEY_SCHEMA = """
CREATE TABLE IF NOT EXISTS finsam_nns_forbund (
    org_nr text PRIMARY KEY,
    name text NOT NULL,
    position bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS finsam_nns_fee_policies (
    effective_year integer PRIMARY KEY,
    until_year integer,
    per_mille numeric NOT NULL,
    cap numeric,
    decided_by text NOT NULL,
    position bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS finsam_nns_memberships (
    org_nr text NOT NULL,
    period integer NOT NULL,
    name text NOT NULL,
    joined_on date NOT NULL,
    notice_received date,
    last_day date,
    first_year integer NOT NULL,
    last_year integer,
    position bigint NOT NULL,
    PRIMARY KEY (org_nr, period)
);
CREATE TABLE IF NOT EXISTS finsam_nns_roster (
    org_nr text NOT NULL,
    name text NOT NULL,
    valid_from date,
    valid_until date,
    member boolean NOT NULL,
    joined_on date,
    withdrawal_notice date,
    leaves_after date,
    position bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS finsam_nns_roster_org_nr ON finsam_nns_roster (org_nr);
CREATE TABLE IF NOT EXISTS finsam_nns_fees (
    org_nr text NOT NULL,
    year integer NOT NULL,
    allocation numeric NOT NULL,
    per_mille numeric NOT NULL,
    cap numeric,
    fee numeric NOT NULL,
    capped boolean NOT NULL,
    decided_in jsonb NOT NULL,
    position bigint NOT NULL,
    PRIMARY KEY (org_nr, year)
);
CREATE TABLE IF NOT EXISTS finsam_allocations (
    org_nr text NOT NULL,
    year integer NOT NULL,
    total numeric NOT NULL,
    contributions jsonb NOT NULL,
    position bigint NOT NULL,
    PRIMARY KEY (org_nr, year)
);
CREATE TABLE IF NOT EXISTS finsam_budget_status (
    org_nr text NOT NULL,
    year integer NOT NULL,
    status jsonb NOT NULL,
    position bigint NOT NULL,
    PRIMARY KEY (org_nr, year)
);
CREATE TABLE IF NOT EXISTS finsam_annual_reports (
    org_nr text NOT NULL,
    year integer NOT NULL,
    result numeric NOT NULL,
    equity_at_year_end numeric NOT NULL,
    discharge jsonb NOT NULL,
    position bigint NOT NULL,
    PRIMARY KEY (org_nr, year)
);
CREATE TABLE IF NOT EXISTS finsam_participants (
    org_nr text NOT NULL,
    year integer NOT NULL,
    counts jsonb NOT NULL,
    position bigint NOT NULL,
    breakdowns jsonb NOT NULL DEFAULT '[]'::jsonb,
    PRIMARY KEY (org_nr, year)
);
"""

_DRAFTS_SCHEMA = """
ALTER TABLE finsam_meetings ADD COLUMN IF NOT EXISTS meeting_id uuid;
CREATE UNIQUE INDEX IF NOT EXISTS finsam_meetings_meeting_id ON finsam_meetings (meeting_id);
ALTER TABLE finsam_allocations ADD COLUMN IF NOT EXISTS decided_in jsonb NOT NULL DEFAULT '[]';
ALTER TABLE finsam_budget_status ADD COLUMN IF NOT EXISTS decided_in jsonb NOT NULL DEFAULT '[]';
ALTER TABLE finsam_annual_reports ADD COLUMN IF NOT EXISTS decided_in jsonb NOT NULL DEFAULT '[]';
CREATE TABLE IF NOT EXISTS finsam_draft_events (
    position bigint NOT NULL,
    stream uuid NOT NULL,
    meeting_id uuid NOT NULL,
    PRIMARY KEY (position, meeting_id)
);
CREATE INDEX IF NOT EXISTS finsam_draft_events_meeting ON finsam_draft_events (meeting_id);
CREATE OR REPLACE FUNCTION finsam_final(decided_in jsonb) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT NOT EXISTS (
        SELECT 1 FROM jsonb_array_elements_text(coalesce(decided_in, '[]'::jsonb)) AS d(id)
        WHERE NOT EXISTS (SELECT 1 FROM finsam_meetings m WHERE m.meeting_id = d.id::uuid AND m.final)
    )
$$;
"""
"""Applied after the other views: the draft marks and the one SQL test of finality."""

_PLANS_SCHEMA = """
CREATE TABLE IF NOT EXISTS finsam_plan_years (
    org_nr text NOT NULL,
    year integer NOT NULL,
    plan jsonb NOT NULL,
    decided_in jsonb NOT NULL DEFAULT '[]',
    position bigint NOT NULL,
    PRIMARY KEY (org_nr, year)
);
CREATE INDEX IF NOT EXISTS finsam_plan_years_year ON finsam_plan_years (year);
"""
"""The verksamhetsplan per förbund and governed year (:mod:`~finsam_core.projections.activity_plans`)."""

_PAYMENTS_SCHEMA = """
CREATE TABLE IF NOT EXISTS finsam_member_payments (
    org_nr text NOT NULL,
    year integer NOT NULL,
    schedules jsonb NOT NULL,
    payments jsonb NOT NULL,
    position bigint NOT NULL,
    PRIMARY KEY (org_nr, year)
);
CREATE TABLE IF NOT EXISTS finsam_decision_spending (
    org_nr text NOT NULL,
    meeting text NOT NULL,
    paragraph integer NOT NULL,
    decision integer NOT NULL,
    spending jsonb NOT NULL,
    position bigint NOT NULL,
    PRIMARY KEY (org_nr, meeting, paragraph, decision)
);
"""
"""The members' payment plans and payments to each allocation, and the spending against decisions (issue 15)."""

_DELEGATION_SCHEMA = """
CREATE TABLE IF NOT EXISTS finsam_delegation (
    org_nr text PRIMARY KEY,
    orders jsonb NOT NULL,
    decisions jsonb NOT NULL,
    position bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS finsam_per_capsulam (
    org_nr text PRIMARY KEY,
    proposals jsonb NOT NULL,
    position bigint NOT NULL
);
"""
"""The delegation register and per capsulam book of each förbund (:mod:`.delegation`)."""

SCHEMA: Final = _RECORDS_SCHEMA + _MONEY_SCHEMA + _DRAFTS_SCHEMA + _PLANS_SCHEMA + _PAYMENTS_SCHEMA + _DELEGATION_SCHEMA
"""Every view table, the tracking and failed positions, and ``finsam_final(decided_in)``."""

TABLES: Final = (
    "finsam_projection_tracking",
    "finsam_projection_failures",
    "finsam_forbund",
    "finsam_meetings",
    "finsam_decisions",
    "finsam_assignments",
    "finsam_nns_forbund",
    "finsam_nns_fee_policies",
    "finsam_nns_memberships",
    "finsam_nns_roster",
    "finsam_nns_fees",
    "finsam_allocations",
    "finsam_budget_status",
    "finsam_annual_reports",
    "finsam_participants",
    "finsam_draft_events",
    "finsam_plan_years",
    "finsam_member_payments",
    "finsam_decision_spending",
    "finsam_delegation",
    "finsam_per_capsulam",
)
"""Every table :data:`SCHEMA` creates, dropped and rebuilt when the views' version moves."""
