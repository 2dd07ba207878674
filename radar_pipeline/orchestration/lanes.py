"""Fresh events first: the run tags that order Dagster's run queue.

On two cores a fresh notice must not wait behind history. The queued run coordinator starts the
highest ``dagster/priority`` first, and ``dagster.yaml`` lets at most one run of the background lane
(``radar/lane: background``) and one UI backfill (``dagster/backfill``) run at a time:

- fresh: landing events, the inbox, an analyst's correction — someone waits for them;
- report: the refresh of every open notice's exposure, once after a burst of fresh runs;
- history: the quiet-days catch-up and the nightly re-extraction (UI backfills carry no priority
  of ours and so go after fresh runs too).
"""

PRIORITY, LANE = "dagster/priority", "radar/lane"

FRESH = {PRIORITY: "10", LANE: "fresh"}
REPORT = {PRIORITY: "-5", LANE: "background"}
HISTORY = {PRIORITY: "-10", LANE: "background"}
