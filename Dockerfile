# Slim runtime image; catalogs are compiled at build time so the container starts without writes.
FROM python:3.11-slim AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md babel.cfg ./
COPY bot ./bot
COPY locales ./locales
# Editable install keeps locales/ (catalogs and content files) next to the code.
RUN pip install -e . \
    && python -c "from bot.i18n import compile_catalogs; compile_catalogs()" \
    && useradd --system --uid 10001 bot && mkdir -p /app/data && chown bot /app/data
USER bot
VOLUME ["/app/data"]
ENTRYPOINT ["python", "-m", "bot"]
CMD ["run"]
