"""Readers that turn files into ParsedDocument and DocumentFields, and writers of the search index."""
