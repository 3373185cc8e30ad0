"""The base every stage stands on.

Locations, files, findings, the canonical model, shipped data and the cache.
"""
