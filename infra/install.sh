#!/usr/bin/env bash
# Installs Mesos from this checkout on a systemd host. Run as root: sudo infra/install.sh
#
#   /opt/mesos/lib/              the published `mesos` tool (framework-dependent: needs the .NET 10 runtime)
#   /opt/mesos/bin/mesos         runs it with the dotnet found at install time; /usr/local/bin/mesos links here
#   /opt/mesos/bin/mesos-daemon  what the units start: sources /etc/mesos/mesos-<daemon>-env.sh, then execs mesos
#   /etc/systemd/system/mesos-master.service, mesos-agent.service (alias mesos-slave.service)
#   /etc/mesos/mesos-master-env.sh, mesos-agent-env.sh   examples, only when absent (never overwrites yours)
#   user `mesos`                 runs the master; the agent runs as root
#
# It enables and starts nothing: edit /etc/mesos/*-env.sh, then `systemctl enable --now mesos-master` (and
# mesos-agent on agent machines). Running it again upgrades the tool in place; restart the daemons after.
# Environment: PREFIX (default /opt/mesos), DOTNET (default: dotnet on PATH), DESTDIR (stage everything below this
# directory instead of /, for packaging or a dry run; then no user is created and systemd is not reloaded).
set -euo pipefail

die() { echo "install.sh: $*" >&2; exit 1; }

repo="$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd -P)"
prefix="${PREFIX:-/opt/mesos}"
bindir=/usr/local/bin
unitdir=/etc/systemd/system
confdir=/etc/mesos

root="${DESTDIR:-}"
[[ -n "$root" || $EUID -eq 0 ]] || die "run as root (it writes to $prefix, $unitdir and $confdir)"
dotnet="$(command -v "${DOTNET:-dotnet}")" || die "dotnet not found: install the .NET 10 SDK (to publish) and runtime (to run)"
dotnet="$(readlink -f -- "$dotnet")"
[[ "$prefix" != *\"* && "$dotnet" != *\"* ]] || die "paths with double quotes are not supported"

staging="$(mktemp -d)"
trap 'rm -rf -- "$staging"' EXIT

echo "Publishing Mesos.Cli (Release) ..."
if ! "$dotnet" publish "$repo/Mesos.Cli/Mesos.Cli.csproj" -c Release -o "$staging/lib" --nologo -v q >"$staging/publish.log" 2>&1; then
  cat "$staging/publish.log" >&2
  die "dotnet publish failed"
fi

# Swap the whole directory, so that a daemon starting meanwhile never sees a mix of old and new assemblies.
install -d -m 755 "$root$prefix" "$root$prefix/bin" "$root$bindir" "$root$unitdir"
rm -rf -- "$root$prefix/lib.new" "$root$prefix/lib.old"
cp -R -- "$staging/lib" "$root$prefix/lib.new"
chmod -R a+rX,go-w -- "$root$prefix/lib.new"
if [[ -d "$root$prefix/lib" ]]; then
  mv -- "$root$prefix/lib" "$root$prefix/lib.old"
fi
mv -- "$root$prefix/lib.new" "$root$prefix/lib"
rm -rf -- "$root$prefix/lib.old"

cat >"$root$prefix/bin/mesos.new" <<WRAPPER
#!/bin/sh
# Installed by infra/install.sh: the mesos tool with the dotnet that was on PATH at install time.
exec "$dotnet" "$prefix/lib/mesos.dll" "\$@"
WRAPPER
chmod 755 "$root$prefix/bin/mesos.new"
mv -- "$root$prefix/bin/mesos.new" "$root$prefix/bin/mesos"
install -m 755 "$repo/infra/bin/mesos-daemon" "$root$prefix/bin/mesos-daemon"
ln -sfn -- "$prefix/bin/mesos" "$root$bindir/mesos"

if [[ -z "$root" ]] && ! id -u mesos >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/mesos --no-create-home --shell /usr/sbin/nologin mesos
fi

install -d -m 755 "$root$confdir"
for file in mesos-master-env.sh mesos-agent-env.sh; do
  if [[ -e "$root$confdir/$file" ]]; then
    echo "Keeping $confdir/$file (example: $repo/infra/etc/mesos/$file)"
  else
    install -m 644 "$repo/infra/etc/mesos/$file" "$root$confdir/$file"
  fi
done

# The units name /opt/mesos; follow PREFIX when it differs.
for unit in mesos-master.service mesos-agent.service; do
  sed "s#/opt/mesos/#$prefix/#g" "$repo/infra/systemd/$unit" >"$staging/$unit"
  install -m 644 "$staging/$unit" "$root$unitdir/$unit"
done

if [[ -z "$root" && -d /run/systemd/system ]]; then
  systemctl daemon-reload
fi

if [[ -z "$root" ]]; then
  installed="$("$prefix/bin/mesos" --version)"
else
  installed="staged below $root (paths as on the target)"
fi

cat <<DONE
Installed: $installed
Next: edit $confdir/mesos-master-env.sh (masters) or $confdir/mesos-agent-env.sh (agents: set MESOS_master), then
  systemctl enable --now mesos-master     # on masters
  systemctl enable --now mesos-agent      # on agents
DONE
