//! Mutation fuzzing of every reader, kept in the suite: the real FEC samples (shared/samples/fec), customers and
//! open-invoices files (CSV and a workbook), the e-invoice fixtures, the Factur-X minimum sample of
//! shared/standards and a Factur-X PDF built here are mutated (bits and bytes flipped, separators, quotes, NULs,
//! line breaks and long runs inserted, ranges cut, copied and truncated) and read. Every read must end without a
//! panic, and every refusal must be named problems: the file's name, a line within the file, a field, a reason.
//!
//! Deterministic: a fixed seed (`ENCAISSE_FUZZ_SEED` changes it), a bounded number of mutants per sample (about
//! 20 s for the whole in a debug build on two cores); `ENCAISSE_FUZZ_ITERATIONS=N` runs N mutants per sample
//! instead (e.g. 20000 for a night). A mutant that panics is written to `<target dir>/debug/fuzz-crashes/` and the test
//! fails naming it: commit it under `tests/fixtures/fuzz/<reader>/` (fec, csv, xlsx or einvoice), where every
//! file is read again on every run, once the reader is fixed.

use super::einvoice::{fixture, pdf_with_attachments, Reference};
use super::fec_samples::sample;
use encaisse_import::einvoice::read_einvoice;
use encaisse_import::fec::{read_fec, FecOptions};
use encaisse_import::tabular::{
    choose_mapping, read_customers, read_open_invoices, read_table, CUSTOMER_FIELDS, INVOICE_FIELDS,
};
use encaisse_import::ImportErrors;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// Mutants per sample when `ENCAISSE_FUZZ_ITERATIONS` is not set.
const DEFAULT_ITERATIONS: usize = 300;
const DEFAULT_SEED: u64 = 0x5EED_2026_1203;

fn iterations() -> usize {
    std::env::var("ENCAISSE_FUZZ_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_ITERATIONS)
}

fn seed() -> u64 {
    std::env::var("ENCAISSE_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_SEED)
}

/// xorshift64*: small, fast, and the same sequence everywhere.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// In `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Bytes readers treat specially.
const INTERESTING: &[u8] = &[
    0, b'"', b'\t', b'\n', b'\r', b';', b',', b'|', b'<', b'>', b'&', b'/', b'-', b'.', b'0', b'9', 0x1B,
    0x7F, 0x80, 0x9D, 0xA0, 0xC3, 0xE2, 0xEF, 0xBB, 0xBF, 0xFE, 0xFF,
];

/// One to four mutations of `input`.
fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = out.len();
        let at = if len == 0 { 0 } else { rng.below(len) };
        match rng.below(10) {
            0 if len > 0 => out[at] ^= 1 << rng.below(8),
            1 if len > 0 => out[at] = INTERESTING[rng.below(INTERESTING.len())],
            2 => {
                let n = 1 + rng.below(8);
                let bytes: Vec<u8> = (0..n)
                    .map(|_| {
                        if rng.below(2) == 0 {
                            INTERESTING[rng.below(INTERESTING.len())]
                        } else {
                            rng.next() as u8
                        }
                    })
                    .collect();
                out.splice(at..at, bytes);
            }
            3 if len > 0 => {
                let end = (at + 1 + rng.below(64)).min(len);
                out.drain(at..end);
            }
            4 if len > 0 => {
                let end = (at + 1 + rng.below(256)).min(len);
                let chunk = out[at..end].to_vec();
                let to = rng.below(out.len() + 1);
                out.splice(to..to, chunk);
            }
            5 => out.truncate(at),
            6 => {
                // A long run: beyond the length limits.
                let byte = [b'A', b'9', b' ', b'"', 0xC3][rng.below(5)];
                let n = [100, 501, 3000, 70_000][rng.below(4)];
                out.splice(at..at, std::iter::repeat_n(byte, n));
            }
            7 if len > 0 => {
                // A digit changed in place: dates and amounts out of range.
                if let Some(i) = (at..len).chain(0..at).find(|&i| out[i].is_ascii_digit()) {
                    out[i] = b'0' + rng.below(10) as u8;
                    if rng.below(3) == 0 {
                        out.splice(i..i, *b"0000");
                    }
                }
            }
            8 if len > 0 => {
                // Two lines swapped: the header moves, records change places.
                let lines: Vec<usize> = out
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| **b == b'\n')
                    .map(|(i, _)| i + 1)
                    .collect();
                if lines.len() > 2 {
                    let a = rng.below(lines.len() - 1);
                    let (start, end) = (lines[a], lines[a + 1]);
                    let line = out[start..end].to_vec();
                    out.drain(start..end);
                    out.splice(0..0, line);
                }
            }
            _ => {
                let n = 1 + rng.below(4);
                let byte = rng.next() as u8;
                out.splice(at..at, std::iter::repeat_n(byte, n));
            }
        }
    }
    out
}

/// The readers, each with the file name it gives the errors.
#[derive(Clone, Copy, Debug)]
enum Reader {
    Fec,
    Customers,
    Invoices,
    EInvoice,
}

impl Reader {
    fn file(self) -> &'static str {
        match self {
            Reader::Fec => "123456789FEC20261231.txt",
            Reader::Customers => "clients.csv",
            Reader::Invoices => "factures.csv",
            Reader::EInvoice => "facture.xml",
        }
    }

    fn read(self, bytes: &[u8]) -> Result<(), ImportErrors> {
        let file = self.file();
        match self {
            Reader::Fec => read_fec(file, bytes, &FecOptions::default()).map(drop),
            Reader::Customers => {
                let table = read_table(file, bytes, None)?;
                let choices = choose_mapping(&table, CUSTOMER_FIELDS, None, &[])?;
                read_customers(&table, &choices).map(drop)
            }
            Reader::Invoices => {
                let table = read_table(file, bytes, None)?;
                let choices = choose_mapping(&table, INVOICE_FIELDS, None, &[])?;
                read_open_invoices(&table, &choices).map(drop)
            }
            Reader::EInvoice => read_einvoice(file, bytes).map(drop),
        }
    }
}

/// Reads `bytes`: `Ok(true)` when read, `Ok(false)` when refused with named problems, `Err` describing a panic or
/// a refusal that is not named problems.
fn check(reader: Reader, bytes: &[u8]) -> Result<bool, String> {
    verdict(reader.file(), bytes, || reader.read(bytes))
}

fn verdict(
    file: &str,
    bytes: &[u8],
    read: impl FnOnce() -> Result<(), ImportErrors>,
) -> Result<bool, String> {
    let result = catch_unwind(AssertUnwindSafe(read)).map_err(|p| {
        let message = p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        format!("panic: {message}")
    })?;
    let Err(ImportErrors(errors)) = result else {
        return Ok(true);
    };
    if errors.is_empty() {
        return Err("refused without a problem".into());
    }
    // Line numbers count LF, CR or CR CR LF endings; a PDF's lines are those of its embedded XML.
    let lines = 1 + bytes.iter().filter(|&&b| b == b'\n' || b == b'\r').count();
    let pdf = bytes.windows(5).take(1024).any(|w| w == b"%PDF-");
    for e in &errors {
        if e.file != file || e.field.trim().is_empty() || e.reason.trim().is_empty() {
            return Err(format!("a problem without file, field or reason: {e:?}"));
        }
        if !pdf && e.line > lines {
            return Err(format!("line {} beyond the file's {lines} lines: {e:?}", e.line));
        }
    }
    Ok(false)
}

#[test]
fn the_verdict_catches_panics_and_unnamed_problems() {
    use encaisse_import::ImportError;
    assert!(verdict("f", b"", || panic!("boom"))
        .unwrap_err()
        .contains("panic: boom"));
    assert!(verdict("f", b"", || Err(ImportErrors(vec![]))).is_err());
    let problem =
        |file: &str, line, field: &str| ImportErrors(vec![ImportError::new(file, line, field, "why")]);
    assert!(verdict("f", b"a\nb", || Err(problem("g", 1, "x"))).is_err());
    assert!(verdict("f", b"a\nb", || Err(problem("f", 1, " "))).is_err());
    assert!(verdict("f", b"a\nb", || Err(problem("f", 3, "x"))).is_err());
    assert_eq!(verdict("f", b"a\nb", || Err(problem("f", 2, "x"))), Ok(false));
    assert_eq!(verdict("f", b"a\nb", || Ok(())), Ok(true));
}

fn crash_dir() -> PathBuf {
    // tests run in the crate's folder; the target dir holds the test binary.
    std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().and_then(Path::parent).map(|d| d.join("fuzz-crashes")))
        .unwrap_or_else(|| std::env::temp_dir().join("encaisse-fuzz-crashes"))
}

/// Mutants of `samples` read by `reader`; every failure is saved and listed.
fn fuzz(reader: Reader, samples: &[(&str, Vec<u8>)]) {
    let iterations = iterations();
    let mut failures = Vec::new();
    let (mut read, mut refused) = (0, 0);
    for (s, (name, bytes)) in samples.iter().enumerate() {
        if let Err(e) = check(reader, bytes) {
            failures.push(format!("{name} itself: {e}"));
        }
        let mut rng = Rng::new(seed() ^ ((s as u64 + 1) << 32) ^ reader as u64);
        for i in 0..iterations {
            let mutant = mutate(&mut rng, bytes);
            match check(reader, &mutant) {
                Ok(true) => read += 1,
                Ok(false) => refused += 1,
                Err(e) => {
                    let dir = crash_dir();
                    let path = dir.join(format!("{reader:?}-{name}-{}-{i}", seed()).to_lowercase());
                    let saved = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, &mutant));
                    failures.push(format!(
                        "{name} mutant {i}: {e} (input saved to {}{})",
                        path.display(),
                        saved
                            .err()
                            .map(|e| format!(": not saved: {e}"))
                            .unwrap_or_default()
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failure(s); commit each input under tests/fixtures/fuzz/ once fixed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The mutants reach both ends: some still read, most refused.
    let total = iterations * samples.len();
    assert!(
        refused * 4 >= total && read > 0,
        "{reader:?}: {read} read, {refused} refused of {total}"
    );
}

/// The first entries of an FEC, about `lines` lines, cut where an entry ends (a mutant of a 10,000-line FEC
/// costs as much to read as it teaches).
fn head(bytes: &[u8], lines: usize) -> Vec<u8> {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .filter(|&i| i < bytes.len())
        .collect();
    // Journal and entry number: the first and third fields.
    let entry = |start: usize| -> Vec<&[u8]> {
        let line = bytes[start..].split(|b| *b == b'\n').next().unwrap_or_default();
        line.split(|b| *b == b'\t' || *b == b'|')
            .step_by(2)
            .take(2)
            .collect()
    };
    let cut = (lines.max(2)..starts.len())
        .find(|&i| entry(starts[i]) != entry(starts[i - 1]))
        .map_or(bytes.len(), |i| starts[i]);
    bytes[..cut].to_vec()
}

/// The committed regression inputs of a reader (`tests/fixtures/fuzz/<dir>`).
fn regressions(dir: &str) -> Vec<(String, Vec<u8>)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(dir);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&path)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_name() != "README.md")
                .map(|e| {
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        std::fs::read(e.path()).unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn committed_regression_inputs_are_read_without_panic_and_refused_by_name() {
    let mut count = 0;
    for (dir, readers) in [
        ("fec", &[Reader::Fec][..]),
        ("csv", &[Reader::Customers, Reader::Invoices][..]),
        ("xlsx", &[Reader::Customers, Reader::Invoices][..]),
        ("einvoice", &[Reader::EInvoice][..]),
    ] {
        for (name, bytes) in regressions(dir) {
            for reader in readers {
                count += 1;
                check(*reader, &bytes).unwrap_or_else(|e| panic!("{dir}/{name}: {e}"));
            }
        }
    }
    assert!(count >= 4, "the regression inputs are missing ({count} read)");
}

#[test]
fn fec_samples_mutated() {
    let samples: Vec<(&str, Vec<u8>)> = [
        "0000000001FEC20220831.txt",
        "000000000FEC20231231.txt",
        "111111111FEC20221231.TXT",
        "123456789FEC20500930.txt",
    ]
    .into_iter()
    .map(|name| (name, head(&sample(name).1, 120)))
    .collect();
    fuzz(Reader::Fec, &samples);
}

const CUSTOMERS: &str = "Code client;Raison sociale;SIREN;Adresse;Code postal;Ville;E-mail;Téléphone;Conditions de paiement;Encours autorisé;Catégorie;Chargé de recouvrement
C001;Boulangerie Martin & Fils;732 829 320;48 boulevard Voltaire;75011;Paris;compta@martin.fr;01 43 55 00 00;45 jours fin de mois;15 000,50;PME;Julie
C002;\"Café de la Gare; Lyon\";;\"2 place\nBâtiment B\";69002;Lyon;;;à réception;;;
C003;Mairie de Nantes;21440109300015;;;;;;30 jours;;Public;
";

const INVOICES: &str = "N° facture,Code client,Nom client,Date facture,Échéance,Montant TTC,Montant réglé
FA-001,C001,Boulangerie Martin,15/09/2026,31/10/2026,\"1 472,80\",0
FA-002,C002,Café de la Gare,2026-09-20,,250.00,100.00
AV-003,C001,Boulangerie Martin,01/10/26,,-120,
";

fn workbook() -> Vec<u8> {
    use rust_xlsxwriter::Workbook;
    let rows: [&[&str]; 3] = [
        &[
            "N° client",
            "Raison sociale",
            "SIREN",
            "Adresse",
            "Ville",
            "Délai",
            "Encours max",
        ],
        &[
            "C001",
            "Boulangerie Martin",
            "732829320",
            "48 bd Voltaire",
            "Paris",
            "45 j fdm",
            "15000,50",
        ],
        &[
            "C002",
            "Café de la Gare; Lyon",
            "",
            "2 place\nBâtiment B",
            "Lyon",
            "à réception",
            "",
        ],
    ];
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *cell).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

#[test]
fn customers_files_mutated() {
    let latin: Vec<u8> = encoding_rs::WINDOWS_1252.encode(CUSTOMERS).0.into_owned();
    fuzz(
        Reader::Customers,
        &[
            ("customers.csv", CUSTOMERS.as_bytes().to_vec()),
            ("customers-1252.csv", latin),
            ("customers-crlf.csv", CUSTOMERS.replace('\n', "\r\n").into_bytes()),
            ("customers.xlsx", workbook()),
        ],
    );
}

#[test]
fn invoices_files_mutated() {
    fuzz(
        Reader::Invoices,
        &[("invoices.csv", INVOICES.as_bytes().to_vec())],
    );
}

#[test]
fn einvoices_mutated() {
    let standards = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/standards/einvoice-samples/facturFrMinimum.xml");
    let minimum = std::fs::read(&standards).unwrap_or_else(|e| panic!("{}: {e}", standards.display()));
    let cii = fixture("cii-invoice.xml");
    let pdf = pdf_with_attachments(&[("factur-x.xml", cii.as_bytes())], Reference::NameTreeAndAf);
    let mut samples: Vec<(&str, Vec<u8>)> = [
        "cii-invoice.xml",
        "cii-credit-note.xml",
        "ubl-invoice.xml",
        "ubl-credit-note.xml",
    ]
    .into_iter()
    .map(|name| (name, fixture(name).into_bytes()))
    .collect();
    samples.push(("facturFrMinimum.xml", minimum));
    samples.push(("factur-x.pdf", pdf));
    fuzz(Reader::EInvoice, &samples);
}
