"""The reference app's tests run on foundry-testing's fixtures (app, client, db, factories)."""
