#!/usr/bin/env bash
# Checks, before anything starts, what the tests need from the machine, and
# says in one line per missing piece what to install. Exits 1 if anything is
# missing, 0 otherwise.
#
#   infra/prereqs.sh               the test components (npm run infra:up, npm run test:faults)
#   infra/prereqs.sh --deploy      those and the live deployment test (npm test)
#   infra/prereqs.sh --deploy-only the live deployment test alone (npm run test:deploy)
#
# The test components: Java 17+ (runs the Kafka broker), Maven (fetches its
# jars, unless they are in .infra/kafka/libs already), Python 3.11+ with venv
# (the Snowflake emulator), and the Debian packages Prometheus, node-exporter
# and Chromium (installed with apt-get as root when missing).
#
# The live deployment test (deploy/setup.sh): the Debian packages
# podman, runc, debootstrap, netavark, aardvark-dns and iptables (installed
# with apt-get as root when missing); /etc/containers/containers.conf, which
# it writes system-wide (runc as podman's runtime, no default ulimits) unless
# the file already says so, which takes root; Python with venv (podman-compose
# from PyPI) and Maven (Kafka's jars for its image), unless already installed.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/infra/lib.sh"

components=1
deploy=0
case "${1:-}" in
  "") ;;
  --deploy) deploy=1 ;;
  --deploy-only) components=0 deploy=1 ;;
  *) echo "usage: $0 [--deploy | --deploy-only]" >&2; exit 2 ;;
esac

problems=()
need() { problems+=("sneakpipe tests need $1"); }

# Debian packages: installed by the scripts when missing, which takes apt-get and root.
need_debian_packages() { # what-for package...
  local what="$1" list
  shift
  (($# > 0)) || return 0
  list="$(printf '%s, ' "$@")"
  if ! command -v apt-get >/dev/null; then
    need "the Debian packages ${list%, } $what (not installed, and no apt-get here to install them): install them with your system's package manager"
  elif [[ "$(id -u)" != 0 ]]; then
    need "the Debian packages ${list%, } $what (not installed; apt-get needs root): run sudo apt-get install $*"
  fi
}

# Python 3.11+ with venv, unless the virtualenv described by REQUIREMENTS is installed already.
# Returns 1 when it found something missing.
need_python() { # what-for requirements stamp
  if ! command -v python3 >/dev/null; then
    need "Python 3.11+ (python3 not found; $1): install it, e.g. apt-get install python3 python3-venv"
  elif ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    need "Python 3.11+ (python3 is $(python3 -c 'import platform; print(platform.python_version())' 2>/dev/null); $1): install a newer one"
  elif ! installed_from "$2" "$3" && ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    need "Python's venv module (python3 -m venv cannot create environments; $1): install it, e.g. apt-get install python3-venv"
  else
    return 0
  fi
  return 1
}

# Maven, unless the Kafka jars of infra/kafka/pom.xml are in one of the given folders already.
need_maven() { # what-for libs-dir...
  local what="$1" libs
  shift
  for libs in "$@"; do installed_from "$root/infra/kafka/pom.xml" "$libs/.pom.sha" && return 0; done
  command -v mvn >/dev/null || need "Maven (mvn not found; $what): install it, e.g. apt-get install maven"
}

if ((components)); then
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
  need_maven "it fetches the Kafka broker's jars" "$root/.infra/kafka/libs"
  need_python "it runs the Snowflake emulator" "$root/infra/fakesnow/requirements.txt" "$root/.infra/fakesnow/venv/.requirements.sha" ||
    python_missing=1
  mapfile -t packages < <(missing_debian_packages)
  need_debian_packages "for the monitoring and report tests" "${packages[@]}"
fi

if ((deploy)); then
  mapfile -t packages < <(missing_deploy_packages)
  need_debian_packages "for the live deployment test" "${packages[@]}"
  if ! containers_conf_ready && ! containers_conf_writable; then
    need "$CONTAINERS_CONF set to runc as podman's runtime and no default ulimits (the live deployment test writes that file, which takes root): run the tests as root, or write the file yourself as deploy/setup.sh does"
  fi
  # With the components, Kafka's jars come from .infra/kafka/libs (Maven is checked above).
  ((components)) || need_maven "it fetches Kafka's jars for the deployment's image" "$root/.infra/deploy/kafka/libs" "$root/.infra/kafka/libs"
  ((${python_missing:-0})) ||
    need_python "podman-compose runs from PyPI in a virtualenv" "$root/deploy/requirements.txt" "$root/.infra/deploy/venv/.requirements.sha"
fi

((${#problems[@]} == 0)) && exit 0
printf '%s\n' "${problems[@]}" >&2
exit 1
