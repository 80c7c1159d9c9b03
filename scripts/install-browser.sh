#!/bin/sh
# Installs Debian's Chromium for the editor's end-to-end tests, screenshots and
# benchmarks (playwright-core drives /usr/bin/chromium; Playwright cannot
# download its own browser builds here). Idempotent: does nothing when present.
set -e
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium fonts-liberation
