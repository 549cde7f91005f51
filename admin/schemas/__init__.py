"""Request and response shapes of the admin API: separate create, update and read models."""
