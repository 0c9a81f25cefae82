#!/usr/bin/env bash
# Installs the system programs the tests and benchmarks use, from Debian's packages, when they
# are missing: Chromium (end-to-end tests drive it), argon2 (reference KDF), openssl (test
# certificates for the local HTTPS stand-ins). Needs root or sudo; does nothing when all exist.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || [ -x "${CHROMIUM_PATH:-/nonexistent}" ] || missing+=(chromium)
command -v argon2 >/dev/null 2>&1 || missing+=(argon2)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "install-system-deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
