"""Route parameters shared by the desk's pages (FastAPI types: kept out of ``web.paths``, which mails and
the report use, so a run process does not import FastAPI to build an address)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

# A row id in a page's address: any other number (or no number) is a page that does not exist (404),
# never a value handed to the database (PostgreSQL and SQLite ids are 64-bit).
RowId = Annotated[int, Path(ge=1, le=2**63 - 1)]
