"""Digital signatures (ký số) of PDF files: read and verify each one with pyHanko, offline.

``verify_pdf_signatures`` is the one entry point; ``trust`` loads the operator's anchors and CRLs,
``certificate`` reads what Vietnamese CAs put in a certificate's subject. The verdicts (findings) live in
``archive_service.validation.signatures``: this package only says what the file holds.
"""

from __future__ import annotations

from indexers.signatures.trust import TrustStore, load_trust_store
from indexers.signatures.verify import verify_pdf_signatures

__all__ = ["TrustStore", "load_trust_store", "verify_pdf_signatures"]
