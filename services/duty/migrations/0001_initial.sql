-- Enforcement duties. Dates are ISO text (YYYY-MM-DD), times are Unix
-- microseconds, lists and nested values are JSON, booleans are 0/1.

CREATE TABLE posts (
  org TEXT NOT NULL,
  id TEXT NOT NULL,
  revision BIGINT NOT NULL,
  create_time BIGINT NOT NULL,
  update_time BIGINT NOT NULL,
  display_name TEXT NOT NULL,
  unit TEXT NOT NULL,
  domains TEXT NOT NULL,
  standards TEXT NOT NULL,
  procedures TEXT NOT NULL,
  capacity BIGINT NOT NULL,
  notes TEXT NOT NULL,
  PRIMARY KEY (org, id)
);

CREATE TABLE powers (
  org TEXT NOT NULL,
  id TEXT NOT NULL,
  revision BIGINT NOT NULL,
  create_time BIGINT NOT NULL,
  update_time BIGINT NOT NULL,
  code TEXT NOT NULL,
  item_name TEXT NOT NULL,
  sub_item_name TEXT NOT NULL,
  type BIGINT NOT NULL,
  domain TEXT NOT NULL,
  setting_basis TEXT NOT NULL,
  implementing_basis TEXT NOT NULL,
  implementing_unit TEXT NOT NULL,
  stages TEXT NOT NULL,
  accountability_cases TEXT NOT NULL,
  required_officers BIGINT NOT NULL,
  needs_legal_review BIGINT NOT NULL,
  post_id TEXT,
  external_id TEXT,
  notes TEXT NOT NULL,
  PRIMARY KEY (org, id),
  FOREIGN KEY (org, post_id) REFERENCES posts (org, id)
);
CREATE UNIQUE INDEX powers_by_code ON powers (org, code);
CREATE UNIQUE INDEX powers_by_external_id ON powers (org, external_id)
  WHERE external_id IS NOT NULL;
CREATE INDEX powers_by_domain ON powers (org, domain, code);

CREATE TABLE officers (
  org TEXT NOT NULL,
  id TEXT NOT NULL,
  revision BIGINT NOT NULL,
  create_time BIGINT NOT NULL,
  update_time BIGINT NOT NULL,
  person_id TEXT NOT NULL,
  display_name TEXT NOT NULL,
  post_id TEXT,
  certificate_number TEXT,
  certificate_issued TEXT,
  certificate_expiry TEXT,
  certificate_status BIGINT NOT NULL,
  domains TEXT NOT NULL,
  legal_qualification BIGINT NOT NULL,
  training TEXT NOT NULL,
  max_load BIGINT NOT NULL,
  established BIGINT NOT NULL,
  external_id TEXT,
  notes TEXT NOT NULL,
  PRIMARY KEY (org, id),
  FOREIGN KEY (org, post_id) REFERENCES posts (org, id)
);
CREATE UNIQUE INDEX officers_by_person_id ON officers (org, person_id);
CREATE UNIQUE INDEX officers_by_external_id ON officers (org, external_id)
  WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX officers_by_certificate ON officers (org, certificate_number)
  WHERE certificate_number IS NOT NULL;

-- id is "{power_id}~{officer_id}".
CREATE TABLE assignments (
  org TEXT NOT NULL,
  id TEXT NOT NULL,
  revision BIGINT NOT NULL,
  create_time BIGINT NOT NULL,
  update_time BIGINT NOT NULL,
  power_id TEXT NOT NULL,
  officer_id TEXT NOT NULL,
  role BIGINT NOT NULL,
  origin BIGINT NOT NULL,
  post_id TEXT NOT NULL,
  notes TEXT NOT NULL,
  PRIMARY KEY (org, id),
  FOREIGN KEY (org, power_id) REFERENCES powers (org, id),
  FOREIGN KEY (org, officer_id) REFERENCES officers (org, id)
);
CREATE UNIQUE INDEX assignments_by_pair ON assignments (org, power_id, officer_id);
CREATE INDEX assignments_by_officer ON assignments (org, officer_id, power_id);

-- Idempotency keys of creates (AIP-155).
CREATE TABLE request_ids (
  org TEXT NOT NULL,
  request_id TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (org, request_id)
);
