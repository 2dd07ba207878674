-- Dagster's run, event and schedule storage lives in its own database.
CREATE DATABASE dagster OWNER radar;
