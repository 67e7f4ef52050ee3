-- 主送机关 of an organization's reports; empty: its first supervisor.
-- (Version 2 is the audit_records migration every service shares.)
ALTER TABLE organizations ADD COLUMN addressee TEXT NOT NULL DEFAULT '';
