"""The ingestion gateway: verify, commit to the landing table, acknowledge. Nothing else inline."""
