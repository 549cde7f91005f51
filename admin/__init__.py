"""The admin API and the public pages, on FastAPI."""
