"""The workers: the job table's queue (claim, run, retry, prune) and the threads of ``serve`` that work it."""
