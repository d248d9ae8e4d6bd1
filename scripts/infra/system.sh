#!/usr/bin/env bash
# Debian packages the tests use, installed only when missing: Prometheus and
# promtool (scrape and alert-rule tests), node-exporter (the disk-space alert's
# metrics), Chromium (renders the HTML reports). Needs root, as CI has.
set -euo pipefail
missing=()
command -v prometheus >/dev/null || missing+=(prometheus)
command -v promtool >/dev/null || missing+=(prometheus)
command -v prometheus-node-exporter >/dev/null || missing+=(prometheus-node-exporter)
command -v chromium >/dev/null || missing+=(chromium fonts-liberation)
[[ ${#missing[@]} -eq 0 ]] && exit 0
echo "system: installing ${missing[*]} (apt-get)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
# The packages start their services where an init system runs; tests start their own.
pkill -x prometheus 2>/dev/null || true
pkill -f prometheus-node-exporter 2>/dev/null || true
