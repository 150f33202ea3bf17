-- The service's tables exactly as the first release (74e3bb0) created them: a database to migrate from.
CREATE TABLE IF NOT EXISTS finsam_projection_tracking (
    name text PRIMARY KEY,
    position bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS finsam_forbund (
    org_nr text PRIMARY KEY,
    name text NOT NULL,
    founded_on date NOT NULL,
    members jsonb NOT NULL,
    position bigint NOT NULL
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
    outcome text,
    reservations jsonb NOT NULL,
    final boolean NOT NULL,
    search text NOT NULL,
    PRIMARY KEY (org_nr, meeting, paragraph, seq)
);
CREATE INDEX IF NOT EXISTS finsam_decisions_held_on ON finsam_decisions (held_on);
CREATE TABLE IF NOT EXISTS finsam_api_tokens (
    sha256 text PRIMARY KEY,
    role text NOT NULL CHECK (role IN ('forbund-writer', 'network-admin', 'admin')),
    org_nr text,
    label text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((role = 'forbund-writer') = (org_nr IS NOT NULL))
);
CREATE TABLE IF NOT EXISTS finsam_nns_forbund (
    org_nr text PRIMARY KEY,
    name text NOT NULL,
    position bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS finsam_nns_fee_policies (
    effective_year integer PRIMARY KEY,
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
    position bigint NOT NULL,
    PRIMARY KEY (org_nr, period)
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
    PRIMARY KEY (org_nr, year)
);
CREATE TABLE IF NOT EXISTS finsam_idempotency_keys (
    caller text NOT NULL,
    key text NOT NULL,
    request_sha256 text NOT NULL,
    status integer,
    content_type text,
    body bytea,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (caller, key)
);
