# syntax=docker/dockerfile:1
#
# drs-operator image. Node 22 strips TypeScript types itself, so there is no compile step:
# the build stage installs every dependency, type-checks and smoke-runs the entry point, then
# drops the dev dependencies; the runtime stage gets production node_modules and the sources,
# on distroless Node 22 (no shell, no npm), as a non-root user with node as PID 1. The
# runtime-engine stage is the same operator with pg_dump, for the embedded PostgreSQL engine.
# test/unit/packaging/dockerfile.test.ts checks this file's structure and the paths it copies.

FROM node:22-bookworm-slim AS build
WORKDIR /app
ENV NODE_ENV=development
COPY package.json package-lock.json ./
# Dev dependencies live in this stage only. --ignore-scripts: no production dependency has an
# install script (a test checks the lockfile), and dev tools need none to type-check.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY controller ./controller
COPY engine ./engine
# Fail the build on type errors, and prove the module graph loads under this Node (--help
# imports everything main.ts imports, then exits).
RUN node node_modules/typescript/bin/tsc --noEmit -p tsconfig.json \
 && node controller/src/main.ts --help > /dev/null \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# The image for the embedded engine (chart value embeddedEngine.enabled; build with
# --target runtime-engine, tag <tag>-engine): the same operator plus PostgreSQL 17's pg_dump,
# which copies definitions of tables missing on the target and dumps sources from PostgreSQL 10
# to 17. pg_dump is a native program with its libraries, hence Debian slim rather than
# distroless; the same non-root user ID and node as PID 1. curl is only for the PGDG key.
FROM node:22-bookworm-slim AS runtime-engine
ARG PG_MAJOR=17
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && install -d /usr/share/postgresql-common/pgdg \
 && curl -fsSL -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc https://www.postgresql.org/media/keys/ACCC4CF8.asc \
 && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt bookworm-pgdg main" > /etc/apt/sources.list.d/pgdg.list \
 && apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client-${PG_MAJOR} \
 && apt-get purge -y --auto-remove curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 65532 nonroot \
 && useradd --uid 65532 --gid 65532 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin nonroot
WORKDIR /app
ENV NODE_ENV=production
# Where the engine finds pg_dump (engine/src/executors/postgres/binaries.ts).
ENV ENGINE_PG_BINDIR=/usr/lib/postgresql/${PG_MAJOR}/bin
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/controller ./controller
COPY --from=build /app/engine ./engine
USER 65532:65532
EXPOSE 8080 8081
ENTRYPOINT ["node", "controller/src/main.ts"]

FROM gcr.io/distroless/nodejs22-debian12:nonroot AS runtime
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/controller ./controller
# main.ts imports the built-in engine (--embedded-engine).
COPY --from=build /app/engine ./engine
# distroless's nonroot user; the chart runs it with a read-only root filesystem.
USER 65532:65532
# 8080 /metrics, 8081 /healthz and /readyz (--metrics-bind-address, --health-bind-address).
EXPOSE 8080 8081
# Exec form: node is PID 1 and handles SIGTERM itself (finishes in-flight reconciles and
# releases the leader lease); no shell in between to swallow the signal.
ENTRYPOINT ["/nodejs/bin/node", "controller/src/main.ts"]
