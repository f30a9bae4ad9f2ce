"""Typed values that travel between the layers: parsed documents, extracted fields, findings, API bodies."""
