-- Study records. Dates are ISO text (YYYY-MM-DD), times are Unix
-- microseconds, lists are JSON arrays, booleans are 0/1.

CREATE TABLE sessions (
  org TEXT NOT NULL,
  id TEXT NOT NULL,
  revision BIGINT NOT NULL,
  create_time BIGINT NOT NULL,
  update_time BIGINT NOT NULL,
  date TEXT NOT NULL,
  kind BIGINT NOT NULL,
  title TEXT NOT NULL,
  laws TEXT NOT NULL,
  duration_minutes BIGINT NOT NULL,
  location TEXT NOT NULL,
  attendees TEXT NOT NULL,
  attendee_count BIGINT NOT NULL,
  head_attended BIGINT NOT NULL,
  external_id TEXT,
  evidence TEXT NOT NULL,
  notes TEXT NOT NULL,
  PRIMARY KEY (org, id)
);
CREATE UNIQUE INDEX sessions_by_external_id ON sessions (org, external_id)
  WHERE external_id IS NOT NULL;
CREATE INDEX sessions_by_date ON sessions (org, date, id);

CREATE TABLE publicity_events (
  org TEXT NOT NULL,
  id TEXT NOT NULL,
  revision BIGINT NOT NULL,
  create_time BIGINT NOT NULL,
  update_time BIGINT NOT NULL,
  date TEXT NOT NULL,
  kind BIGINT NOT NULL,
  title TEXT NOT NULL,
  place TEXT NOT NULL,
  laws TEXT NOT NULL,
  display_boards BIGINT NOT NULL,
  leaflets BIGINT NOT NULL,
  people_reached BIGINT NOT NULL,
  consultations BIGINT NOT NULL,
  external_id TEXT,
  evidence TEXT NOT NULL,
  notes TEXT NOT NULL,
  PRIMARY KEY (org, id)
);
CREATE UNIQUE INDEX publicity_events_by_external_id ON publicity_events (org, external_id)
  WHERE external_id IS NOT NULL;
CREATE INDEX publicity_events_by_date ON publicity_events (org, date, id);

-- id is the year.
CREATE TABLE study_plans (
  org TEXT NOT NULL,
  id TEXT NOT NULL,
  revision BIGINT NOT NULL,
  create_time BIGINT NOT NULL,
  update_time BIGINT NOT NULL,
  year BIGINT NOT NULL,
  adopted_date TEXT,
  title TEXT NOT NULL,
  rules TEXT NOT NULL,
  eligible_staff BIGINT NOT NULL,
  planned_laws TEXT NOT NULL,
  notes TEXT NOT NULL,
  PRIMARY KEY (org, id)
);
CREATE INDEX study_plans_by_year ON study_plans (org, year);

-- Idempotency keys of creates (AIP-155).
CREATE TABLE request_ids (
  org TEXT NOT NULL,
  request_id TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (org, request_id)
);
