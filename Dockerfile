# drs-operator image: Node 22, no build step (Node strips TypeScript types itself).
# Build stage installs production dependencies only; the runtime stage has no shell or npm.
# The embedded engine (--embedded-engine) also needs pg_dump, which this image does not ship:
# run the engine beside PostgreSQL client tools, or use a provider other than local in-cluster.
FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM gcr.io/distroless/nodejs22-debian12:nonroot
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY controller ./controller
COPY engine ./engine
COPY crds ./crds
USER 65532:65532
EXPOSE 8080 8081
# node is PID 1 and handles SIGTERM itself (graceful shutdown releases the leader lease).
ENTRYPOINT ["/nodejs/bin/node", "controller/src/main.ts"]
