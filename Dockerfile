# syntax=docker/dockerfile:1
#
# drs-operator image. Node 22 strips TypeScript types itself, so there is no compile step:
# the build stage installs every dependency, type-checks and smoke-runs the entry point, then
# drops the dev dependencies; the runtime stage gets production node_modules and the sources,
# on distroless Node 22 (no shell, no npm), as a non-root user with node as PID 1.
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
