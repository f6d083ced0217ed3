"""The Foundry reference application: a product catalogue with a REST API."""
