"""The platform: PostgreSQL process, pool, SQL files, migrations, error mapping. Nothing domain-specific."""
