#!/usr/bin/env bash
# Installs the peers of bench/peers.mjs (requirements.txt beside this file) into a project-local virtualenv,
# .infra/peers/venv (git-ignored), as infra/snowflake.sh installs fakesnow: again only when requirements.txt changed.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
requirements="$root/bench/peers/requirements.txt"
venv="$root/.infra/peers/venv"

source "$root/infra/lib.sh"

installed_from "$requirements" "$venv/.requirements.sha" && exit 0
echo "peers: installing bytewax, quixstreams and confluent-kafka into $venv ..." >&2
rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check -r "$requirements"
mark_installed_from "$requirements" "$venv/.requirements.sha"
