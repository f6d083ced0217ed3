"""The ASGI application, for servers pointed at a module (``uvicorn app.main:app``).

``foundry serve`` builds the same application through the kernel's factory.
"""

from foundry.application import create_app

app = create_app()
