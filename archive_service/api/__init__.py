"""The JSON API under /api/v1: routes that parse a request, call a use case and render its result.

A package (not a namespace folder) so that import tools such as grimp and import-linter see its modules
and the contracts in pyproject.toml hold for it too.
"""
