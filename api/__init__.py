"""The edge: FastAPI app, routers, auth dependencies, CLI."""
