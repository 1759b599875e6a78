"""Open Referral UK (ORUK 3.0): the open read API at /api/v1/, its guide at /api/, and the JSON export.

One module per ORUK entity kind (services, locations, taxonomies, schedules) turns our rows into ORUK
records, so an importer can reuse the same mapping; params reads requests, queries picks rows, caching
answers conditional requests, openapi derives the served document from the shipped official one.
"""
from app.directory.oruk.views import bp

__all__ = ["bp"]
