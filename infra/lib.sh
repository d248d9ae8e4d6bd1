# Helpers shared by the infra scripts (sourced, not run).

# A free loopback TCP port, as the OS hands it out.
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

# Two distinct free loopback ports, space-separated.
two_free_ports() {
  local a b
  a="$(free_port)"; b="$(free_port)"
  while [[ "$a" == "$b" ]]; do b="$(free_port)"; done
  echo "$a $b"
}

# True when STAMP holds the sha1 of FILE: what FILE describes is installed already.
installed_from() { [[ -f "$2" && "$(cat "$2")" == "$(sha1sum "$1" | cut -d' ' -f1)" ]]; }

# Records that what FILE describes is installed, in STAMP.
mark_installed_from() { sha1sum "$1" | cut -d' ' -f1 > "$2"; }

# True when the process recorded in PIDFILE runs and its command line contains
# PATTERN: a pid file left behind, whose pid the system has since given to
# another process, does not count.
recorded_pid_runs() {
  local pidfile="$1" pattern="$2" pid
  [[ -f "$pidfile" ]] || return 1
  pid="$(cat "$pidfile")"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$pattern"
}

# Stops the process recorded in PIDFILE (if it is still the one, see
# recorded_pid_runs): SIGTERM, up to 30 s, then SIGKILL. Removes the pid file.
# Never looks a process up by name.
stop_recorded() {
  local pidfile="$1" pattern="$2" pid
  if recorded_pid_runs "$pidfile" "$pattern"; then
    pid="$(cat "$pidfile")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

# The Debian packages the tests use that are not installed (one name a line):
# Prometheus and promtool, node-exporter, Chromium (and the fonts it renders with).
missing_debian_packages() {
  command -v prometheus >/dev/null && command -v promtool >/dev/null || echo prometheus
  command -v prometheus-node-exporter >/dev/null || echo prometheus-node-exporter
  if ! command -v chromium >/dev/null; then echo chromium; echo fonts-liberation; fi
}

# The Debian packages the live deployment test (deploy/setup.sh) uses
# that are not installed (one name a line): podman, runc (the runtime it is set
# to), its network stack (netavark, aardvark-dns, iptables), and debootstrap
# (builds the images' Debian base).
missing_deploy_packages() {
  command -v podman >/dev/null || echo podman
  command -v runc >/dev/null || echo runc
  command -v debootstrap >/dev/null || echo debootstrap
  [[ -x /usr/lib/podman/netavark || -x /usr/libexec/podman/netavark ]] || { echo netavark; echo aardvark-dns; }
  command -v iptables >/dev/null || echo iptables
}

# The podman engine settings the deployment test runs with, system-wide.
CONTAINERS_CONF=/etc/containers/containers.conf

# True when CONTAINERS_CONF already sets what the deployment test needs: runc
# as the runtime and no default ulimits (deploy/setup.sh writes it).
containers_conf_ready() {
  [[ -f "$CONTAINERS_CONF" ]] && grep -q '^runtime = "runc"' "$CONTAINERS_CONF" && grep -q '^default_ulimits = \[\]' "$CONTAINERS_CONF"
}

# True when this user may write CONTAINERS_CONF (or create it).
containers_conf_writable() {
  local dir="${CONTAINERS_CONF%/*}"
  if [[ -e "$CONTAINERS_CONF" ]]; then [[ -w "$CONTAINERS_CONF" ]]
  elif [[ -d "$dir" ]]; then [[ -w "$dir" ]]
  else [[ -w "${dir%/*}" ]]
  fi
}
