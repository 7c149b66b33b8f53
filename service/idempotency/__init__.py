"""Safe retries of creating POSTs with an ``Idempotency-Key`` header."""
