-- One database per service, owned by the fazhi role (compose profile
-- "postgres"; run once, when the server's volume is new).
CREATE DATABASE fazhi_study OWNER fazhi;
CREATE DATABASE fazhi_duty OWNER fazhi;
CREATE DATABASE fazhi_report OWNER fazhi;
