#!/usr/bin/env bash
# Kept at this path because CI and outside tools run `bash scripts/infra/node.sh 24`: the script is infra/node.sh.
exec bash "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/infra/node.sh" "$@"
