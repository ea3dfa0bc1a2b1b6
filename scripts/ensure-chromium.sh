#!/usr/bin/env bash
# Debian's Chromium for the browser tests (Playwright drives it; it never downloads browsers):
# the headless shell, Chromium's own build for headless use (what Playwright runs when headless),
# for most of them, and the full browser for the citizen's journey on a phone.
# Idempotent: does nothing when both are already on PATH.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && command -v chromium-headless-shell >/dev/null 2>&1; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium chromium-headless-shell fonts-dejavu-core
command -v chromium >/dev/null
command -v chromium-headless-shell >/dev/null
