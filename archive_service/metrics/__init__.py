"""Prometheus metrics at ``/metrics``: HTTP requests per process, jobs, backlog and OCR pages for the cluster.

Two kinds of figures, kept where they can be summed correctly:

- **Requests** (``archive_http_requests_total``, ``archive_http_request_duration_seconds``) are counted in memory
  by each HTTP process (``http.RequestMetrics``). Prometheus scrapes every machine's port, so a scrape must answer
  for the whole machine, whichever of its processes takes the connection. ``serve --processes N`` therefore runs
  prometheus_client's multiprocess mode (``multiproc``): every process writes its counters to small memory-mapped
  files in ``<data_dir>/metrics/<host>`` (one folder per machine, emptied by ``serve`` before the processes start)
  and a scrape sums the files of all of them, the processes that have ended included — a counter must never go
  back when a process is replaced. One process (``serve``, the tests) keeps them in memory. Summing in the
  scraper instead (one target per process) is not possible: the processes share one listening socket.
- **Jobs** (``archive_jobs_total``, ``archive_ocr_pages_total``, ``archive_jobs_backlog``,
  ``archive_jobs_oldest_queued_seconds``) are the cluster's: workers on other machines are never scraped, so the
  counters live in the catalog they share (``job_tallies``, counted by the queue in the transaction that records a
  job's outcome) and each scrape reads them, with the backlog, in a few grouped queries (``catalog``). Every
  machine's scrape then reports the same cluster-wide figures: aggregate them with ``max``, not ``sum``.

No label carries anything of a document: routes are their templates (``/api/v1/documents/{document_id}``, never
an id, a query string or a file name), jobs are counted by kind, never by document.
"""
