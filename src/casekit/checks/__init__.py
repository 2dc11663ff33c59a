"""Checks: every problem collected, never raised."""
