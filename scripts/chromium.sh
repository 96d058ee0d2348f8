#!/usr/bin/env bash
# Installs Debian's Chromium if needed (the browser tests drive it through Playwright) and prints
# its path. Usage: scripts/chromium.sh
set -euo pipefail

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v chromium >/dev/null 2>&1; then
  echo "installing Chromium from Debian packages…" >&2
  as_root apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium >&2
fi

command -v chromium
