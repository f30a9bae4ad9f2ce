"""Benchmark the search index: bulk indexing rate and query latency at 10k and 100k documents.

    python bench/search.py --sizes 10000 100000 --backend es|fts5|both [--rounds 3] [--es-url http://127.0.0.1:9200]

Documents are generated from a fixed Vietnamese vocabulary with a fixed seed, streamed (never held in a
list). Each (backend, size) runs in its own process so that its peak RSS (``ru_maxrss``) is its own.
For Elasticsearch, ours (``reindex``) is compared with a raw baseline doing the same work with the
client alone: the same documents (``to_source``), our index definition (mapping and settings), refresh
off while loading, as many bulk requests in flight (``BULK_IN_FLIGHT``), a refresh and the same
force-merge to one segment. It leaves out only the alias swap and the drop of the previous index (ours
does both; the raw one deletes its own previous scratch index instead). The two run in alternating order
(``bench.timing.alternate``) for ``--rounds`` rounds; min and median of both are reported, and their ratio.
Queries are timed after a warm-up on other queries, so none of the timed ones is answered from a cache
it filled itself. Every index the benchmark creates is deleted at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from elasticsearch import Elasticsearch, helpers  # noqa: E402

from bench.timing import alternate  # noqa: E402
from indexers.search.base import SearchIndex  # noqa: E402
from indexers.search.elastic import BULK_IN_FLIGHT, ElasticsearchSearchIndex, index_definition, to_source  # noqa: E402
from indexers.search.fts5 import Fts5SearchIndex  # noqa: E402
from indexers.textnorm import fold  # noqa: E402
from schemas.search import SearchDocument, SearchQuery, SecrecyLevel  # noqa: E402

SEED = 20250106
VOCABULARY = tuple(
    word
    for line in (
        "đảng ủy ban thường vụ tỉnh huyện xã chi bộ đảng viên cán bộ công chức lãnh đạo chỉ đạo quản lý",
        "nghị quyết quyết định kết luận thông báo báo cáo kế hoạch hướng dẫn chỉ thị quy định tờ trình",
        "đào tạo bồi dưỡng lý luận chính trị tổ chức kiểm tra giám sát kỷ luật khen thưởng thi đua kinh",
        "tế xã hội quốc phòng an ninh văn hóa giáo dục y tế nông nghiệp nông thôn mới hợp tác xã chuyển",
        "đổi số cải cách hành chính dân vận tuyên giáo mặt trận tổ quốc đoàn thể thanh niên phụ nữ đại",
        "hội nhiệm kỳ hội nghị giao ban sơ kết tổng kết triển khai thực hiện nhiệm vụ giải pháp tăng",
        "cường nâng cao chất lượng hiệu quả đổi mới phương thức xây dựng chỉnh đốn trong sạch vững mạnh",
        "biên chế tinh giản sắp xếp bộ máy vị trí việc làm tiêu chuẩn chức danh quy hoạch luân chuyển hồ",
        "sơ tài liệu lưu trữ văn thư số hóa điện tử bảo vệ bí mật nhà nước phòng chống tham nhũng lãng",
        "phí tiêu cực thanh tra tiếp công dân khiếu nại tố cáo đất đai tài nguyên môi trường thiên tai",
        "bão lũ",
    )
    for word in line.split()
)
TYPES = (
    ("NGHỊ QUYẾT", "NQ"),
    ("QUYẾT ĐỊNH", "QĐ"),
    ("KẾT LUẬN", "KL"),
    ("THÔNG BÁO", "TB"),
    ("BÁO CÁO", "BC"),
    ("KẾ HOẠCH", "KH"),
    ("CHỈ THỊ", "CT"),
    ("HƯỚNG DẪN", "HD"),
)
ISSUERS = (
    ("BAN THƯỜNG VỤ TỈNH ỦY", "TU"),
    ("VĂN PHÒNG TỈNH ỦY", "VPTU"),
    ("BAN TỔ CHỨC TỈNH ỦY", "BTCTU"),
    ("ỦY BAN KIỂM TRA TỈNH ỦY", "UBKTTU"),
    ("ĐẢNG ỦY XÃ QUẢNG PHÚ", "ĐU"),
)
CODES = ("FMT-DATE-FORMAT", "FMT-SYMBOL-TYPE-MISMATCH", "AUTH-SIGNING-FORM", "FMT-RECIPIENTS")
_WEIGHTS = [1.0 / (rank + 1) ** 0.8 for rank in range(len(VOCABULARY))]


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choices(VOCABULARY, weights=_WEIGHTS, k=n))


def documents(n: int, seed: int = SEED) -> Iterator[SearchDocument]:
    """``n`` deterministic documents, generated one at a time."""
    rng = random.Random(seed)
    start = date(2015, 1, 1)
    for i in range(n):
        document_type, type_code = TYPES[i % len(TYPES)]
        issuer, issuer_code = ISSUERS[rng.randrange(len(ISSUERS))]
        sentences = [_words(rng, rng.randint(8, 20)).capitalize() + "." for _ in range(rng.randint(10, 25))]
        status = rng.choice(("ok", "ok", "warning", "error", "pending"))
        yield SearchDocument(
            document_id=f"bench-{i}",
            office_id=1 + i % 20,
            dossier_id=1 + i // 25,
            filename=f"{i}-{type_code}-{issuer_code}.pdf",
            text=" ".join(sentences),
            document_type=document_type,
            summary="về " + _words(rng, rng.randint(6, 14)),
            number=str(i + 1),
            type_code=type_code,
            issuer_code=issuer_code,
            symbol=f"{i + 1}-{type_code}/{issuer_code}",
            issuer=issuer,
            issued_on=start + timedelta(days=rng.randrange(3650)),
            secrecy=SecrecyLevel.MAT if i % 50 == 0 else SecrecyLevel.NONE,
            validation_status=status,  # type: ignore[arg-type]
            finding_codes=rng.sample(CODES, k=rng.randint(0, 2)) if status in ("warning", "error") else [],
            uploaded_at=datetime(2025, 1, 6, tzinfo=UTC),
        )


def query_mix(n_docs: int, count: int, seed: int = SEED + 1) -> list[SearchQuery]:
    """Words with and without diacritics, symbols in three spellings, phrases, filters with facets."""
    rng = random.Random(seed)
    queries: list[SearchQuery] = []
    for i in range(count):
        kind = i % 5
        if kind == 0:
            q = _words(rng, 2)
        elif kind == 1:
            q = fold(_words(rng, 2))
        elif kind == 2:
            number = rng.randrange(1, n_docs + 1)
            document_type, type_code = TYPES[(number - 1) % len(TYPES)]
            q = rng.choice((f"{number}-{type_code}/TU", f"{number} {fold(type_code)} tu", f"{number}/{type_code}-TU"))
        elif kind == 3:
            q = f'"{_words(rng, 2)}"'
        else:
            issuer, _ = ISSUERS[rng.randrange(len(ISSUERS))]
            queries.append(SearchQuery(q=_words(rng, 1), issuer=issuer, year=rng.randint(2015, 2024)))
            continue
        queries.append(SearchQuery(q=q, office_ids=[1 + j for j in range(10)] if i % 2 else None))
    return queries


def _percentiles(latencies_ms: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(latencies_ms, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98]}


def _time_queries(index: SearchIndex, n_docs: int, count: int) -> dict[str, float]:
    queries = query_mix(n_docs, count)
    for query in query_mix(n_docs, 20, seed=SEED + 2):  # warm up on other queries: none timed is cached
        index.search(query)
    latencies: list[float] = []
    for query in queries:
        started = time.perf_counter()
        index.search(query)
        latencies.append((time.perf_counter() - started) * 1000)
    return _percentiles(latencies)


def _wait_until_up(index: SearchIndex, seconds: float = 300) -> None:
    """Other suites stop and restart the shared test server: wait for it rather than fail."""
    deadline = time.monotonic() + seconds
    while not index.ping():
        if time.monotonic() > deadline:
            raise SystemExit("Elasticsearch is not answering")
        time.sleep(2)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def _raw_bulk(client: Elasticsearch, scratch: str, size: int) -> None:
    """The baseline: ``reindex``'s work with the client alone (see the module docstring for what it leaves out)."""
    client.indices.delete(index=scratch, ignore_unavailable=True)
    client.indices.create(index=scratch, **index_definition())
    client.indices.put_settings(index=scratch, settings={"index": {"refresh_interval": "-1"}})
    actions = ({"_index": scratch, "_id": d.document_id, "_source": to_source(d)} for d in documents(size))
    for ok, info in helpers.parallel_bulk(
        client, actions, chunk_size=500, thread_count=BULK_IN_FLIGHT, queue_size=BULK_IN_FLIGHT
    ):
        if not ok:
            raise SystemExit(f"raw bulk refused a document: {info}")
    client.indices.put_settings(index=scratch, settings={"index": {"refresh_interval": None}})
    client.indices.refresh(index=scratch)
    client.options(request_timeout=3600).indices.forcemerge(index=scratch, max_num_segments=1)


def run_one(backend: str, size: int, es_url: str, queries: int, rounds: int = 3) -> dict[str, Any]:
    """Index ``size`` documents on ``backend``, then time the query mix; runs in its own process."""
    result: dict[str, Any] = {"backend": backend, "size": size}
    if backend == "fts5":
        with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
            index = Fts5SearchIndex(Path(tmp) / "catalog.sqlite3")
            index.ensure_schema()
            started = time.perf_counter()
            indexed = index.reindex(documents(size))
            result["ours_docs_s"] = indexed / (time.perf_counter() - started)
            result["peak_rss_mb"] = _peak_rss_mb()
            result.update(_time_queries(index, size, queries))
        return result

    client = Elasticsearch(es_url, request_timeout=120)
    _wait_until_up(ElasticsearchSearchIndex(client))
    prefix = f"bench-search-{uuid.uuid4().hex[:8]}"
    scratch = f"{prefix}-raw"
    try:
        index = ElasticsearchSearchIndex(client, prefix=prefix)
        compared = alternate(lambda: index.reindex(documents(size)), lambda: _raw_bulk(client, scratch, size), rounds)
        client.indices.delete(index=scratch, ignore_unavailable=True)
        result["ours_docs_s"] = compared.ours.rate(size)
        result["ours_median_docs_s"] = compared.ours.rate(size, median=True)
        result["raw_docs_s"] = compared.baseline.rate(size)
        result["raw_median_docs_s"] = compared.baseline.rate(size, median=True)
        result["ratio"] = compared.ratio()
        result["ratio_median"] = compared.ratio(median=True)
        result["peak_rss_mb"] = _peak_rss_mb()
        result.update(_time_queries(index, size, queries))
    finally:
        _wait_until_up(ElasticsearchSearchIndex(client))
        client.indices.delete(index=f"{prefix}-*", ignore_unavailable=True, allow_no_indices=True)
        client.close()
    return result


def _table(rows: list[dict[str, Any]]) -> str:
    """Bulk rates at the best round (min time) and the median round; query latencies of the last build."""
    header = f"{'backend':<14}{'docs':>8}{'ours doc/s min|med':>20}{'raw doc/s min|med':>19}{'ratio min|med':>15}"
    header += f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'peak RSS MB':>13}"
    lines = [header, "-" * len(header)]
    for r in rows:
        ours = f"{r['ours_docs_s']:.0f}|{r.get('ours_median_docs_s', r['ours_docs_s']):.0f}"
        raw = f"{r['raw_docs_s']:.0f}|{r['raw_median_docs_s']:.0f}" if "raw_docs_s" in r else "-"
        ratio = f"{r['ratio']:.2f}|{r['ratio_median']:.2f}" if "ratio" in r else "-"
        lines.append(
            f"{r['backend']:<14}{r['size']:>8}{ours:>20}{raw:>19}{ratio:>15}"
            f"{r['p50']:>9.1f}{r['p95']:>9.1f}{r['p99']:>9.1f}{r['peak_rss_mb']:>13.0f}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--backend", choices=("es", "fts5", "both"), default="both")
    parser.add_argument("--es-url", default=os.environ.get("ARCHIVE_TEST_ES_URL", "http://127.0.0.1:9200"))
    parser.add_argument("--queries", type=int, default=300, help="queries timed per size")
    parser.add_argument("--rounds", type=int, default=3, help="Elasticsearch bulk rounds, ours and raw alternately")
    parser.add_argument("--one", nargs=2, metavar=("BACKEND", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one[0], int(args.one[1]), args.es_url, args.queries, args.rounds)))
        return
    backends = {"es": ["elasticsearch"], "fts5": ["fts5"], "both": ["fts5", "elasticsearch"]}[args.backend]
    rows: list[dict[str, Any]] = []
    for backend in backends:
        for size in args.sizes:
            command = [sys.executable, __file__, "--one", backend, str(size), "--es-url", args.es_url]
            command += ["--queries", str(args.queries), "--rounds", str(args.rounds)]
            done = subprocess.run(command, stdout=subprocess.PIPE, text=True)  # stderr passes through
            if done.returncode != 0:
                print(f"{backend} {size}: failed (exit {done.returncode})", file=sys.stderr)
                continue
            rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(_table(rows[-1:]), file=sys.stderr, flush=True)
    print(_table(rows))


if __name__ == "__main__":
    main()
