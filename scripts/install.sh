#!/usr/bin/env bash
# Installs what a fresh Debian 12 (or Ubuntu) machine lacks to build, run and test Encaisse, and nothing else:
# the Debian packages Tauri needs on Linux plus the virtual display and the test tools, and the UI's npm packages.
# With --test (scripts/test.sh), also tauri-driver, the WebDriver intermediary only the end-to-end test uses.
# Idempotent: each step checks first, so a second run takes a few seconds. Expects Rust (cargo) and Node/npm.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

with_test_tools=false
for arg in "$@"; do
  case "$arg" in
    --test) with_test_tools=true ;;
    *) echo "install.sh: unknown option '$arg' (expected --test)" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# Build: Tauri 2 on Linux (WebKitGTK 4.1, GTK 3, libsoup 3). Run and tests: a virtual display (scripts/run.sh
# starts one when the machine has none) with xdpyinfo to ask a display whether it answers, a session D-Bus,
# the WebDriver for WebKitGTK, screenshots (imagemagick), PDF to PNG (poppler-utils), QR codes read back from the
# letters (zbar-tools), the CDAR 212 messages validated against their XSD (xmllint: libxml2-utils), the Secret Service the keyring test stores a password in (gnome-keyring), the throwaway server
# of the team-mode tests (postgresql: its initdb/pg_ctl, the Debian service left as installed), fonts with every
# French character and €, headless Chromium for the UI bench (chromium, driven by playwright-core).
APT_PACKAGES=(
  build-essential pkg-config curl file libssl-dev
  libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev libsoup-3.0-dev
  libjavascriptcoregtk-4.1-dev libxdo-dev
  xvfb xauth x11-utils dbus-x11 at-spi2-core imagemagick webkit2gtk-driver poppler-utils zbar-tools libxml2-utils gnome-keyring
  postgresql
  fonts-dejavu-core fonts-liberation2 chromium
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  say "apt: installing ${missing[*]}"
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" </dev/null
else
  say "apt: all ${#APT_PACKAGES[@]} packages present"
fi

for tool in cargo node npm; do
  command -v "$tool" >/dev/null || { echo "install.sh: '$tool' is missing: install Rust (rustup) and Node.js 20+ first" >&2; exit 1; }
done
cargo fmt --version >/dev/null 2>&1 || { say "rustup: adding rustfmt"; rustup component add rustfmt; }
cargo clippy --version >/dev/null 2>&1 || { say "rustup: adding clippy"; rustup component add clippy; }

# tauri-driver: the WebDriver intermediary between the E2E test and WebKitWebDriver (2.x for Tauri 2). A test
# tool: only with --test, so that opening the app never waits for it.
if $with_test_tools; then
  cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
  if [ ! -x "$cargo_bin/tauri-driver" ]; then
    say "cargo install tauri-driver"
    cargo install tauri-driver --locked --version '^2'
  else
    say "tauri-driver present"
  fi
fi

# The UI's packages, exactly as locked; reinstalled only when package-lock.json changed since the last install.
stamp=ui/node_modules/.encaisse-lock.sha256
want=$(sha256sum ui/package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  say "npm ci (ui/)"
  (cd ui && npm ci --no-audit --no-fund)
  echo "$want" > "$stamp"
else
  say "ui/node_modules up to date"
fi
