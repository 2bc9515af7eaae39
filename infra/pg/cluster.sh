#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for benchmarks and local trials of --registry=postgres, without systemd:
# its own data directory, its own port on 127.0.0.1, its unix socket inside its own directory. Idempotent.
#
#   infra/pg/cluster.sh start  [--dir DIR] [--port PORT]   # initdb when new, start, create role and database mesos
#   infra/pg/cluster.sh url    [--dir DIR] [--port PORT]   # the --registry_url (password from a pgpass file)
#   infra/pg/cluster.sh status [--dir DIR]
#   infra/pg/cluster.sh stop   [--dir DIR]
#   infra/pg/cluster.sh destroy [--dir DIR]                # stop, then delete the directory
#
# Defaults: --dir ${MESOS_PG_DIR:-/tmp/mesos-pg}, --port ${MESOS_PG_PORT:-55432}. fsync stays on: figures
# measured against this cluster are durable ones.
set -euo pipefail

cmd=${1:-}
shift || true
base=${MESOS_PG_DIR:-/tmp/mesos-pg}
port=${MESOS_PG_PORT:-55432}
while (($# > 0)); do
  case $1 in
    --dir) base=$2; shift 2 ;;
    --dir=*) base=${1#*=}; shift ;;
    --port) port=$2; shift 2 ;;
    --port=*) port=${1#*=}; shift ;;
    *) echo "cluster.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ -z $bin ]]; then
  echo "cluster.sh: PostgreSQL is not installed (run infra/install-test-deps.sh)" >&2
  exit 1
fi

data=$base/data
pgpass=$base/pgpass

# The server refuses to run as root: run its tools as postgres when we are root.
as_pg() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

running() { [[ -f $data/PG_VERSION ]] && as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; }

url() {
  echo "Host=127.0.0.1;Port=$(cat "$base/port");Username=mesos;Database=mesos;Passfile=$pgpass"
}

case $cmd in
  start)
    if [[ ! -f $data/PG_VERSION ]]; then
      install -d -m 755 "$base"
      [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$base"
      install -d -m 700 "$data"
      [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$data"
      password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
      pwfile=$(mktemp)
      echo "$password" >"$pwfile"
      chmod 644 "$pwfile"
      as_pg "$bin/initdb" -D "$data" -U postgres -E UTF8 --locale=C.UTF-8 --auth-local=trust \
        --auth-host=scram-sha-256 --pwfile="$pwfile" >"$base/initdb.log"
      rm -f "$pwfile"
      umask 077
      echo "127.0.0.1:*:*:mesos:$password" >"$pgpass"
      echo "127.0.0.1:*:*:postgres:$password" >>"$pgpass"
      echo "$password" >"$base/password"
      echo "$port" >"$base/port"
      fresh=1
    fi
    port=$(cat "$base/port")
    if ! running; then
      as_pg "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
        -o "-p $port -k $data -c listen_addresses=127.0.0.1" start >/dev/null
    fi
    if [[ ${fresh:-0} -eq 1 ]]; then
      password=$(cat "$base/password")
      as_pg psql -q -h "$data" -p "$port" -U postgres -d postgres \
        -c "CREATE ROLE mesos LOGIN PASSWORD '$password'" -c "CREATE DATABASE mesos OWNER mesos" >/dev/null
    fi
    url
    ;;
  url) url ;;
  status)
    if running; then echo "running on 127.0.0.1:$(cat "$base/port") ($data)"; else echo "stopped ($data)"; exit 3; fi
    ;;
  stop)
    if running; then as_pg "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null; fi
    echo "stopped ($data)"
    ;;
  destroy)
    if running; then as_pg "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null; fi
    rm -rf "$base"
    echo "destroyed ($base)"
    ;;
  *)
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
