#!/usr/bin/env bash
# Builds the SPA into frontend/dist: cargo for wasm32, wasm-bindgen (the exact
# version Cargo.lock pins), wasm-opt from npm's binaryen (Debian's 108 emits a
# wasm that breaks in the browser), then index.html, boot.js and style.css with a
# content-hash version so browsers never mix old and new files.
set -euo pipefail
cd "$(dirname "$0")/.."

out=frontend/dist
wasm=target/wasm32-unknown-unknown/wasm-release/paydesk_frontend.wasm

cargo build -p paydesk-frontend --target wasm32-unknown-unknown --profile wasm-release

# wasm-opt takes half a minute: skip everything after cargo when nothing changed.
source_hash=$(cat "$wasm" frontend/index.html frontend/boot.js frontend/style.css | sha256sum | cut -c1-64)
if [ -f "$out/.source-hash" ] && [ "$(cat "$out/.source-hash")" = "$source_hash" ]; then
  echo "SPA up to date in $out"
  exit 0
fi
rm -rf "$out.tmp" && mkdir -p "$out.tmp/pkg"
wasm-bindgen --target web --no-typescript --out-name paydesk --out-dir "$out.tmp/pkg" "$wasm"
node_modules/.bin/wasm-opt -Oz \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-reference-types --enable-multivalue --enable-mutable-globals \
  -o "$out.tmp/pkg/paydesk_bg.wasm" "$out.tmp/pkg/paydesk_bg.wasm"

version=$(cat "$out.tmp/pkg/paydesk_bg.wasm" "$out.tmp/pkg/paydesk.js" frontend/style.css | sha256sum | cut -c1-12)
sed "s/__VERSION__/$version/g" frontend/index.html > "$out.tmp/index.html"
sed "s/__VERSION__/$version/g" frontend/boot.js > "$out.tmp/boot.js"
cp frontend/style.css "$out.tmp/style.css"
echo "$source_hash" > "$out.tmp/.source-hash"
rm -rf "$out" && mv "$out.tmp" "$out"

raw=$(stat -c %s "$out/pkg/paydesk_bg.wasm")
gz=$(gzip -9 -c "$out/pkg/paydesk_bg.wasm" | wc -c)
echo "SPA built in $out (version $version): wasm $raw bytes raw, $gz bytes gzip"
