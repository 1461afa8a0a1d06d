#!/usr/bin/env bash
# Every test of Encaisse, in order, stopping at the first failure: what CI runs (.ci/run) and the README's
# test command. Installs what is missing first, the test tools included (scripts/install.sh --test).
#   UI: svelte-check, prettier, vitest, then the production build the desktop app embeds (no preview fixture in it),
#       then the UI bench (the 15,000-customer Clients screen in headless Chromium, on the browser preview)
#   Rust: rustfmt, clippy (warnings denied, the desktop shell included), every test; the store's and the app's
#         tests again on PostgreSQL (ENCAISSE_TEST_BACKEND=postgres); the TypeScript bindings that `cargo test`
#         regenerates must be the committed ones
#   Keyring: the SMTP password in a real Secret Service (gnome-keyring)
#   End to end: the built desktop app on a demo database in a virtual display, through tauri-driver
#   Installer: the .deb of that build (scripts/package.sh), extracted, its app and CLI run
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
start=$SECONDS

bash scripts/install.sh --test

say "UI: type check, format check, unit tests, build"
(
  cd ui
  npm run check
  npm run --if-present lint
  npm test
  npm run build
  # The desktop's bundle carries no browser-preview fixture.
  npm run test:bundle
  # The Clients screen at 15,000 customers in headless Chromium (browser preview): virtualized, generous bounds.
  npm run build:preview && npm run bench:ui
)

say "cargo fmt --check"
cargo fmt --all --check

say "cargo clippy (warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

say "cargo test (the E2E test is ignored here and runs below)"
cargo test --workspace --locked

# A test executable of a crate (its folder and the test target's name: `it`, or the library's for its unit tests)
# as `cargo test --workspace` just built it: run directly, from the crate's folder as cargo runs it. `cargo test -p
# CRATE` (or `--lib`) would resolve other features and rebuild much of the dependencies (about 4.5 minutes here,
# counting the steps after it that rebuilt them back).
test_exe() {
  cargo test --workspace --locked --no-run --message-format=json 2>/dev/null | node -e '
    const [dir, name] = process.argv.slice(1);
    const manifest = require("path").resolve(dir, "Cargo.toml");
    let found = "";
    require("readline")
      .createInterface({ input: process.stdin })
      .on("line", (line) => {
        const m = JSON.parse(line);
        if (m.reason === "compiler-artifact" && m.profile.test && m.target.name === name && m.executable &&
            m.manifest_path === manifest)
          found = m.executable;
      })
      .on("close", () => {
        if (!found) { console.error(`test.sh: no test ${name} built for ${manifest}`); process.exit(1); }
        console.log(found);
      });' "$1" "$2"
}

say "The store's tests again on PostgreSQL (a throwaway cluster the tests start; SQLite-only tests skip themselves)"
store_it=$(test_exe crates/store it)
(cd crates/store && ENCAISSE_TEST_BACKEND=postgres "$store_it")

say "The app's tests again on PostgreSQL (one throwaway cluster, a database per test; SQLite-only tests skip themselves)"
app_it=$(test_exe crates/app it)
(cd crates/app && ENCAISSE_TEST_BACKEND=postgres "$app_it")

say "TypeScript bindings (types and the commands' client functions) are up to date"
bindings=ui/src/lib/api/bindings
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  untracked=$(git ls-files --others --exclude-standard -- "$bindings")
  if ! git diff --exit-code --stat -- "$bindings" || [ -n "$untracked" ]; then
    echo "$untracked"
    echo "test.sh: $bindings differ from what cargo test generated (the Rust types and src-tauri/src/commands.rs): add them to the commit" >&2
    exit 1
  fi
else
  echo "(not a git work tree: skipped)"
fi

say "Keyring: the OS credential store for real (gnome-keyring's Secret Service in a throwaway session)"
# The other tests use the in-memory store; this one stores, reads from a second handle and deletes an SMTP password
# in a real Secret Service, with its keyring files in a temporary folder (never the user's).
keyring_data=$(mktemp -d)
app_lib=$(test_exe crates/app encaisse_app)
(cd crates/app && XDG_DATA_HOME=$keyring_data dbus-run-session -- sh -c \
  'printf encaisse-ci | gnome-keyring-daemon --unlock --components=secrets >/dev/null &&
   "$0" real_secret_service --ignored' "$app_lib")
rm -rf "$keyring_data"

say "Build the CLI and the desktop app for the E2E test"
# The whole workspace with its tests, as cargo test just did: the same feature set, so this only links the
# binaries (building one package with -p would resolve other features and rebuild half the dependencies).
cargo build --workspace --all-targets --locked

say "E2E: the real window under Xvfb (tauri-driver + WebKitWebDriver)"
# The test gives the app its own temporary HOME/XDG_* folders and a session bus started with them (so the keyring
# and the other services it starts write there, never in your HOME); dbus-run-session ends whatever else got a bus.
# --workspace keeps the feature set of the builds above (nothing rebuilt).
xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
  cargo test --workspace --locked --test e2e -- --ignored --skip clients_window_bench --nocapture

say "Installer: the Debian package from this debug build, the encaisse CLI inside, run from the extracted package"
# After the E2E: the bundler stamps the package type into target/debug/encaisse-desktop.
bash scripts/package.sh deb --debug
cargo test --workspace --locked --test installer -- --ignored --nocapture

say "All tests passed in $((SECONDS - start)) s"
