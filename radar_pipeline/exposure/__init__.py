"""The money at stake: last-time-buy quantities and cost, revenue at risk, days left."""

from radar_pipeline.exposure.model import compute_exposure

__all__ = ["compute_exposure"]
