"""Retention jobs: batched purges of what accumulates (README, "Data lifecycle").

``registry.JOBS`` names every job; ``runner.run_job`` runs one to completion in
short batches, each batch in its own transaction under the job's advisory lock
(``pg_try_advisory_xact_lock``, taken inside that transaction); ``runner.scheduler``
is the in-service loop started by the app's lifespan unless ``JOBS_ENABLED`` is off.
"""
