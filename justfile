# Paydesk's commands. `just run` and `just test` set up everything they need.

set shell := ["bash", "-euo", "pipefail", "-c"]

# List the recipes.
default:
    @just --list

# Install the tools the build needs (wasm target, wasm-bindgen, npm packages).
setup:
    scripts/setup.sh

# Build the web app into frontend/dist.
build-spa: setup
    scripts/build-spa.sh

# Build the web app and the server.
build: build-spa
    cargo build -p paydesk-server

# Build everything and start Paydesk on SQLite (set DATABASE_URL=postgres://... for PostgreSQL).
run: build
    ./target/debug/paydesk serve --mode development --demo --demo-history

# Every test: lints, unit/property/integration tests on SQLite and PostgreSQL, the spec drift test, the wasm build, e2e in Chromium.
test: test-setup lint build-spa
    cargo test
    cargo build -p paydesk-server
    just e2e

# What the tests need beyond the build: Chromium, a CJK font, a running PostgreSQL.
test-setup:
    scripts/setup.sh --test

# Browser tests against the built binary and SPA; screenshots land in e2e/artifacts.
e2e:
    node --test --test-concurrency=1 e2e/

# Formatting and clippy, native and wasm.
lint:
    cargo fmt --all --check
    cargo clippy --all-targets -- -D warnings
    cargo clippy -p paydesk-frontend --target wasm32-unknown-unknown -- -D warnings

# Regenerate api-spec/openapi.json from the code.
spec:
    cargo run -q -p paydesk-server -- openapi > api-spec/openapi.json

# Transfers/s over HTTP at 16 connections on SQLite and PostgreSQL, beside pgbench TPS (release build).
bench: build-spa
    scripts/bench.sh
