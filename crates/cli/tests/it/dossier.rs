//! `encaisse dossier` end to end on the demo company: the zip holds every file its manifest lists with the right
//! SHA-256 and size, the reminder printed with `--record` is the very PDF printed, one recorded before documents
//! were kept is "reconstitue", and the same data gives the same zip.

use crate::common::encaisse;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Read;

fn ok(out: &std::process::Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn sha(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn entries(path: &std::path::Path) -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            (f.name().unwrap().to_string(), bytes)
        })
        .collect()
}

#[test]
fn dossier_zip_and_manifest_on_the_demo_company() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    ok(&encaisse(&db, &["demo", "--end", "2026-11-26"]));
    // The day's batch printed and recorded: each letter is kept on its own, the same bytes as that letter alone.
    let agenda: Value = serde_json::from_str(&ok(&encaisse(&db, &["agenda", "--format", "json"]))).unwrap();
    let first = agenda["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["channel"].as_str().unwrap().contains("letter") && a["customer"] != "C00014")
        .expect("a letter on the demo's agenda")
        .clone();
    let (other, step) = (
        first["customer"].as_str().unwrap(),
        first["step"].as_str().unwrap(),
    );
    let alone = dir.path().join("alone.pdf");
    ok(&encaisse(
        &db,
        &[
            "letter",
            "reminder",
            "--customer",
            other,
            "--step",
            step,
            "--out",
            alone.to_str().unwrap(),
        ],
    ));
    let batch: Value = serde_json::from_str(&ok(&encaisse(
        &db,
        &[
            "letters",
            "batch",
            "--out",
            dir.path().join("b.pdf").to_str().unwrap(),
            "--record",
            "--json",
        ],
    )))
    .unwrap();
    let action_id = batch["letters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["customer"] == other)
        .unwrap()["action_id"]
        .clone();
    let z = dir.path().join("other.zip");
    let m: Value = serde_json::from_str(&ok(&encaisse(
        &db,
        &[
            "dossier",
            "--customer",
            other,
            "--out",
            z.to_str().unwrap(),
            "--json",
        ],
    )))
    .unwrap();
    let kept = m["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["action_id"] == action_id)
        .unwrap_or_else(|| panic!("{m}"));
    assert_eq!(kept["origin"], "sent");
    assert_eq!(
        entries(&z)[kept["name"].as_str().unwrap()],
        std::fs::read(&alone).unwrap()
    );

    // Recorded before letters were kept: only the log's line.
    ok(&encaisse(
        &db,
        &[
            "action",
            "add",
            "--customer",
            "C00014",
            "--kind",
            "letter",
            "--step",
            "reminder_1",
            "--date",
            "2026-11-10",
        ],
    ));
    // Printed and recorded now: kept as printed.
    let r2 = dir.path().join("r2.pdf");
    ok(&encaisse(
        &db,
        &[
            "letter",
            "reminder",
            "--customer",
            "C00014",
            "--step",
            "reminder_2",
            "--out",
            r2.to_str().unwrap(),
            "--record",
        ],
    ));

    let zip = dir.path().join("c14.zip");
    let json = ok(&encaisse(
        &db,
        &[
            "dossier",
            "--customer",
            "C00014",
            "--out",
            zip.to_str().unwrap(),
            "--json",
        ],
    ));
    let manifest: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(manifest["customer"], "C00014");
    assert_eq!(manifest["as_of"], "2026-11-26");
    let files = entries(&zip);
    let listed = manifest["files"].as_array().unwrap();
    for f in listed {
        let name = f["name"].as_str().unwrap();
        let bytes = files.get(name).unwrap_or_else(|| panic!("{name} not in the zip"));
        assert_eq!(f["sha256"].as_str().unwrap(), sha(bytes), "{name}");
        assert_eq!(f["size"].as_u64().unwrap(), bytes.len() as u64, "{name}");
    }
    assert_eq!(files.len(), listed.len() + 1, "{:?}", files.keys());
    let in_zip: Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    assert_eq!(in_zip, manifest);

    let kept = listed
        .iter()
        .find(|f| {
            f["name"]
                .as_str()
                .unwrap()
                .ends_with("-2026-11-26-reminder_2-courrier.pdf")
        })
        .unwrap_or_else(|| panic!("{listed:?}"));
    assert_eq!(kept["origin"], "sent");
    assert_eq!(files[kept["name"].as_str().unwrap()], std::fs::read(&r2).unwrap());
    let rebuilt = listed
        .iter()
        .find(|f| f["name"].as_str().unwrap().contains("-2026-11-10-reminder_1-"))
        .unwrap_or_else(|| panic!("{listed:?}"));
    assert_eq!(rebuilt["reconstituted"], true);
    assert!(
        rebuilt["name"].as_str().unwrap().contains("reconstitue"),
        "{rebuilt}"
    );
    assert_eq!(listed[0]["name"], "00-fiche-de-synthese.pdf");
    assert_eq!(listed[1]["kind"], "formal_notice");

    // Again, from another process: the same bytes.
    let again = dir.path().join("again.zip");
    let said = ok(&encaisse(
        &db,
        &[
            "dossier",
            "--customer",
            "C00014",
            "--out",
            again.to_str().unwrap(),
        ],
    ));
    assert!(said.contains("1 reconstituted"), "{said}");
    assert_eq!(std::fs::read(&again).unwrap(), std::fs::read(&zip).unwrap());

    // An unknown customer: a clear error, no file.
    let none = dir.path().join("none.zip");
    let out = encaisse(
        &db,
        &["dossier", "--customer", "NOPE", "--out", none.to_str().unwrap()],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("NOPE"));
    assert!(!none.exists());
}
