"""The rule tables: versioned YAML files with their legal source and the dates they are in force.

Each file starts with a header (``kind``, ``profile``, ``source``, ``valid_from``, ``valid_to``) and is loaded
into a typed model at import; a malformed table is refused with ``TableError`` naming the file and the fault.
``Tables.document_types(profile, on)`` and friends pick the version in force on a document's own date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Final, Literal, TypeVar, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from schemas import yaml_text

TABLE_DIR: Final = Path(__file__).parent

Tag = Literal["V", "V-ex", "V-copy", "S", "K", "M", "U"]
Level = Literal["TW", "TINH", "HUYEN", "CTCS", "CO_SO"]
BodyKind = Literal[
    "CAP_UY",  # a cấp ủy whose acting organ (BCH or BTV) is not known yet
    "BCH",
    "BTV",
    "BCT",
    "BBT",
    "CHI_BO",
    "DANG_UY_BO_PHAN",
    "THUONG_TRUC",
    "UBKT",
    "DANG_DOAN",
    "BAN_CAN_SU",
    "HOI_DONG",
    "ADVISORY",
    "BAN_CHI_DAO",
    "TIEU_BAN",
    "DAI_HOI",
    "DOAN_CHU_TICH",
    "DOAN_THU_KY",
    "BAN_THAM_TRA_TU_CACH",
    "BAN_KIEM_PHIEU",
]
NonEmpty = Annotated[str, Field(min_length=1)]


_T = TypeVar("_T", bound="TableHeader")


class TableError(ValueError):
    """A rule table is malformed: the message names the file and what is wrong."""


def severity_is_error(tag: str) -> bool:
    """A rule read in the regulation's own text ([V], [V-ex], or a verbatim copy of it [V-copy]) is an error;
    anything weaker a warning. What a [V-copy] text changes is marked ``changed`` where it is data."""
    return tag in ("V", "V-ex", "V-copy")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_pattern(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"bad regular expression {value!r}: {exc}") from exc
    return value


class TableHeader(_Strict):
    kind: Literal["document_types", "issuers", "authority", "signing", "reorganisation", "regimes", "guide"]
    profile: Literal["party", "state"]
    regime: str | None = None
    source: NonEmpty
    valid_from: date
    valid_to: date | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> TableHeader:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError(f"valid_to {self.valid_to} is before valid_from {self.valid_from}")
        return self

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


# --- document types -------------------------------------------------------------------------------


class DocumentType(_Strict):
    key: NonEmpty
    name: NonEmpty  # tên loại, upper case, canonical tone style
    aliases: list[str] = Field(default_factory=list)
    abbr: list[str]  # accepted ký hiệu loại
    tolerated: list[str] = Field(default_factory=list)  # accepted with a warning (UNCERTAIN)
    tag: Tag
    untitled: bool = False  # công văn: no printed tên loại
    changed: bool = False  # the guide changed this abbreviation from the practice before it: a mismatch is a warning
    repealed: list[str] = Field(default_factory=list)  # abbreviations no longer valid for this type (a mismatch)


class DocumentTypesTable(TableHeader):
    types: list[DocumentType]
    other_profile_abbr: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_keys(self) -> DocumentTypesTable:
        keys = [t.key for t in self.types]
        dupes = {k for k in keys if keys.count(k) > 1}
        if dupes:
            raise ValueError(f"duplicate type keys {sorted(dupes)}")
        return self

    def by_name(self, name: str) -> DocumentType | None:
        for t in self.types:
            if name == t.name or name in t.aliases:
                return t
        return None

    def by_key(self, key: str) -> DocumentType | None:
        return next((t for t in self.types if t.key == key), None)

    def by_abbr(self, abbr: str) -> list[DocumentType]:
        return [t for t in self.types if abbr in t.abbr]

    def known_abbr(self, abbr: str) -> bool:
        return any(abbr in t.abbr or abbr in t.tolerated or abbr in t.repealed for t in self.types)


# --- issuers --------------------------------------------------------------------------------------


class CommitteePattern(_Strict):
    pattern: NonEmpty
    parent: str | None = None
    level: Level | None  # None: the level's list was not read, the authority matrix is not applied
    level_from: dict[date, Level] = Field(default_factory=dict)
    codes: list[str]
    tag: Tag
    body: BodyKind | None = None  # CHI_BO, BCT, … when the name itself says which body
    province: bool = False  # the rest of the name is a province (for the merged-province check)
    commune: bool = False

    @field_validator("pattern", "parent")
    @classmethod
    def _valid_regex(cls, value: str | None) -> str | None:
        return value if value is None else _check_pattern(value)

    def level_on(self, on: date) -> Level | None:
        level = self.level
        for start, lvl in sorted(self.level_from.items()):
            if on >= start:
                level = lvl
        return level


class OrganPattern(_Strict):
    pattern: NonEmpty
    kind: BodyKind
    abbr: str | None  # None: code UNCERTAIN, not checked
    head: str | None = None
    prefix_only: bool = False
    standalone: bool = False  # code is the abbr alone (congress bodies: ĐH)
    tag: Tag

    @field_validator("pattern")
    @classmethod
    def _valid_regex(cls, value: str) -> str:
        return _check_pattern(value)


class LevelPattern(_Strict):
    pattern: NonEmpty
    level: Level
    level_from: dict[date, Level] = Field(default_factory=dict)

    @field_validator("pattern")
    @classmethod
    def _valid_regex(cls, value: str) -> str:
        return _check_pattern(value)

    def level_on(self, on: date) -> Level:
        level = self.level
        for start, lvl in sorted(self.level_from.items()):
            if on >= start:
                level = lvl
        return level


class IssuersTable(TableHeader):
    committees: list[CommitteePattern]
    organs: list[OrganPattern]
    levels_from_text: list[LevelPattern]


# --- authority matrix -----------------------------------------------------------------------------


class AuthorityCell(_Strict):
    levels: list[Level | Literal["*"]]
    body: BodyKind
    tag: Tag
    clause: NonEmpty
    allowed: list[str]
    uncertain: list[str] = Field(default_factory=list)
    lenient: list[str] = Field(default_factory=list)


class CentralOnly(_Strict):
    tag: Tag
    clause: NonEmpty
    types: list[str]


class AuthorityTable(TableHeader):
    always_allowed: list[str]
    central_only: CentralOnly
    cells: list[AuthorityCell]

    def cell(self, level: str | None, body: str) -> AuthorityCell | None:
        """The cell for (level, body): an exact level first, then the any-level row."""
        for c in self.cells:
            if c.body == body and level is not None and level in c.levels:
                return c
        return next((c for c in self.cells if c.body == body and "*" in c.levels), None)

    def type_keys(self) -> set[str]:
        keys = set(self.always_allowed) | set(self.central_only.types)
        for c in self.cells:
            keys |= set(c.allowed) | set(c.uncertain) | set(c.lenient)
        return keys


# --- signing --------------------------------------------------------------------------------------


class SigningTable(TableHeader):
    collective: list[BodyKind]
    advisory: list[BodyKind]
    committee: list[BodyKind]
    leader_titles: list[str]
    tl_not_delegable: list[str]
    heads: dict[str, list[str]]
    entity_names: dict[str, list[str]]  # keys are BodyKind values (checked below)
    tl_signer_titles: list[str]
    # Signing T/M, the titles a title line may carry, by COMMITTEE (any cấp ủy kind), UBKT, HOI_DONG (05-HD I.7.1.2 b).
    tm_titles: dict[str, list[str]] = Field(default_factory=dict)
    untitled_tm: list[str] = Field(default_factory=list)  # T/M entities that carry no title line
    # T/L entities a body may sign under besides its own (a chi bộ without a seal: the superior cấp ủy's, I.8.1.2).
    tl_entities: dict[str, list[str]] = Field(default_factory=dict)

    @field_validator("entity_names")
    @classmethod
    def _known_kinds(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        unknown = set(value) - set(get_args(BodyKind))
        if unknown:
            raise ValueError(f"unknown body kinds {sorted(unknown)}")
        return value


# --- reorganisation -------------------------------------------------------------------------------


class EndedBody(_Strict):
    province: NonEmpty
    organ: NonEmpty  # organ abbreviation as in issuers_party.yaml (BTG, BDV, …)
    ended_on: date
    successor: str
    tag: Tag


class ReorganisationTable(TableHeader):
    district_level_end: date
    commune_upper_tier_start: date
    commune_preparation_start: date
    province_merge_effective: date
    appointed_committees_effective: date  # the appointed cấp ủy of 2025 take office: numbering restarts
    merged_provinces: dict[str, list[str]]
    ended_bodies: list[EndedBody]


# --- regimes and guides ---------------------------------------------------------------------------

HD36: Final = "36-HD/VPTW"
HD05: Final = "05-HD/VPTW"


class Regime(_Strict):
    """The regulation on types and authority and the format guide in force over a span of dates."""

    authority: NonEmpty
    guide: NonEmpty
    also: list[str] = Field(default_factory=list)  # guides a document of this span may follow instead
    valid_from: date
    valid_to: date | None = None

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


class RegimesTable(TableHeader):
    regimes: list[Regime]

    @model_validator(mode="after")
    def _in_order(self) -> RegimesTable:
        for a, b in zip(self.regimes, self.regimes[1:], strict=False):
            if a.valid_to is None or a.valid_to >= b.valid_from:
                raise ValueError(f"regime {a.authority} + {a.guide} overlaps the next one")
        return self

    def on(self, day: date) -> Regime | None:
        return next((r for r in self.regimes if r.in_force(day)), None)

    def guides_on(self, day: date) -> list[str]:
        """The guides a document of ``day`` is judged by: its own first, then the one it may follow instead."""
        regime = self.on(day)
        return [regime.guide, *regime.also] if regime is not None else [HD36]

    def changes(self) -> list[date]:
        """The days on which the regime changes."""
        return [r.valid_from for r in self.regimes]


class GuideRule(_Strict):
    """How one rule reads under a guide: its clause there, the clause's provenance and the severity that follows."""

    clause: NonEmpty
    tags: list[Tag]
    severity: Literal["error", "warning", "info"]
    note: str | None = None
    applies: bool = True  # False: the guide allows what the rule forbids

    @model_validator(mode="after")
    def _severity_follows_tags(self) -> GuideRule:
        if self.severity == "error" and not all(severity_is_error(t) for t in self.tags):
            raise ValueError(f"an error needs a [V], [V-ex] or [V-copy] source, not {self.tags}")
        return self


class GuideTable(TableHeader):
    rules: dict[str, GuideRule]


_MODELS: Final[dict[str, type[TableHeader]]] = {
    "document_types": DocumentTypesTable,
    "issuers": IssuersTable,
    "authority": AuthorityTable,
    "signing": SigningTable,
    "reorganisation": ReorganisationTable,
    "regimes": RegimesTable,
    "guide": GuideTable,
}


def load_table(path: Path) -> TableHeader:
    """Load and validate one table file; raise ``TableError`` naming the file when it is malformed."""
    try:
        raw: Any = yaml_text.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise TableError(f"{path.name}: cannot read the table: {exc}") from exc
    if not isinstance(raw, dict):
        raise TableError(f"{path.name}: a table must be a mapping with a header (kind, source, valid_from…)")
    for key in ("kind", "source", "valid_from"):
        if key not in raw:
            raise TableError(f"{path.name}: header field {key!r} is missing")
    model = _MODELS.get(str(raw["kind"]))
    if model is None:
        raise TableError(f"{path.name}: unknown table kind {raw['kind']!r}")
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise TableError(f"{path.name}: {exc}") from exc


@dataclass(frozen=True)
class Tables:
    """Every table version, with look-ups by profile and date."""

    document_type_versions: tuple[DocumentTypesTable, ...]
    issuer_versions: tuple[IssuersTable, ...]
    authority_versions: tuple[AuthorityTable, ...]
    signing_versions: tuple[SigningTable, ...]
    reorganisation: ReorganisationTable
    regimes: RegimesTable
    guides: tuple[GuideTable, ...]

    @staticmethod
    def _pick(versions: tuple[_T, ...], profile: str, on: date) -> _T | None:
        return next((t for t in versions if t.profile == profile and t.in_force(on)), None)

    def document_types(self, profile: str, on: date) -> DocumentTypesTable | None:
        return self._pick(self.document_type_versions, profile, on)

    def issuers(self, on: date) -> IssuersTable | None:
        return self._pick(self.issuer_versions, "party", on)

    def authority(self, on: date) -> AuthorityTable | None:
        return self._pick(self.authority_versions, "party", on)

    def signing(self, on: date) -> SigningTable | None:
        return self._pick(self.signing_versions, "party", on)

    def guide(self, name: str) -> GuideTable | None:
        """How the rules read under a format guide other than 36-HD/VPTW (whose wording is the rules' own)."""
        return next((g for g in self.guides if g.regime == name), None)

    def all_versions(self) -> list[TableHeader]:
        return [
            *self.document_type_versions,
            *self.issuer_versions,
            *self.authority_versions,
            *self.signing_versions,
            self.reorganisation,
            self.regimes,
            *self.guides,
        ]


def _no_overlap(tables: list[TableHeader], what: str) -> None:
    for i, a in enumerate(tables):
        for b in tables[i + 1 :]:
            if a.profile != b.profile:
                continue
            a_end = a.valid_to or date.max
            b_end = b.valid_to or date.max
            if a.valid_from <= b_end and b.valid_from <= a_end:
                raise TableError(f"{what}: versions {a.regime} and {b.regime} overlap in time")


def load_tables(directory: Path = TABLE_DIR) -> Tables:
    """Load every ``*.yaml`` table in ``directory`` and check them against each other."""
    loaded = [load_table(p) for p in sorted(directory.glob("*.yaml"))]
    doc_types = [t for t in loaded if isinstance(t, DocumentTypesTable)]
    issuers = [t for t in loaded if isinstance(t, IssuersTable)]
    authority = [t for t in loaded if isinstance(t, AuthorityTable)]
    signing = [t for t in loaded if isinstance(t, SigningTable)]
    reorg = [t for t in loaded if isinstance(t, ReorganisationTable)]
    if len(reorg) != 1:
        raise TableError(f"expected exactly one reorganisation table, found {len(reorg)}")
    regimes = [t for t in loaded if isinstance(t, RegimesTable)]
    if len(regimes) != 1:
        raise TableError(f"expected exactly one regimes table, found {len(regimes)}")
    guides = [t for t in loaded if isinstance(t, GuideTable)]
    named = {r.guide for r in regimes[0].regimes} | {g for r in regimes[0].regimes for g in r.also}
    unknown_guides = {g.regime for g in guides} - named
    if unknown_guides:
        raise TableError(f"guide tables for guides no regime names: {sorted(str(g) for g in unknown_guides)}")
    for group, name in (
        (doc_types, "document_types"),
        (authority, "authority"),
        (signing, "signing"),
        (issuers, "issuers"),
    ):
        if not group:
            raise TableError(f"no {name} table found in {directory}")
        _no_overlap(list(group), name)
    party_keys = {t.key for table in doc_types if table.profile == "party" for t in table.types}
    for auth in authority:
        unknown = auth.type_keys() - party_keys
        if unknown:
            raise TableError(f"authority table {auth.regime}: unknown document type keys {sorted(unknown)}")
    for sign in signing:
        unknown = set(sign.tl_not_delegable) - party_keys
        if unknown:
            raise TableError(f"signing table: unknown document type keys {sorted(unknown)}")
    return Tables(
        document_type_versions=tuple(doc_types),
        issuer_versions=tuple(issuers),
        authority_versions=tuple(authority),
        signing_versions=tuple(signing),
        reorganisation=reorg[0],
        regimes=regimes[0],
        guides=tuple(guides),
    )


@cache
def default_tables() -> Tables:
    """The tables shipped with the package, loaded once."""
    return load_tables()


TABLES: Final = default_tables()
