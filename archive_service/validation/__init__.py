"""Validation: format (thể thức), issuing authority (thẩm quyền ban hành) and meeting-dossier checks.

Public API: ``validate_document``, ``validate_dossier``, ``rule_catalogue``. Rules live in ``rules_format``,
``rules_authority`` and ``dossier``; the tables they read are versioned YAML files in ``tables/``.
"""

from __future__ import annotations

from archive_service.validation.dossier import DOSSIER_RULES, validate_dossier
from archive_service.validation.engine import detect_profile, regime_label, sort_key, validate_document
from archive_service.validation.registry import REGISTRY, RuleInfo
from archive_service.validation.signatures import review_signatures, signature_rule_infos
from archive_service.validation.tables import TABLES
from archive_service.validation.uncertainty import catalogue_info


def _with_guides(info: RuleInfo) -> RuleInfo:
    """The rule with how each later format guide reads it (05-HD/VPTW: its clause and severity there)."""
    under = {g.regime or "": g.rules[info.rule_id] for g in TABLES.guides if info.rule_id in g.rules}
    return info.model_copy(update={"under": under}) if under else info


def rule_catalogue() -> list[RuleInfo]:
    """Every rule, document and dossier, with its code, severity, clause, message, hint and source tags."""
    return (
        [_with_guides(r.info) for r in REGISTRY.rules]
        + [catalogue_info()]
        + list(DOSSIER_RULES)
        + signature_rule_infos()
    )


__all__ = [
    "RuleInfo",
    "detect_profile",
    "regime_label",
    "review_signatures",
    "rule_catalogue",
    "sort_key",
    "validate_document",
    "validate_dossier",
]
