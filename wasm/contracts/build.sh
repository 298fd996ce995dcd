#!/bin/sh
# Rebuilds the committed contract binaries from their WAT sources, byte for byte.
# Needs Debian's wabt (apt-get install -y wabt; tested with wat2wasm 1.0.32). The Maven build and
# the tests never run this: they load the committed .wasm files as classpath resources.
# Usage: wasm/contracts/build.sh [--check]   (--check: rebuild to a temp dir and compare)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../src/main/resources/contracts"
hostile_src="$here/hostile"
hostile_out="$here/../src/test/resources/hostile"
check=${1:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
build() { # src dir, out dir
  for wat in "$1"/*.wat; do
    name=$(basename "$wat" .wat)
    wat2wasm "$wat" -o "$tmp/$name.wasm"
    if [ "$check" = "--check" ]; then
      cmp "$tmp/$name.wasm" "$2/$name.wasm" && echo "same: $name.wasm"
    else
      mkdir -p "$2" && cp "$tmp/$name.wasm" "$2/$name.wasm" && echo "built: $2/$name.wasm"
    fi
  done
}
build "$here" "$out"
build "$hostile_src" "$hostile_out"
build "$here/semantics" "$here/../src/test/resources/semantics"
