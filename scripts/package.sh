#!/usr/bin/env bash
# The installer of this machine's OS from an existing build, with the `encaisse` CLI beside the app (users schedule
# `encaisse report daily --send` with the OS scheduler):
#   bash scripts/package.sh deb --debug     the Debian package from the debug build the tests use (what CI checks)
#   bash scripts/package.sh deb             from a release build (cargo build --release first)
# Tauri's bundler takes the CLI as an "external binary" (src-tauri/tauri.installer.conf.json): /usr/bin/encaisse in
# the .deb, beside Encaisse.exe on Windows, in Encaisse.app/Contents/MacOS on macOS. Other formats (AppImage,
# MSI/NSIS, DMG) are built by .github/workflows/installers.yml on GitHub's runners, never here.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bundles=${1:?usage: package.sh BUNDLES [--debug]}
profile=release
debug_flag=()
if [ "${2:-}" = "--debug" ]; then profile=debug; debug_flag=(--debug); fi

target_dir=${CARGO_TARGET_DIR:-target}
triple=$(rustc -vV | sed -n 's/^host: //p')
ext=""
case "$triple" in *windows*) ext=".exe" ;; esac
for bin in encaisse encaisse-desktop; do
  if [ ! -x "$target_dir/$profile/$bin$ext" ]; then
    echo "package.sh: $target_dir/$profile/$bin$ext is missing: build it first (cargo build --workspace, with --release for a release package)" >&2
    exit 1
  fi
done
mkdir -p src-tauri/binaries
cp "$target_dir/$profile/encaisse$ext" "src-tauri/binaries/encaisse-$triple$ext"

ui/node_modules/.bin/tauri bundle --bundles "$bundles" "${debug_flag[@]}" --config src-tauri/tauri.installer.conf.json
find "$target_dir/$profile/bundle" -mindepth 2 -maxdepth 2 -type f -newer "src-tauri/binaries/encaisse-$triple$ext"
