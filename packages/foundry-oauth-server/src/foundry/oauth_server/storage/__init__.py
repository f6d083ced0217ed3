"""Where clients, codes and tokens live: memory or the ``oauth_*`` tables."""
