"""Backup and restore of the three stores together: the catalog, then the blobs it references, then a manifest.

The search index is derived (DESIGN.md): it is not backed up; a restore rebuilds it from the restored catalog.
"""
