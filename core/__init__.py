"""The domain shared by the bot and the admin API: settings, database, models and services."""
