"""Search: the index behind the catalog (outbox drained by the workers, rebuilds) and the search use case."""
