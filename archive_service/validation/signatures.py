"""The digital-signature checks (SIG-*) and the per-signature report of one document.

The verifier (``indexers.signatures``) says what each signature holds; here it is judged against the document:
- SIG-INVALID: the signed bytes or the signature value do not check (NĐ 30/2020 Điều 5: only a valid signature
  gives an electronic document its legal value; Điều 21 khoản 2 điểm a: the office checks authenticity and
  integrity of what it receives).
- SIG-MODIFIED-AFTER-SIGNING: the file changed after signing other than by later signatures and their data.
- SIG-CERT-UNTRUSTED: no chain to a configured anchor, or expired/revoked at signing time; information only
  when no anchor is configured (the service cannot know whom the office trusts).
- SIG-SIGNER-MISMATCH: on an original (a born-digital document, not a scan or a copy), no signature of the
  person the document names as signer, or none of the issuing body; on an electronic copy, none of the
  copying body. Names compare without case or diacritics.
- SIG-MISSING: the office marked the document as issued electronically and it carries no signature.
- FMT-COPY-MARK: an electronic copy (the "BẢN SAO VĂN BẢN" stamp on a signed PDF) without both the copying
  body's and the person's signatures (05-HD/VPTW Phần III, Phụ lục 3 ô 14–15).
A scan carrying signatures is a copy made by digitising paper (NĐ 30/2020 Điều 25 khoản 1 điểm c: "số hóa văn
bản giấy và ký số của cơ quan, tổ chức"): its signatures are the digitising body's, not the signer's, so they
are not compared with the signer and the issuer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final

from archive_service.validation.context import upper
from archive_service.validation.registry import RuleInfo
from archive_service.validation.rules_components import COPY_STAMP
from indexers.signatures.certificate import fold as fold_name
from indexers.textnorm import canonical
from schemas.fields import DocumentFields
from schemas.findings import Finding, Location, Severity
from schemas.parsed import DigitalSignature, LaterChanges, ParsedDocument, SignatureKind

PARTY_CLAUSE: Final = "05-HD/VPTW mục I.7.2.2, I.8.2.3 (chữ ký số của người ký và của cơ quan)"
STATE_CLAUSE: Final = "NĐ 30/2020/NĐ-CP Điều 5; Điều 21 khoản 2 điểm a"


class Role(StrEnum):
    """Whom a signature speaks for on this document (shown in the panel)."""

    SIGNER = "signer"  # the person the document names as its signer
    ISSUER = "issuer"  # the issuing body (or the cấp ủy whose seal a body without one uses)
    ISSUER_UNIT = "issuer-unit"  # a unit of the issuing body (its Công báo centre, its Văn phòng): O/OU name it
    COPIER = "copier"  # the body (or person) that made an electronic copy or digitised the paper
    OTHER = "other"  # someone the document does not name


ROLE_LABELS: Final = {
    Role.SIGNER: "người ký văn bản",
    Role.ISSUER: "cơ quan ban hành",
    Role.ISSUER_UNIT: "đơn vị thuộc cơ quan ban hành",
    Role.COPIER: "cơ quan sao, số hóa",
    Role.OTHER: "không phải người ký hay cơ quan ban hành",
}


@dataclass(frozen=True)
class SigRule:
    rule_id: str
    code: str
    severity: Severity
    message: str
    hint: str
    clause: str
    state_clause: str
    tags: tuple[str, ...]
    note: str | None = None  # why a warning is not an error (the catalogue shows it)

    def info(self) -> RuleInfo:
        return RuleInfo(
            rule_id=self.rule_id,
            code=self.code,
            severity=self.severity,
            clause=self.clause,
            message=self.message,
            hint=self.hint,
            tags=list(self.tags),
            profile="both",
            needs_layout=False,
            hd36_layout=False,
            state_clause=self.state_clause,
            rests_on=["issuer", "parent_issuer", "signer_name"] if self.code == "SIG-SIGNER-MISMATCH" else [],
            note=self.note,
        )


INVALID: Final = SigRule(
    "SIG-1",
    "SIG-INVALID",
    Severity.ERROR,
    "Chữ ký số không hợp lệ: kiểm tra mật mã không đạt.",
    "Văn bản điện tử chỉ có giá trị pháp lý khi chữ ký số hợp lệ; đề nghị cơ quan gửi gửi lại bản đã ký số đúng.",
    PARTY_CLAUSE,
    "NĐ 30/2020/NĐ-CP Điều 5; Điều 21 khoản 2 điểm a",
    ("V",),
)
MODIFIED: Final = SigRule(
    "SIG-2",
    "SIG-MODIFIED-AFTER-SIGNING",
    Severity.ERROR,
    "Văn bản bị thay đổi sau khi ký số.",
    "Nội dung hiện có không còn là nội dung đã ký; dùng bản gốc đã ký số của cơ quan ban hành.",
    PARTY_CLAUSE,
    "NĐ 30/2020/NĐ-CP Điều 5; Điều 21 khoản 2 điểm a",
    ("V",),
)
UNTRUSTED: Final = SigRule(
    "SIG-3",
    "SIG-CERT-UNTRUSTED",
    Severity.WARNING,
    "Chứng thư của chữ ký số chưa được xác thực là tin cậy.",
    "Người quản trị cài chứng thư gốc của tổ chức chứng thực (Ban Cơ yếu Chính phủ, các CA công cộng) vào thư "
    "mục ARCHIVE_SIGNATURE_TRUST_DIR; chứng thư hết hạn hoặc bị thu hồi khi ký thì chữ ký không còn giá trị.",
    "05-HD/VPTW mục I.8.2.3; Luật Giao dịch điện tử 2023 (chữ ký số được bảo đảm bởi chứng thư)",
    "NĐ 30/2020/NĐ-CP Điều 5 khoản 2",
    ("V", "K"),
    "Cảnh báo: việc chứng thư có được tin cậy tùy chứng thư gốc mà văn phòng cài đặt; chỉ là thông tin khi chưa cài "
    "chứng thư gốc nào.",
)
MISMATCH: Final = SigRule(
    "SIG-4",
    "SIG-SIGNER-MISMATCH",
    Severity.WARNING,
    "Chữ ký số không phải của người ký hoặc cơ quan ban hành ghi trên văn bản.",
    "Đối chiếu chứng thư với người ký và cơ quan ban hành; văn bản điện tử do người có thẩm quyền ký số và cơ "
    "quan ban hành ký số.",
    "05-HD/VPTW mục I.7.2.2, I.8.2.3",
    "NĐ 30/2020/NĐ-CP Điều 5; Điều 13 khoản 7; Điều 17 khoản 2",
    ("V",),
    "Cảnh báo: tên người ký và cơ quan ban hành được đọc từ văn bản, tên trên chứng thư có thể viết khác.",
)
MISSING: Final = SigRule(
    "SIG-5",
    "SIG-MISSING",
    Severity.ERROR,
    "Văn bản điện tử đã ban hành không có chữ ký số.",
    "Văn bản điện tử ban hành phải được người có thẩm quyền ký số và cơ quan ký số; lưu bản PDF đã ký số.",
    PARTY_CLAUSE,
    "NĐ 30/2020/NĐ-CP Điều 5; Điều 13 khoản 7; Điều 17 khoản 2",
    ("V",),
)
COPY: Final = SigRule(
    "SIG-6",
    "FMT-COPY-MARK",
    Severity.WARNING,
    "Bản sao điện tử thiếu chữ ký số của cơ quan sao hoặc của người ký bản sao.",
    "Bản sao từ văn bản giấy sang văn bản điện tử được số hóa và ký số bởi cơ quan sao (ô 14) và người ký bản sao "
    "(ô 15), ở góc trên bên phải trang đầu.",
    "05-HD/VPTW mục III; Phụ lục 3 (ô 14, 15)",
    "NĐ 30/2020/NĐ-CP Điều 25 khoản 1 điểm c",
    ("V-copy",),
    "05-HD/VPTW đọc qua bản sao của bên thứ ba [V-copy]: cảnh báo.",
)
SIGNATURE_RULES: Final = (INVALID, MODIFIED, UNTRUSTED, MISMATCH, MISSING, COPY)
_LEVEL_WORDS: Final = frozenset({"tinh", "thanh", "pho", "tp", "xa", "phuong", "dac", "khu", "huyen", "quan", "thi"})
_EXPAND: Final = {"ubnd": "uy ban nhan dan", "hdnd": "hoi dong nhan dan", "tp": "thanh pho", "ubkt": "uy ban kiem tra"}


def tokens(name: str | None) -> frozenset[str]:
    """The words of a name, folded (no case, no diacritics) with the usual abbreviations spelled out."""
    words = fold_name(name).split()
    return frozenset(" ".join(_EXPAND.get(w, w) for w in words).split())


def names_body(name: str | None, body: str | None, parent: str | None = None) -> bool:
    """Whether ``name`` (a certificate's CN, O or OU) is ``body``, possibly with its cấp ủy or province after it.

    "Văn phòng Tỉnh ủy Điện Biên" names the body "VĂN PHÒNG" under "TỈNH UỶ ĐIỆN BIÊN"; "Tỉnh Quảng Ngãi" (a
    territory) names no body.
    """
    own, wanted = tokens(name), tokens(body)
    return bool(own) and bool(wanted) and wanted <= own and own <= wanted | tokens(parent) | _LEVEL_WORDS


def same_person(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and tokens(a) == tokens(b)


def _speaks_for(sig: DigitalSignature, body: str | None, parent: str | None, *, own_name_only: bool = False) -> bool:
    """A body's signature naming ``body`` (or its cấp ủy, whose seal a body without one uses: 05-HD I.8.1.2).

    The certificate's own name (CN) is the body that signs; ``own_name_only=False`` also accepts a unit whose
    O or OU is the body (the issuing body's Công báo centre signing what it publishes).
    """
    cert = sig.certificate
    if sig.kind is not SignatureKind.ORGANIZATION:
        return False
    if cert is None:
        names = [sig.organization]
    else:
        names = [cert.common_name] if own_name_only else [cert.common_name, cert.organization, cert.unit]
    return any(names_body(n, body, parent) or (parent is not None and names_body(n, parent)) for n in names if n)


@dataclass
class SignatureReview:
    """What the checks found: the findings and, for each signature, the public report of it."""

    findings: list[Finding] = field(default_factory=list)
    signatures: list[dict[str, Any]] = field(default_factory=list)


def _copying_body(parsed: ParsedDocument) -> str | None | bool:
    """The copying body under a "BẢN SAO VĂN BẢN" stamp; False when there is no stamp, None when unread."""
    for i, line in enumerate(parsed.lines):
        if COPY_STAMP.match(upper(line.rendered_text)):
            following = parsed.lines[i + 1 : i + 3]
            for nxt in following:
                text = canonical(nxt.rendered_text)
                if text and not text.lower().startswith("số"):
                    return text
            return None
    return False


def _finding(
    rule: SigRule, profile: str, sig: DigitalSignature | None, detail: str | None, severity: Severity | None = None
) -> Finding:
    clause = rule.state_clause if profile == "state" else rule.clause
    message = rule.message if not detail else f"{rule.message.rstrip('.')}: {detail}."
    where = None
    if sig is not None:
        who = sig.signer_name or "không rõ người ký"
        where = Location(text=f"Chữ ký số {sig.field_name or ''} ({who})".replace("  ", " "))
    return Finding(
        code=rule.code,
        severity=severity or rule.severity,
        message=message,
        hint=rule.hint,
        clause=clause,
        location=where,
    )


def _integrity(sig: DigitalSignature, profile: str) -> list[Finding]:
    if sig.error and not sig.verified:
        return [_finding(INVALID, profile, sig, sig.error, Severity.WARNING)]
    if sig.error or sig.intact is False:
        return [_finding(INVALID, profile, sig, sig.error or "nội dung đã ký không khớp với giá trị băm trong chữ ký")]
    if sig.valid is False:
        return [_finding(INVALID, profile, sig, "giá trị chữ ký không khớp với khóa công khai của chứng thư")]
    return []


def _changes(sig: DigitalSignature, profile: str) -> list[Finding]:
    if sig.later_changes is LaterChanges.OTHER:
        return [_finding(MODIFIED, profile, sig, "tệp có phần được thêm hoặc sửa sau chữ ký, ngoài các chữ ký sau")]
    if sig.later_changes is LaterChanges.ANNOTATIONS:
        return [_finding(MODIFIED, profile, sig, "có ghi chú hoặc hình vẽ thêm lên trang sau khi ký", Severity.WARNING)]
    return []


def _trust(sig: DigitalSignature, profile: str) -> list[Finding]:
    if not sig.verified or sig.error or sig.intact is False or sig.valid is False:
        return []  # a broken signature is SIG-INVALID; whom its certificate chains to no longer matters
    if sig.trust_problem is not None:
        return [_finding(UNTRUSTED, profile, sig, sig.trust_detail)]
    if sig.trusted is None:
        return [
            _finding(
                UNTRUSTED,
                profile,
                sig,
                "chưa cấu hình chứng thư gốc tin cậy (ARCHIVE_SIGNATURE_TRUST_DIR) nên chưa kiểm tra chuỗi chứng thư",
                Severity.INFO,
            )
        ]
    return []


def _roles(
    sigs: list[DigitalSignature], parsed: ParsedDocument, fields: DocumentFields, copier: str | None | bool
) -> list[Role]:
    roles: list[Role] = []
    for sig in sigs:
        if sig.kind is SignatureKind.PERSON and same_person(sig.signer_name, fields.signer_name) and copier is False:
            roles.append(Role.SIGNER)
        elif _speaks_for(sig, fields.issuer, fields.parent_issuer, own_name_only=True) and copier is False:
            roles.append(Role.ISSUER)
        elif _speaks_for(sig, fields.issuer, fields.parent_issuer) and copier is False:
            roles.append(Role.ISSUER_UNIT)
        elif copier is not False or parsed.ocr:
            roles.append(Role.COPIER)
        else:
            roles.append(Role.OTHER)
    return roles


def _mismatch(
    sigs: list[DigitalSignature],
    roles: list[Role],
    parsed: ParsedDocument,
    fields: DocumentFields,
    profile: str,
    copier: str | None | bool,
) -> dict[int, Finding]:
    """SIG-SIGNER-MISMATCH findings by signature index: on an original, and on an electronic copy."""
    found: dict[int, Finding] = {}
    usable = [i for i, s in enumerate(sigs) if s.verified and s.kind is not None]
    if isinstance(copier, str):
        bodies = [i for i in usable if sigs[i].kind is SignatureKind.ORGANIZATION]
        if bodies and not any(_speaks_for(sigs[i], copier, None) for i in bodies):
            i = bodies[0]
            found[i] = _finding(
                MISMATCH,
                profile,
                sigs[i],
                f"chứng thư của {sigs[i].organization}, cơ quan sao ghi trên bản sao là {copier}",
            )
        return found
    if copier is not False or parsed.ocr:
        return found  # a scan or an unread copy: its signatures are the digitiser's
    persons = [i for i in usable if sigs[i].kind is SignatureKind.PERSON]
    if persons and fields.signer_name and not any(roles[i] is Role.SIGNER for i in persons):
        i = persons[0]
        found[i] = _finding(
            MISMATCH,
            profile,
            sigs[i],
            f"chứng thư của {sigs[i].signer_name}, văn bản ghi người ký là {fields.signer_name}",
        )
    bodies = [i for i in usable if sigs[i].kind is SignatureKind.ORGANIZATION]
    if bodies and fields.issuer and not any(roles[i] in (Role.ISSUER, Role.ISSUER_UNIT) for i in bodies):
        i = bodies[0]
        issuer = " ".join(x for x in (fields.issuer, fields.parent_issuer) if x)
        found.setdefault(
            i,
            _finding(MISMATCH, profile, sigs[i], f"chứng thư của {sigs[i].organization}, cơ quan ban hành là {issuer}"),
        )
    return found


def _copy_signatures(sigs: list[DigitalSignature], copier: str | None | bool, profile: str) -> list[Finding]:
    """An electronic copy (stamp + signatures) needs the copying body's and the person's signatures."""
    if copier is False or not sigs or profile != "party":
        return []
    kinds = {s.kind for s in sigs if s.verified}
    missing = []
    if SignatureKind.ORGANIZATION not in kinds:
        missing.append("chữ ký số của cơ quan sao")
    if SignatureKind.PERSON not in kinds:
        missing.append("chữ ký số của người ký bản sao")
    return [_finding(COPY, profile, None, "thiếu " + ", ".join(missing))] if missing else []


def signature_json(sig: DigitalSignature, role: Role | None, problems: list[Finding]) -> dict[str, Any]:
    """One signature as ``check --json`` and the API show it (``signatures`` of a document)."""
    cert = sig.certificate
    return {
        "field": sig.field_name,
        "signer": sig.signer_name,
        "kind": sig.kind.value if sig.kind else None,
        "organization": sig.organization,
        "role": role.value if role else None,
        "signed_at": sig.signed_at,
        "signed_at_source": "timestamp" if sig.timestamped else ("claimed" if sig.signed_at else None),
        "timestamped": sig.timestamped,
        "intact": sig.intact,
        "valid": sig.valid,
        "covers_whole_document": sig.covers_whole_document,
        "later_changes": sig.later_changes.value if sig.later_changes else None,
        "trusted": sig.trusted,
        "trust_problem": sig.trust_problem.value if sig.trust_problem else None,
        "digest_algorithm": sig.digest_algorithm,
        "certificate": cert.model_dump(mode="json") if cert is not None else None,
        "error": sig.error,
        "problems": [{"code": f.code, "severity": f.severity.value, "message": f.message} for f in problems],
    }


def review_signatures(
    parsed: ParsedDocument | None, fields: DocumentFields | None, *, profile: str, electronic: bool = False
) -> SignatureReview:
    """The SIG-* findings of one document and the report of each of its signatures."""
    review = SignatureReview()
    if parsed is None:
        return review
    fields = fields or DocumentFields()
    sigs = list(parsed.signatures)
    if not sigs:
        if electronic:
            pdf = parsed.media_type == "application/pdf"
            detail = None if pdf else "tệp không phải PDF; văn bản điện tử được ban hành ở định dạng PDF và ký số"
            review.findings.append(_finding(MISSING, profile, None, detail))
        return review
    copier = _copying_body(parsed)
    roles = _roles(sigs, parsed, fields, copier)
    mismatch = _mismatch(sigs, roles, parsed, fields, profile, copier)
    unanchored = 0
    for i, sig in enumerate(sigs):
        problems = [*_integrity(sig, profile), *_changes(sig, profile), *_trust(sig, profile)]
        if i in mismatch:
            problems.append(mismatch[i])
        # "No anchor configured" is one fact about the service, not one per signature: a single information
        # finding for the document, while each signature's own report still says its chain was not checked.
        unanchored += sum(1 for f in problems if f.code == UNTRUSTED.code and f.severity is Severity.INFO)
        review.findings.extend(f for f in problems if not (f.code == UNTRUSTED.code and f.severity is Severity.INFO))
        review.signatures.append(signature_json(sig, roles[i] if sig.verified else None, problems))
    if unanchored:
        review.findings.append(_not_anchored(profile, unanchored))
    review.findings.extend(_copy_signatures(sigs, copier, profile))
    return review


def _not_anchored(profile: str, count: int) -> Finding:
    """The one information finding of a document whose signatures' chains were not checked (no anchor)."""
    what = "chữ ký số" if count == 1 else f"{count} chữ ký số"
    return _finding(
        UNTRUSTED,
        profile,
        None,
        "chưa cấu hình chứng thư gốc tin cậy (ARCHIVE_SIGNATURE_TRUST_DIR) nên chưa kiểm tra chuỗi chứng thư "
        f"của {what}",
        Severity.INFO,
    )


def signature_rule_infos() -> list[RuleInfo]:
    """The signature rules for the catalogue."""
    return [r.info() for r in SIGNATURE_RULES]


__all__ = ["ROLE_LABELS", "Role", "SignatureReview", "review_signatures", "signature_rule_infos"]
