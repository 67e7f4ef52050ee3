-- What coverage reads of each assignment (power, officer, role), in the
-- order it reads them: GetDutySummary and GetCoverage read an
-- organization's assignments from this index alone (PostgreSQL: an
-- index-only scan), not from heap pages that, at province scale, hold a
-- few rows of each organization each.
CREATE INDEX assignments_coverage ON assignments (org, power_id, officer_id, role);
