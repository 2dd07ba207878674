"""The processing steps behind the asset graph, as plain functions over the database.

Each step takes the days (partitions) it covers, replaces what it wrote for
them before (delete + insert in one transaction), and returns counts for the
asset's metadata. One bad event never fails a step: it is dead-lettered with
its reason in words.
"""
