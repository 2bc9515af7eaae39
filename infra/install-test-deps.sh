#!/usr/bin/env bash
# Installs what the tests need beyond the .NET SDK, idempotently: util-linux (setsid, used by the agent to give
# each task its own session and process group) and procps (pgrep, used by tests to prove no process is left).
set -euo pipefail

need=()
command -v setsid >/dev/null 2>&1 || need+=(util-linux)
command -v pgrep >/dev/null 2>&1 || need+=(procps)
# Debian's Chromium for the web UI tests (Mesos.UiTests launch /usr/bin/chromium; Playwright never downloads a browser).
[[ -x /usr/bin/chromium ]] || need+=(chromium)
# PostgreSQL (Debian 12: 15) for the registry tests, which start a private cluster of their own; nothing is started here.
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)

if ((${#need[@]} > 0)); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "missing ${need[*]}: run as root or install them" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
