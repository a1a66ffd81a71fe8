#!/usr/bin/env bash
# Makes PostgreSQL + PostGIS, Redis and (with --browser) Chromium ready for `npm start` and `npm test`.
# It installs only what is missing, never drops anything, and when it cannot fix a gap it stops with
# one sentence naming the command the user must run.
set -euo pipefail

want_browser=0
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;
  esac
done

DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/taza}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"

say() { echo "[services] $*" >&2; }
fail() { echo "[services] $*" >&2; exit 1; }

is_root() { [ "$(id -u)" = "0" ]; }
has_apt() { command -v apt-get >/dev/null 2>&1; }
apt_updated=0
apt_install() {
  if [ "$apt_updated" = "0" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 || true
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# The maintenance URL: same server, database "postgres".
admin_url="$(node -e 'const u=new URL(process.argv[1]); u.pathname="/postgres"; console.log(u.toString())' "$DATABASE_URL")"

psql_admin() { psql "$admin_url" -v ON_ERROR_STOP=1 -Atqc "$1"; }

if ! command -v psql >/dev/null 2>&1; then
  if is_root && has_apt; then say "installing the PostgreSQL client"; apt_install postgresql-client; else
    fail "psql is missing: run 'sudo apt-get install -y postgresql-client' and try again."; fi
fi

if ! psql_admin "select 1" >/dev/null 2>&1; then
  fail "PostgreSQL does not answer at ${admin_url}: start it (e.g. 'sudo pg_ctlcluster 15 main start') or set DATABASE_URL."
fi

server_major="$(psql_admin "show server_version_num" | cut -c1-2)"
postgis_available="$(psql_admin "select count(*) from pg_available_extensions where name = 'postgis'")"
if [ "$postgis_available" = "0" ]; then
  pkg="postgresql-${server_major}-postgis-3"
  if is_root && has_apt; then
    say "PostGIS is missing: installing ${pkg} with apt"
    apt_install "$pkg" || fail "installing ${pkg} failed: run 'sudo apt-get update && sudo apt-get install -y ${pkg}' and try again."
  else
    fail "PostGIS is missing: run 'sudo apt-get install -y ${pkg}' and try again."
  fi
  postgis_available="$(psql_admin "select count(*) from pg_available_extensions where name = 'postgis'")"
  [ "$postgis_available" != "0" ] || fail "PostGIS is still missing after installing ${pkg}: run 'sudo apt-get install -y ${pkg}' on the database server."
fi

redis_ping() { node -e '
  const net = require("node:net"); const u = new URL(process.argv[1]);
  const s = net.connect({ host: u.hostname, port: Number(u.port || 6379) });
  const t = setTimeout(() => process.exit(1), 1500);
  s.on("connect", () => { s.write(u.password ? `AUTH ${decodeURIComponent(u.password)}\r\nPING\r\n` : "PING\r\n"); });
  s.on("data", (d) => { if (d.toString().includes("PONG")) { clearTimeout(t); s.end(); process.exit(0); } });
  s.on("error", () => process.exit(1));' "$REDIS_URL"; }

if ! redis_ping; then
  host="$(node -e 'console.log(new URL(process.argv[1]).hostname)' "$REDIS_URL")"
  port="$(node -e 'console.log(new URL(process.argv[1]).port || 6379)' "$REDIS_URL")"
  if ! command -v redis-server >/dev/null 2>&1 && is_root && has_apt; then
    say "Redis is missing: installing redis-server with apt"; apt_install redis-server || true
  fi
  if command -v redis-server >/dev/null 2>&1 && { [ "$host" = "127.0.0.1" ] || [ "$host" = "localhost" ]; }; then
    say "Redis does not answer at ${REDIS_URL}: starting redis-server on port ${port}"
    mkdir -p /tmp/taza-redis
    redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no --dir /tmp/taza-redis --logfile /tmp/taza-redis/redis.log
    for _ in $(seq 1 50); do redis_ping && break; sleep 0.1; done
  fi
  redis_ping || fail "Redis does not answer at ${REDIS_URL}: run 'sudo apt-get install -y redis-server && redis-server --daemonize yes' or set REDIS_URL."
fi

if [ "$want_browser" = "1" ]; then
  chromium_bin="${CHROMIUM_PATH:-/usr/bin/chromium}"
  if [ ! -x "$chromium_bin" ]; then
    if is_root && has_apt; then
      say "Chromium is missing: installing the chromium package with apt"
      apt_install chromium || fail "installing chromium failed: run 'sudo apt-get install -y chromium' and try again."
    else
      fail "Chromium is missing for the browser tests: run 'sudo apt-get install -y chromium' or set CHROMIUM_PATH."
    fi
  fi
fi

say "PostgreSQL ${server_major} with PostGIS and Redis are ready"
