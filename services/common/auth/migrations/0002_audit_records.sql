-- The audit trail (services/common/auth/audit.h), the same in every
-- data-owning service. time is RFC 3339 UTC with microseconds, so text
-- order is time order.
CREATE TABLE audit_records (
  id TEXT PRIMARY KEY,
  time TEXT NOT NULL,
  caller TEXT NOT NULL,
  credential TEXT NOT NULL,
  org TEXT NOT NULL,
  method TEXT NOT NULL,
  resource TEXT NOT NULL,
  outcome TEXT NOT NULL,
  message TEXT NOT NULL,
  request_id TEXT NOT NULL,
  peer TEXT NOT NULL
);
CREATE INDEX audit_records_by_org_time ON audit_records (org, time, id);
CREATE INDEX audit_records_by_time ON audit_records (time, id);
