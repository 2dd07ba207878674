"""Radar: an obsolescence radar for electronics supply chains.

The package is laid out by job:

- ``config``       one settings object (environment and ``.env``)
- ``db``           the business database: schema, migrations, engine
- ``landing``      the landing table, the one durable queue every channel writes to
- ``gateway``      the FastAPI ingestion gateway (webhooks, SendGrid Inbound Parse)
- ``sources``      provider webhook adapters (payload -> canonical notice)
- ``notices``      the canonical notice model
- ``bom``          BOM store, import, MPN matching and where-used
- ``exposure``     the exposure model (last-time-buy quantities, cost, revenue at risk)
"""

__version__ = "0.1.0"
