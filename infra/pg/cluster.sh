#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for benchmarks and local trials of --registry=postgres, without systemd:
# its own data directory, its own port on 127.0.0.1, its unix socket inside its own directory. Idempotent.
#
#   infra/pg/cluster.sh start  [--dir DIR] [--port PORT]   # initdb when new, start, create role and database mesos
#   infra/pg/cluster.sh url    [--dir DIR] [--port PORT]   # the --registry_url (password from a pgpass file)
#   infra/pg/cluster.sh status [--dir DIR]
#   infra/pg/cluster.sh stop   [--dir DIR]
#   infra/pg/cluster.sh destroy [--dir DIR]                # stop, then delete the directory
#   infra/pg/cluster.sh standby --primary PDIR [--dir DIR] [--port PORT]
#        # a streaming-replication standby of the running primary in PDIR: pg_basebackup -R into DIR, started on
#        # PORT, and the primary made to wait for it on every commit (synchronous_standby_names), so that a
#        # committed append is on both. Its password and pgpass are the primary's.
#   infra/pg/cluster.sh promote [--dir DIR]                # the standby in DIR becomes a primary (pg_ctl promote)
#   infra/pg/cluster.sh url --dir PDIR --standby DIR       # a --registry_url listing both, that follows a promotion:
#                                                          # Host=127.0.0.1:P1,127.0.0.1:P2;Target Session Attributes=primary
#
# Defaults: --dir ${MESOS_PG_DIR:-/tmp/mesos-pg}, --port ${MESOS_PG_PORT:-55432}. fsync stays on: figures
# measured against this cluster are durable ones.
set -euo pipefail

cmd=${1:-}
shift || true
base=${MESOS_PG_DIR:-/tmp/mesos-pg}
port=${MESOS_PG_PORT:-55432}
primary=
standby=
while (($# > 0)); do
  case $1 in
    --primary) primary=$2; shift 2 ;;
    --primary=*) primary=${1#*=}; shift ;;
    --standby) standby=$2; shift 2 ;;
    --standby=*) standby=${1#*=}; shift ;;
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
  if [[ -n $standby ]]; then
    # Npgsql tries the hosts in order and keeps the one that is the primary now; it rechecks a host it found down
    # or read-only after a second, so that a promotion is followed quickly.
    echo "Host=127.0.0.1:$(cat "$base/port"),127.0.0.1:$(cat "$standby/port");Username=mesos;Database=mesos;Passfile=$pgpass;Target Session Attributes=primary;Host Recheck Seconds=1"
  else
    echo "Host=127.0.0.1;Port=$(cat "$base/port");Username=mesos;Database=mesos;Passfile=$pgpass"
  fi
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
  standby)
    if [[ -z $primary ]]; then echo "cluster.sh standby: --primary DIR (a running cluster.sh primary) is required" >&2; exit 2; fi
    if [[ $base == "${MESOS_PG_DIR:-/tmp/mesos-pg}" && $base == "$primary" ]]; then base=$primary-standby; data=$base/data; pgpass=$base/pgpass; fi
    if [[ $port == "${MESOS_PG_PORT:-55432}" ]]; then port=$(( $(cat "$primary/port") + 1 )); fi
    primary_port=$(cat "$primary/port")
    password=$(cat "$primary/password")
    if [[ ! -f $data/PG_VERSION ]]; then
      install -d -m 755 "$base"
      [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$base"
      # pg_basebackup -R writes standby.signal and the primary_conninfo; application_name names the standby in
      # the primary's synchronous_standby_names.
      conninfo="host=127.0.0.1 port=$primary_port user=postgres password=$password application_name=mesos_standby"
      as_pg "$bin/pg_basebackup" -d "$conninfo" -D "$data" -R -X stream -c fast >"$base/basebackup.log" 2>&1
      cp "$primary/pgpass" "$pgpass"; cp "$primary/password" "$base/password"
      [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$pgpass" "$base/password"
      chmod 600 "$pgpass" "$base/password"
      echo "$port" >"$base/port"
    fi
    port=$(cat "$base/port")
    if ! running; then
      as_pg "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
        -o "-p $port -k $data -c listen_addresses=127.0.0.1" start >/dev/null
    fi
    as_pg psql -q -h "$primary/data" -p "$primary_port" -U postgres -d postgres \
      -c "ALTER SYSTEM SET synchronous_standby_names = 'mesos_standby'" -c "SELECT pg_reload_conf()" >/dev/null
    # Wait until the primary sees the standby streaming synchronously: from then on every commit is on both.
    for _ in $(seq 1 100); do
      state=$(as_pg psql -tA -h "$primary/data" -p "$primary_port" -U postgres -d postgres \
        -c "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'mesos_standby'")
      [[ $state == sync ]] && break
      sleep 0.1
    done
    if [[ $state != sync ]]; then echo "cluster.sh standby: the standby on port $port is not streaming synchronously ('$state')" >&2; exit 1; fi
    echo "standby of $primary running on 127.0.0.1:$port ($data), synchronous"
    ;;
  promote)
    if ! running; then echo "cluster.sh promote: nothing runs in $data" >&2; exit 1; fi
    as_pg "$bin/pg_ctl" -D "$data" -w -t 60 promote >/dev/null
    echo "promoted ($data): 127.0.0.1:$(cat "$base/port") is a primary"
    ;;
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
