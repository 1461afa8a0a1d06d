fn main() {
    // No app manifest: every command registered in `commands::handler()` may be called by the window, which is
    // the only one; the capability only grants the plugins' permissions (the file dialogs).
    tauri_build::build()
}
