"""Test doubles bound in the container for one test: they record, and they assert."""
