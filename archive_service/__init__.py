"""archive-service: records management for the offices of Vietnamese Party committees."""
