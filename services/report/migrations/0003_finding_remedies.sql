-- An organization's own 原因 and 整改 per kind of data finding: a JSON list of
-- {finding, cause, rectification, owner, due: [year, month, day]}.
ALTER TABLE organizations ADD COLUMN finding_remedies TEXT NOT NULL DEFAULT '[]';
