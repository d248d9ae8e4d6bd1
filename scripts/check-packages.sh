#!/usr/bin/env bash
# Checks the packages as npm would publish them (`npm run check:packages`, and a
# step of scripts/test.sh after the build): each workspace package is packed
# into a temporary folder, then the tarball is linted by publint (package.json
# fields, exports, files that exist; warnings count as errors) and by
# @arethetypeswrong/cli (every export's types resolve, under the resolution
# modes of an ESM-only package: node16 from ESM and bundlers). Needs the build
# (dist/), no network and no component.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for dir in packages/*/; do
  name=$(node -p "require('./${dir}package.json').name")
  tgz=$(npm pack --silent --pack-destination "$tmp" "./$dir" | tail -n 1)
  echo "== $name ($tgz)"
  npx --no-install publint run --strict "$tmp/$tgz" || status=1
  npx --no-install attw "$tmp/$tgz" --profile esm-only --format table-flipped --no-emoji --no-color || status=1
done
exit $status
