"""Accounts: offices, users, passwords and API tokens, managed by admins (API) and the operator (CLI).

``service`` holds the use cases (each checks the caller, writes and audits in one transaction),
``validation`` the rules for names, codes and passwords shared by every edge.
"""
