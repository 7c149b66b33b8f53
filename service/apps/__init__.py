"""App credentials: OAuth2 client-credentials clients for the apps' backends (issue #12)."""
