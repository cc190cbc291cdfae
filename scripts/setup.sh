#!/usr/bin/env bash
# Installs what a fresh machine lacks, and only that; safe to run again.
#   scripts/setup.sh          tools to build and run (wasm target, wasm-bindgen, npm packages)
#   scripts/setup.sh --test   also what the tests need (Chromium, CJK font, a running PostgreSQL)
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=false
[ "${1:-}" = "--test" ] && want_test=true

say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else "$@"; fi; }
apt_updated=false
apt_install() {
  if ! $apt_updated; then as_root apt-get update -qq; apt_updated=true; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must be exactly the version of the wasm-bindgen crate in Cargo.lock.
pinned=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$pinned" ]; then
  say "installing wasm-bindgen-cli $pinned (a few minutes, once)"
  # Not --locked: the registry lags one of the lock file's pinned dependencies.
  cargo install wasm-bindgen-cli --version "$pinned"
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  say "installing Node.js and npm from Debian"
  apt_install nodejs npm
fi
# Reinstall when package-lock.json changed since the last install.
if [ ! -f node_modules/.paydesk-lock ] || ! cmp -s package-lock.json node_modules/.paydesk-lock; then
  say "installing npm packages (binaryen's wasm-opt, playwright-core, read-excel-file, the example integrator's openapi-typescript, openapi-fetch and typescript)"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.paydesk-lock
fi

if $want_test; then
  if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "wenquanyi\|wqy"; then
    say "installing Debian's Chromium and a CJK font for the browser tests"
    apt_install chromium fonts-wqy-microhei
  fi
  url=${PAYDESK_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
  if ! psql "$url" -qtAc 'SELECT 1' >/dev/null 2>&1; then
    if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
      say "installing PostgreSQL from Debian"
      apt_install postgresql
    fi
    say "starting PostgreSQL"
    for version in $(ls /etc/postgresql); do
      as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    done
    for _ in $(seq 1 30); do
      psql "$url" -qtAc 'SELECT 1' >/dev/null 2>&1 && break
      sleep 1
    done
    psql "$url" -qtAc 'SELECT 1' >/dev/null || say "PostgreSQL is still unreachable at $url"
  fi
fi
