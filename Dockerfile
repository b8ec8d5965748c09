# upcall-bot as a container: the bot without development tools, as a non-root user, with the
# knowledge (knowledge/) and the bot's own files (state/) as volumes.
#
#   docker build -t upcall-bot .
#   docker run -d --name upcall-bot --restart unless-stopped --env-file .env \
#     -v "$PWD/knowledge:/app/knowledge" -v upcall-state:/app/state upcall-bot
#
# Secrets (the token, the webhook secret) come from --env-file at run time, never from the image:
# .dockerignore keeps .env and knowledge/secrets*.yaml out of the build.

# --- build: uv installs the locked dependencies and the bot into /app/.venv
FROM python:3.11-slim AS build

ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON_PREFERENCE=only-system \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# The same uv as ./uvw.
RUN pip install --no-cache-dir uv==0.13.9

WORKDIR /src
# Dependencies first: this layer is rebuilt only when the lock changes.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --locked --no-dev --no-install-project
COPY bot/ bot/
COPY handlers/ handlers/
RUN uv sync --locked --no-dev --no-editable

# --- run
FROM python:3.11-slim

# fonts-dejavu-core: the /escala picture's accents. git: only for a whole clone mounted with KB_DIR
# inside it (then /versao and the changelog name the commit, and KB_GIT_PULL_SECONDS can pull); the
# recipe above mounts knowledge/ alone, without .git: no commit, and KB_GIT_PULL_SECONDS>0 is
# refused at start. Debian's stable versions, not pinned: they get security fixes.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-dejavu-core git \
    && rm -rf /var/lib/apt/lists/* \
    && git config --system --add safe.directory '*' \
    && useradd --system --uid 10001 --user-group --home-dir /app --no-create-home upcall

WORKDIR /app
COPY --from=build /app/.venv /app/.venv
COPY --chown=upcall:upcall knowledge/ knowledge/
COPY seeds/ seeds/
RUN mkdir -p state && chown upcall:upcall state

ENV PATH="/app/.venv/bin:$PATH" \
    PYTHONUNBUFFERED=1 \
    HEALTH_PORT=8080

USER 10001:10001

# The knowledge a supervisor edits, and the bot's files (notices sent, audit log, gaps): both
# outlive the container. Back up state/.
VOLUME ["/app/knowledge", "/app/state"]

# The health endpoint (/healthz on HEALTH_PORT); the webhook port when TELEGRAM_WEBHOOK_URL is set;
# WhatsApp's webhook (WHATSAPP_WEBHOOK_PORT) when WHATSAPP_API_URL is set.
EXPOSE 8080 8443 8081

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('HEALTH_PORT', '8080'), timeout=4)"]

# `docker stop` sends SIGTERM and the bot stops cleanly; it waits 10 s by default (`-t` for more).
STOPSIGNAL SIGTERM
CMD ["upcall-bot", "run"]
