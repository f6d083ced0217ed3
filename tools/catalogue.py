"""The 50 packages of Foundry, as DESIGN.md lists them (family, name, one line).

The health matrix counts against this list, so a package not built yet shows as missing
instead of disappearing from the total.
"""

from __future__ import annotations

CATALOGUE: tuple[tuple[str, str, str], ...] = (
    ("kernel", "domain", "contracts, value objects, errors, discovery helpers"),
    (
        "kernel",
        "service-container",
        "DI container with scopes, contextual bindings, FastAPI bridge",
    ),
    ("kernel", "application", "kernel: discovery, boot, create_app(), command registry"),
    ("kernel", "config", "layered config repository, config:show/cache/clear"),
    ("kernel", "config-layer", "typed, validated config sections (pydantic-settings)"),
    ("kernel", "env", ".env loading, env:validate, key:generate"),
    ("kernel", "plugins", "plugin discovery and management: plugin:list/enable/disable"),
    ("console", "cli", "the foundry console script"),
    ("console", "console", "terminal output: tables, panels, progress bars (rich)"),
    ("console", "interactive", "prompts: ask, confirm, choice, secret, autocomplete"),
    ("console", "verbosity", "-q/-v/-vv/-vvv mapped to logging and output detail"),
    ("console", "advanced-input", "typed arguments/options, arrays, validation rules"),
    ("console", "command-executor", "programmatic call() with captured output; queued runs"),
    ("console", "command-events", "event dispatcher; command lifecycle events"),
    ("console", "command-pipeline", "chain commands; parallel batches"),
    ("console", "signal-handler", "signal trapping and phased graceful shutdown"),
    ("console", "stub-system", "Jinja2 stubs for make:* generators, stub:publish"),
    ("console", "tinker-enhanced", "tinker REPL with the app booted"),
    ("web", "api", "HTTP kernel: middleware, error envelopes, serve, route:list"),
    ("web", "health", "health checks, /health, /health/ready, doctor"),
    ("web", "maintenance", "down/up, 503 middleware shared across instances"),
    ("web", "observability", "structured logs, Prometheus /metrics, OpenTelemetry"),
    ("web", "ratelimit", "rate limiters (memory, redis), middleware, dependency"),
    ("web", "assets", "content-hashed assets, manifest, asset:publish"),
    ("web", "http-client", "fluent httpx client with retries and fakes"),
    ("web", "forms", "HTML forms from schemas, validation, CSRF"),
    ("web", "i18n", "translations, CLDR plurals, locale detection"),
    ("web", "admin", "admin dashboard over the app's models"),
    ("web", "graphql", "strawberry schema assembled from providers"),
    ("web", "broadcast", "websocket channels, Redis fan-out, Pusher protocol"),
    ("data", "infra", "databases, async SQLModel sessions, Alembic migrations, db:*"),
    ("data", "cache", "cache stores memory/database/redis/file, tags, locks"),
    ("data", "storage", "filesystem disks, URLs, signed temporary URLs"),
    ("data", "resources", "API resources, pagination, sparse fieldsets"),
    ("data", "soft-deletes", "deleted_at mixin with automatic scope"),
    ("data", "audit", "model audit trail, audit:list/show"),
    ("data", "search", "full-text search (FTS5, tsvector)"),
    ("data", "tenancy", "tenant resolution and query scoping"),
    ("data", "export", "PDF, XLSX, CSV export"),
    ("auth", "auth-scaffolding", "register, login, reset, verification, 2FA, sessions, tokens"),
    ("auth", "oauth-server", "OAuth2 + OpenID Connect provider on authlib"),
    ("auth", "oauth", "social login client: GitHub, Google, any OIDC issuer"),
    ("messaging", "mail", "messages, mailables, SMTP/log/array transports"),
    ("messaging", "notifications", "mail, database, broadcast, slack, webhook channels"),
    ("messaging", "queue", "jobs, retries, batches; sync, database, redis"),
    ("messaging", "scheduling", "cron-style schedule, schedule:run/work/list"),
    ("tooling", "testing", "pytest plugin: app, client, db, factories, fakes"),
    ("tooling", "new", "foundry new: project generator"),
    ("tooling", "starter-kits", "the kits foundry new generates"),
    ("tooling", "boost", "MCP server exposing the app to AI assistants"),
)

NAMES: tuple[str, ...] = tuple(name for _, name, _ in CATALOGUE)
