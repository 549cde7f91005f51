FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY conversations conversations
COPY core core
COPY bot bot
COPY admin admin
COPY emulator emulator
COPY incorruptible incorruptible
COPY locales locales
COPY babel.cfg alembic.ini ./
RUN pip install --no-cache-dir . \
    && pybabel compile -d locales -D messages
ENV INCORRUPTIBLE_DATA_DIR=/data \
    INCORRUPTIBLE_ADMIN_HOST=0.0.0.0
VOLUME /data
CMD ["incorruptible", "run"]
