"""The console commands: ``migrate*``, ``db:*`` and the ``make:*`` generators."""
