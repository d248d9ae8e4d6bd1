#!/usr/bin/env bash
# Checks, before anything starts, what `npm test` and `npm run infra:up` need
# from the machine, and says in one line per missing piece what to install:
#   Java 17+ (runs the Kafka broker), Maven (fetches its jars, unless they are
#   in .infra/kafka/libs already), Python 3.11+ with venv (the Snowflake
#   emulator), and the Debian packages Prometheus, node-exporter and Chromium
#   (installed with apt-get as root when missing).
# Exits 1 if anything is missing, 0 otherwise.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/scripts/infra/lib.sh"

problems=()
need() { problems+=("sneakpipe tests need $1"); }

if ! command -v java >/dev/null; then
  need "Java 17+ (java not found): install a JDK, e.g. apt-get install openjdk-17-jdk-headless"
else
  java_version="$(java -version 2>&1 | sed -n 's/.*version "\([0-9][0-9.]*\).*/\1/p' | head -n 1)"
  java_major="${java_version%%.*}"
  [[ "$java_major" == 1 ]] && java_major="$(cut -d. -f2 <<< "$java_version")"
  if ! [[ "$java_major" =~ ^[0-9]+$ ]] || ((java_major < 17)); then
    need "Java 17+ (java is ${java_version:-of an unknown version}): install a newer JDK, e.g. apt-get install openjdk-17-jdk-headless"
  fi
fi

if ! installed_from "$root/infra/kafka/pom.xml" "$root/.infra/kafka/libs/.pom.sha" && ! command -v mvn >/dev/null; then
  need "Maven (mvn not found; it fetches the Kafka broker's jars): install it, e.g. apt-get install maven"
fi

if ! command -v python3 >/dev/null; then
  need "Python 3.11+ (python3 not found; it runs the Snowflake emulator): install it, e.g. apt-get install python3 python3-venv"
elif ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  need "Python 3.11+ (python3 is $(python3 -c 'import platform; print(platform.python_version())' 2>/dev/null)): install a newer one"
elif ! installed_from "$root/infra/fakesnow/requirements.txt" "$root/.infra/fakesnow/venv/.requirements.sha" &&
  ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  need "Python's venv module (python3 -m venv cannot create environments): install it, e.g. apt-get install python3-venv"
fi

mapfile -t packages < <(missing_debian_packages)
if ((${#packages[@]} > 0)); then
  list="$(printf '%s, ' "${packages[@]}")"
  if ! command -v apt-get >/dev/null; then
    need "the Debian packages ${list%, } (not installed, and no apt-get here to install them): install them with your system's package manager"
  elif [[ "$(id -u)" != 0 ]]; then
    need "the Debian packages ${list%, } (not installed; apt-get needs root): run sudo apt-get install ${packages[*]}"
  fi
fi

((${#problems[@]} == 0)) && exit 0
printf '%s\n' "${problems[@]}" >&2
exit 1
