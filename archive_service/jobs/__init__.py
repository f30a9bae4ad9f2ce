"""The job queue: work for the workers kept in the catalog (table ``jobs``), so any process can take it."""
