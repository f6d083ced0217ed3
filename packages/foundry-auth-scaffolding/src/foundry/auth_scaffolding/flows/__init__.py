"""The auth flows, independent of HTTP: routes and commands both call these."""
