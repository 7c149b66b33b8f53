"""Fixed-window rate limits kept in PostgreSQL, so every worker process shares them."""
