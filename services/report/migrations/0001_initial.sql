-- Report records. Dates are ISO text (YYYY-MM-DD), times are Unix
-- microseconds, lists and nested values are JSON, booleans are 0/1.

-- org and id are both the organization's slug (the RecordTable layout).
CREATE TABLE organizations (
  org TEXT NOT NULL,
  id TEXT NOT NULL,
  revision BIGINT NOT NULL,
  create_time BIGINT NOT NULL,
  update_time BIGINT NOT NULL,
  full_name TEXT NOT NULL,
  region TEXT NOT NULL,
  supervisors TEXT NOT NULL,
  credit_code TEXT,
  contacts TEXT NOT NULL,
  two_person_approval BIGINT NOT NULL,
  PRIMARY KEY (org, id)
);
CREATE UNIQUE INDEX organizations_by_credit_code ON organizations (credit_code)
  WHERE credit_code IS NOT NULL;

-- Who supervises whom, kept with each organization's row; the supervisor
-- need not be registered.
CREATE TABLE organization_supervisors (
  org TEXT NOT NULL,
  supervisor TEXT NOT NULL,
  PRIMARY KEY (org, supervisor)
);
CREATE INDEX organization_supervisors_by_supervisor ON organization_supervisors (supervisor, org);

-- id is the year. revision is the row version (the etag);
-- report_revision is the report revision being worked on.
CREATE TABLE reports (
  org TEXT NOT NULL,
  id TEXT NOT NULL,
  revision BIGINT NOT NULL,
  create_time BIGINT NOT NULL,
  update_time BIGINT NOT NULL,
  year BIGINT NOT NULL,
  state BIGINT NOT NULL,
  report_revision BIGINT NOT NULL,
  published_revision BIGINT NOT NULL,
  title TEXT NOT NULL,
  content TEXT NOT NULL,
  submit_before TEXT NOT NULL,
  publish_before TEXT NOT NULL,
  correction_reason TEXT NOT NULL,
  lifecycle TEXT NOT NULL,
  PRIMARY KEY (org, id)
);
CREATE INDEX reports_by_year ON reports (year, org);

-- Published revisions: written once, then only superseded_by and
-- supersede_time are ever set.
CREATE TABLE report_revisions (
  org TEXT NOT NULL,
  year BIGINT NOT NULL,
  revision BIGINT NOT NULL,
  published_by TEXT NOT NULL,
  publish_time BIGINT NOT NULL,
  comment TEXT NOT NULL,
  correction_reason TEXT NOT NULL,
  report TEXT NOT NULL,
  superseded_by BIGINT NOT NULL,
  supersede_time BIGINT,
  PRIMARY KEY (org, year, revision)
);

-- The documents of a published revision, never changed. content is the
-- bytes in base64 (TEXT stays portable and free of NUL bytes).
CREATE TABLE report_documents (
  org TEXT NOT NULL,
  year BIGINT NOT NULL,
  revision BIGINT NOT NULL,
  format TEXT NOT NULL,
  media_type TEXT NOT NULL,
  size_bytes BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  content TEXT NOT NULL,
  PRIMARY KEY (org, year, revision, format)
);

-- Append-only: rows are inserted, never updated or deleted.
CREATE TABLE history (
  org TEXT NOT NULL,
  sequence BIGINT NOT NULL,
  time BIGINT NOT NULL,
  actor TEXT NOT NULL,
  method TEXT NOT NULL,
  resource TEXT NOT NULL,
  comment TEXT NOT NULL,
  from_state BIGINT NOT NULL,
  to_state BIGINT NOT NULL,
  revision BIGINT NOT NULL,
  request_id TEXT NOT NULL,
  PRIMARY KEY (org, sequence)
);
