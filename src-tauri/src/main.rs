// No console window next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // `encaisse-desktop --version` answers without a display (an installer's smoke test, a support call).
    if std::env::args().skip(1).any(|a| a == "--version" || a == "-V") {
        println!("encaisse-desktop {}", env!("CARGO_PKG_VERSION"));
        return;
    }
    encaisse_desktop::run();
}
