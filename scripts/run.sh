#!/usr/bin/env bash
# Installs what is missing, builds Encaisse and opens it: the README's first command.
# The app's database is ENCAISSE_DB when set, else the OS data folder (~/.local/share/encaisse/encaisse.db). On an
# empty database the app opens on its first-start screen, where you choose the demo company or import your FEC;
# this script never creates nor replaces data.
# Without a display (a server, CI, an SSH session without X forwarding) it starts a virtual one itself (Xvfb, with
# a session D-Bus) before building, and says so: the window then runs but is seen by no one.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

# Set when this script re-ran itself inside the virtual display: install.sh already ran.
virtual=${ENCAISSE_RUN_VIRTUAL_DISPLAY:-}

# Is there a display that answers? X11: DISPLAY set and its server answering (xdpyinfo, from install.sh); Wayland:
# the compositor's socket exists. macOS and Windows always have one.
display_answers() {
  case "$(uname -s)" in
    Linux) ;;
    *) return 0 ;;
  esac
  if [ -n "${WAYLAND_DISPLAY:-}" ]; then
    local socket=$WAYLAND_DISPLAY
    [[ $socket == /* ]] || socket="${XDG_RUNTIME_DIR:-/run/user/$(id -u)}/$socket"
    [ -S "$socket" ] && return 0
  fi
  [ -n "${DISPLAY:-}" ] || return 1
  if command -v xdpyinfo >/dev/null; then
    xdpyinfo >/dev/null 2>&1
  else
    # install.sh was skipped or failed to add x11-utils: trust the variable.
    return 0
  fi
}

if [ -z "$virtual" ]; then
  bash scripts/install.sh
  if ! display_answers; then
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
      reason="the display ${DISPLAY:-${WAYLAND_DISPLAY:-}} does not answer"
    else
      reason="no display (DISPLAY and WAYLAND_DISPLAY are not set)"
    fi
    say "No screen to open the window on: $reason"
    echo "Starting a virtual display (Xvfb) with its own session D-Bus, then building and launching in it."
    echo "The app will run, but nothing will show on this screen; press Ctrl+C to stop it."
    export ENCAISSE_RUN_VIRTUAL_DISPLAY=1
    exec xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- bash scripts/run.sh "$@"
  fi
fi

say "Build the UI"
(cd ui && npm run build)

say "Build the CLI and the desktop app"
cargo build --locked -p encaisse-cli -p encaisse-desktop

bin=${CARGO_TARGET_DIR:-target}/debug
empty=false
if "$bin/encaisse" status | grep -q '"has_data":false'; then empty=true; fi

say "Launching Encaisse"
if [ -n "$virtual" ]; then
  echo "In a virtual display (Xvfb $DISPLAY): the window is not visible on this screen. Ctrl+C stops the app."
fi
if $empty; then
  echo "First start: the database is empty, so the app opens on its welcome screen. Choose \"Ouvrir la société de"
  echo "démonstration\" to discover it on a fictitious company, or \"Importer un FEC\" to load your own ledger."
fi
exec "$bin/encaisse-desktop"
