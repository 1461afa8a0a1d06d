//! The house's dependency rules, read from `cargo metadata`: what each crate may depend on (ARCHITECTURE.md).

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

/// Each workspace package and the names of its normal (non-dev) dependencies.
fn dependencies() -> BTreeMap<String, BTreeSet<String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let deps = p["dependencies"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["kind"].is_null() || d["kind"] == "build")
                .map(|d| d["name"].as_str().unwrap().to_string())
                .collect();
            (p["name"].as_str().unwrap().to_string(), deps)
        })
        .collect()
}

/// What each core crate may use of the others: lower layers never reach up.
const ALLOWED: &[(&str, &[&str])] = &[
    ("encaisse-domain", &[]),
    ("encaisse-import", &["encaisse-domain"]),
    ("encaisse-bank", &["encaisse-domain", "encaisse-import"]),
    // The store runs on a SQLite file or a team's PostgreSQL server, reached through encaisse-team.
    ("encaisse-store", &["encaisse-domain", "encaisse-team"]),
    ("encaisse-analytics", &["encaisse-domain"]),
    ("encaisse-demo", &["encaisse-domain"]),
    // The platform client knows HTTP and the Flow Service's JSON only.
    ("encaisse-pa", &[]),
    // Team mode's PostgreSQL server (connection, schema, roles), knowing none of ours.
    ("encaisse-team", &[]),
    ("encaisse-dunning", &["encaisse-domain", "encaisse-analytics"]),
    (
        "encaisse-letters",
        &["encaisse-domain", "encaisse-analytics", "encaisse-dunning"],
    ),
    (
        "encaisse-app",
        &[
            "encaisse-domain",
            "encaisse-import",
            "encaisse-bank",
            "encaisse-store",
            "encaisse-analytics",
            "encaisse-demo",
            "encaisse-dunning",
            "encaisse-letters",
            "encaisse-pa",
            "encaisse-team",
        ],
    ),
    // encaisse-bench also takes the bank's generated ledgers (encaisse_bank::testing) to time the matching;
    // `encaisse team …` prepares a PostgreSQL server (encaisse-team): roles and schema.
    (
        "encaisse-cli",
        &[
            "encaisse-app",
            "encaisse-domain",
            "encaisse-bank",
            "encaisse-team",
        ],
    ),
];

#[test]
fn each_core_crate_depends_only_on_the_layers_below_it() {
    let deps = dependencies();
    for (krate, allowed) in ALLOWED {
        let used: BTreeSet<&str> = deps[*krate]
            .iter()
            .map(String::as_str)
            .filter(|d| d.starts_with("encaisse-"))
            .collect();
        let extra: Vec<_> = used.iter().filter(|d| !allowed.contains(d)).collect();
        assert!(
            extra.is_empty(),
            "{krate} depends on {extra:?}, which it may not (ARCHITECTURE.md)"
        );
    }
    assert!(
        !deps["encaisse-store"].contains("encaisse-dunning"),
        "the store keeps the workflow's records; the rules that read them live above it"
    );
}

#[test]
fn only_the_desktop_shell_depends_on_tauri() {
    for (krate, deps) in dependencies() {
        if krate == "encaisse-desktop" {
            assert!(deps.contains("tauri"), "the shell is the Tauri crate");
            continue;
        }
        let tauri: Vec<_> = deps.iter().filter(|d| d.starts_with("tauri")).collect();
        assert!(
            tauri.is_empty(),
            "{krate} depends on {tauri:?}: the core stays free of Tauri"
        );
    }
}

#[test]
fn every_package_of_the_workspace_has_its_rule() {
    let deps = dependencies();
    for krate in deps
        .keys()
        .filter(|k| *k != "encaisse-desktop" && *k != "encaisse-stories")
    {
        assert!(
            ALLOWED.iter().any(|(k, _)| k == krate),
            "{krate} is new: say in ALLOWED (and ARCHITECTURE.md) what it may depend on"
        );
    }
}
