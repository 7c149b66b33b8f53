"""HTTP plumbing shared by every domain: problems, auth, pagination, access log, dependencies."""
