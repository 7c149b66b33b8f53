"""Tasks: the Phase III todo list, one user's rows each."""
