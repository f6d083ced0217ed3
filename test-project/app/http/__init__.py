"""The application's HTTP routes."""
