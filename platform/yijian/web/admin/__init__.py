"""Admin pages (site status)."""
