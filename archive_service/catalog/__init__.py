"""The catalog: offices, users, tokens, dossiers, documents, findings, audit events, jobs, index outbox."""
