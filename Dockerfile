FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY i18n i18n
COPY conversations conversations
COPY core core
COPY bot bot
COPY admin admin
COPY emulator emulator
COPY incorruptible incorruptible
COPY babel.cfg alembic.ini ./
RUN pip install --no-cache-dir .
ENV INCORRUPTIBLE_DATA_DIR=/data \
    INCORRUPTIBLE_ADMIN_HOST=0.0.0.0
VOLUME /data
CMD ["incorruptible", "run"]
