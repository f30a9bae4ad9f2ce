"""Validation: format (thể thức), issuing authority (thẩm quyền ban hành) and meeting-dossier checks.

Public API: ``validate_document``, ``validate_dossier``, ``rule_catalogue``. Rules live in ``rules_format``,
``rules_authority`` and ``dossier``; the tables they read are versioned YAML files in ``tables/``.
"""

from __future__ import annotations

from archive_service.validation.dossier import DOSSIER_RULES, validate_dossier
from archive_service.validation.engine import detect_profile, validate_document
from archive_service.validation.registry import REGISTRY, RuleInfo
from archive_service.validation.uncertainty import catalogue_info


def rule_catalogue() -> list[RuleInfo]:
    """Every rule, document and dossier, with its code, severity, clause, message, hint and source tags."""
    return [r.info for r in REGISTRY.rules] + [catalogue_info()] + list(DOSSIER_RULES)


__all__ = ["RuleInfo", "detect_profile", "rule_catalogue", "validate_document", "validate_dossier"]
