"""The ``queue:*`` console commands and ``make:job``."""
