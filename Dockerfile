# Debian trixie's postgresql-client is PostgreSQL 17, the server of docker-compose.yml: backups
# need a pg_dump and pg_restore of the server's major version (an older pg_dump refuses a newer
# server, and a newer one writes what an older server cannot restore).
FROM python:3.11-slim-trixie
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY i18n i18n
COPY conversations conversations
COPY core core
COPY bot bot
COPY admin admin
COPY public public
COPY toolbox toolbox
COPY emulator emulator
COPY incorruptible incorruptible
COPY babel.cfg alembic.ini ./
RUN pip install --no-cache-dir .
ENV INCORRUPTIBLE_DATA_DIR=/data \
    INCORRUPTIBLE_ADMIN_HOST=0.0.0.0
VOLUME /data
CMD ["incorruptible", "run"]
