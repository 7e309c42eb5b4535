"""The ops dashboard at /dashboard: server-rendered pages over the services the API uses."""
