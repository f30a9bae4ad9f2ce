"""A test PKI made at test time, and PDFs signed, changed and tampered with pyHanko.

Nothing here is committed as a key file: every key and certificate is made with ``cryptography`` when a test
session first asks for it. The shapes follow what Vietnamese CAs issue (``indexers.signatures.certificate``):
a person's certificate has the person as CN, the body as O and a "CCCD:" identifier in UID; a body's has the
body's name as CN and a "MST:" identifier.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path
from typing import Final

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PERSON_NAME: Final = "Trần Quốc Cường"
PERSON_BODY: Final = "TỈNH ỦY ĐIỆN BIÊN"
BODY_NAME: Final = "Tỉnh ủy Điện Biên"
COPIER_NAME: Final = "Văn phòng Tỉnh ủy Điện Biên"  # the copying body of the generator's "BẢN SAO VĂN BẢN" stamp
CRL_URL: Final = "http://ca.invalid/test-ca.crl"  # never fetched: the service runs offline


@dataclass(frozen=True)
class Identity:
    """A certificate with its key, and the CA certificates above it (issuer first, root last)."""

    cert: x509.Certificate
    key: rsa.RSAPrivateKey
    chain: tuple[x509.Certificate, ...] = ()


@dataclass
class Pki:
    """Two roots (the configured one and another), an intermediate, and end-entity identities made on demand."""

    root: Identity
    intermediate: Identity
    other_root: Identity
    tsa: Identity
    _made: dict[str, Identity] = field(default_factory=dict)

    def person(self, name: str = PERSON_NAME, body: str = PERSON_BODY) -> Identity:
        """A person's certificate under the intermediate CA."""
        return self._leaf(f"person:{name}:{body}", _name(name, org=body, uid=f"CCCD:{_digits(name)}"))

    def body(self, name: str = BODY_NAME) -> Identity:
        """A body's certificate under the intermediate CA."""
        return self._leaf(f"body:{name}", _name(name, uid=f"MST:{_digits(name)}"))

    def expired(self, name: str = PERSON_NAME, body: str = PERSON_BODY) -> Identity:
        """A person's certificate whose validity ended a year ago."""
        now = datetime.now(UTC)
        subject = _name(name, org=body, uid=f"CCCD:{_digits(name)}")
        return self._leaf(f"expired:{name}", subject, start=now - timedelta(days=800), end=now - timedelta(days=365))

    def stranger(self, name: str = PERSON_NAME, body: str = PERSON_BODY) -> Identity:
        """A person's certificate under the other root, which no test configures as an anchor."""
        key = f"stranger:{name}"
        if key not in self._made:
            subject = _name(name, org=body, uid=f"CCCD:{_digits(name)}")
            self._made[key] = _issue(subject, self.other_root, ca=False)
        return self._made[key]

    def _leaf(
        self, key: str, subject: x509.Name, start: datetime | None = None, end: datetime | None = None
    ) -> Identity:
        if key not in self._made:
            self._made[key] = _issue(subject, self.intermediate, ca=False, start=start, end=end)
        return self._made[key]

    def revocation_list(self, revoked: Identity, *, revoked_at: datetime | None = None) -> bytes:
        """A CRL of the intermediate CA revoking ``revoked`` (PEM), for a trust folder's ``.crl`` file."""
        now = datetime.now(UTC)
        when = revoked_at or now - timedelta(days=1)
        entry = x509.RevokedCertificateBuilder().serial_number(revoked.cert.serial_number).revocation_date(when).build()
        crl = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.intermediate.cert.subject)
            .last_update(now - timedelta(days=2))
            .next_update(now + timedelta(days=30))
            .add_revoked_certificate(entry)
            .add_extension(x509.CRLNumber(1), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.intermediate.key.public_key()), critical=False
            )
            .sign(self.intermediate.key, hashes.SHA256())
        )
        return crl.public_bytes(serialization.Encoding.PEM)


def _digits(text: str) -> str:
    return str(int(hashlib.sha256(text.encode()).hexdigest(), 16))[:12]


def _name(common_name: str, *, org: str | None = None, uid: str | None = None) -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if org:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    if uid:
        parts.append(x509.NameAttribute(NameOID.USER_ID, uid))
    return x509.Name(parts)


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _issue(
    subject: x509.Name,
    issuer: Identity | None,
    *,
    ca: bool,
    start: datetime | None = None,
    end: datetime | None = None,
    timestamping: bool = False,
) -> Identity:
    """A certificate for a new key, signed by ``issuer`` (self-signed when None)."""
    key = _key()
    now = datetime.now(UTC)
    signer_key = issuer.key if issuer else key
    issuer_name = issuer.cert.subject if issuer else subject
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start or now - timedelta(days=30))
        .not_valid_after(end or now + timedelta(days=3650 if ca else 730))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signer_key.public_key()),
            critical=False,
        )
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=not ca,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    if not ca:
        # Real CAs declare where their CRL is; the validator checks revocation only for a certificate that does.
        point = x509.DistributionPoint([x509.UniformResourceIdentifier(CRL_URL)], None, None, None)
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    if timestamping:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    cert = builder.sign(signer_key, hashes.SHA256())
    chain = (issuer.cert, *issuer.chain) if issuer else ()
    return Identity(cert=cert, key=key, chain=chain)


def make_pki() -> Pki:
    """A fresh PKI: a root, an intermediate under it, a second unconfigured root, a timestamping authority."""
    root = _issue(_name("Test Root CA Cơ yếu", org="Ban Cơ yếu (thử)"), None, ca=True)
    intermediate = _issue(_name("Test CA chuyên dùng", org="Ban Cơ yếu (thử)"), root, ca=True)
    other_root = _issue(_name("Other Root CA", org="Không cấu hình"), None, ca=True)
    tsa = _issue(_name("Test TSA", org="Ban Cơ yếu (thử)"), root, ca=False, timestamping=True)
    return Pki(root=root, intermediate=intermediate, other_root=other_root, tsa=tsa)


def pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def write_trust_dir(folder: Path, *anchors: x509.Certificate, crl: bytes | None = None) -> Path:
    """A trust folder as an operator sets one up: each anchor a PEM file, and an optional ``.crl``."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, cert in enumerate(anchors):
        (folder / f"root-{i}.pem").write_bytes(pem(cert))
    if crl is not None:
        (folder / "ca.crl").write_bytes(crl)
    return folder


def _asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _asn1_key(key: rsa.RSAPrivateKey) -> asn1_keys.PrivateKeyInfo:
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return asn1_keys.PrivateKeyInfo.load(der)


def sign_pdf(
    pdf_bytes: bytes,
    *,
    cert: x509.Certificate,
    key: rsa.RSAPrivateKey,
    chain: tuple[x509.Certificate, ...] | list[x509.Certificate] = (),
    field_name: str = "Signature1",
    timestamp: Identity | None | bool = False,
) -> bytes:
    """``pdf_bytes`` with one more signature, appended as an incremental update (earlier signatures stay intact).

    ``timestamp``: an Identity of a timestamping authority (a certificate with the timeStamping usage) to add
    an RFC 3161 token made in process; False for none.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.timestamps import DummyTimeStamper
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    registry = SimpleCertificateStore.from_certs([_asn1_cert(c) for c in chain])  # type: ignore[no-untyped-call]
    signer = signers.SimpleSigner(signing_cert=_asn1_cert(cert), signing_key=_asn1_key(key), cert_registry=registry)
    stamper = None
    if isinstance(timestamp, Identity):
        stamper = DummyTimeStamper(
            tsa_cert=_asn1_cert(timestamp.cert),
            tsa_key=_asn1_key(timestamp.key),
            certs_to_embed=SimpleCertificateStore.from_certs([_asn1_cert(c) for c in timestamp.chain]),  # type: ignore[no-untyped-call]
        )
    writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes), strict=False)
    meta = signers.PdfSignatureMetadata(field_name=field_name)
    out = signers.PdfSigner(meta, signer=signer, timestamper=stamper).sign_pdf(writer)
    return bytes(out.getvalue())


def sign_as(
    pdf_bytes: bytes, who: Identity, field_name: str = "Signature1", timestamp: Identity | None = None
) -> bytes:
    """``sign_pdf`` with an Identity's certificate, key and chain."""
    return sign_pdf(
        pdf_bytes,
        cert=who.cert,
        key=who.key,
        chain=who.chain,
        field_name=field_name,
        timestamp=timestamp if timestamp is not None else False,
    )


def modify_after_signing(pdf: bytes) -> bytes:
    """An incremental update that draws on the first page: the signed revision stays intact, the page changes."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    stream = generic.StreamObject(stream_data=b"q 1 0 0 rg 100 100 200 50 re f Q\n")
    writer.add_stream_to_page(0, writer.add_object(stream))  # type: ignore[no-untyped-call]
    out = BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]
    return out.getvalue()


def tamper(pdf: bytes) -> bytes:
    """One byte flipped inside the first signed range, where it leaves the file readable: the binary comment
    line after the header ("%PDF-1.7" then "%âãÏÓ"), or else a letter of the /Producer string."""
    data = bytearray(pdf)
    first_line_end = data.index(b"\n") + 1
    if data[first_line_end : first_line_end + 1] == b"%" and data[first_line_end + 1] >= 0x80:
        data[first_line_end + 1] ^= 0x01
        return bytes(data)
    at = data.index(b"/Producer") + len(b"/Producer (") + 1
    data[at] ^= 0x01
    return bytes(data)
