"""Linked accounts: institutions a user connected through Knot (Lattice)."""
