"""The desk's pages, one module each: sign-in, overview, notices, review queue, decisions."""
