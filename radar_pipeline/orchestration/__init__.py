"""The Dagster shell over the processing steps: resources, assets, sensors, jobs, instance."""
