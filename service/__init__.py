"""Raw-SQL data backend on PostgreSQL for four small apps."""
