#!/usr/bin/env bash
# Installs what is missing, builds Encaisse and opens it on the demo company: the README's first command.
# The app's database is ENCAISSE_DB when set, else the OS data folder (~/.local/share/encaisse/encaisse.db);
# the demo company is created there only when the database is empty, so your data is never replaced.
# Without a display (a server, CI), run it in a virtual one: xvfb-run -a dbus-run-session -- bash scripts/run.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

bash scripts/install.sh

say "Build the UI"
(cd ui && npm run build)

say "Build the CLI and the desktop app"
cargo build --locked -p encaisse-cli -p encaisse-desktop

if target/debug/encaisse status | grep -q '"has_data":false'; then
  say "Empty database: creating the demo company"
  target/debug/encaisse demo
fi

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run.sh: no display; run it as: xvfb-run -a dbus-run-session -- bash scripts/run.sh" >&2
fi
say "Launching Encaisse"
exec target/debug/encaisse-desktop
