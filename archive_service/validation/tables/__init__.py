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

TABLE_DIR: Final = Path(__file__).parent

Tag = Literal["V", "V-ex", "S", "K", "M", "U"]
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
    """A rule read in the regulation's own text ([V], [V-ex]) is an error; anything weaker a warning."""
    return tag in ("V", "V-ex")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_pattern(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"bad regular expression {value!r}: {exc}") from exc
    return value


class TableHeader(_Strict):
    kind: Literal["document_types", "issuers", "authority", "signing", "reorganisation"]
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
        return any(abbr in t.abbr or abbr in t.tolerated for t in self.types)


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
    merged_provinces: dict[str, list[str]]
    ended_bodies: list[EndedBody]


_MODELS: Final[dict[str, type[TableHeader]]] = {
    "document_types": DocumentTypesTable,
    "issuers": IssuersTable,
    "authority": AuthorityTable,
    "signing": SigningTable,
    "reorganisation": ReorganisationTable,
}


def load_table(path: Path) -> TableHeader:
    """Load and validate one table file; raise ``TableError`` naming the file when it is malformed."""
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
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

    def all_versions(self) -> list[TableHeader]:
        return [
            *self.document_type_versions,
            *self.issuer_versions,
            *self.authority_versions,
            *self.signing_versions,
            self.reorganisation,
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
    for group, name in ((doc_types, "document_types"), (authority, "authority"), (signing, "signing")):
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
    )


@cache
def default_tables() -> Tables:
    """The tables shipped with the package, loaded once."""
    return load_tables()


TABLES: Final = default_tables()
