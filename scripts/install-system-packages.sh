#!/usr/bin/env bash
# System packages the tests need, from Debian's archive: Chromium for the browser tests,
# Noto fonts so Arabic, Bengali and Chinese render in screenshots, and wrk for `make bench-pages`.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-core fonts-noto-cjk wrk >/dev/null
