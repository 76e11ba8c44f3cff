#!/usr/bin/env bash
# Makes PostgreSQL's programs available for the built-in engine's PostgreSQL executor and its
# tests: pg_dump (the executor copies table definitions with it) and initdb/pg_ctl (the tests
# start throwaway servers, test/support/postgres.ts). A no-op when they are already installed.
#
# Installs Debian's `postgresql` package when missing (as root, or through sudo), without the
# default "main" cluster: the tests run their own servers on free loopback ports as the
# `postgres` system user the package creates (initdb refuses to run as root).
set -euo pipefail

find_bindir() {
  if command -v pg_config >/dev/null 2>&1; then
    local dir
    dir="$(pg_config --bindir)"
    if [ -x "$dir/initdb" ]; then echo "$dir"; return; fi
  fi
  local newest
  newest="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -n "$newest" ] && [ -x "$newest/initdb" ]; then echo "$newest"; fi
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

bindir="$(find_bindir)"
if [ -z "$bindir" ]; then
  echo "postgres-setup: PostgreSQL not found; installing Debian's postgresql package" >&2
  # No default cluster: nothing listens on 5432, the tests start their own servers.
  as_root mkdir -p /etc/postgresql-common
  if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
    echo 'create_main_cluster = false' | as_root tee /etc/postgresql-common/createcluster.conf >/dev/null
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    -o Dpkg::Options::=--force-confold postgresql
  bindir="$(find_bindir)"
  if [ -z "$bindir" ]; then
    echo "postgres-setup: installed postgresql, but initdb is still not found under /usr/lib/postgresql/*/bin" >&2
    exit 1
  fi
fi

# The servers run as this user when the tests run as root.
if [ "$(id -u)" -eq 0 ] && ! id -u postgres >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
fi

echo "postgres-setup: $("$bindir/initdb" --version) in $bindir"
