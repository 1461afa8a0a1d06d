//! The bank's two speed goals (issue 15): matching 10,000 statement entries against 200,000 open invoices of 15,000
//! customers, on a generated ledger (`encaisse_bank::testing`, the matching test's generator); and importing a year
//! of statements of one account (50,000 entries, one camt.053 file) into a demo company, entries stored and every
//! credit matched against its open invoices, in one transaction.

use chrono::{Duration as Days, NaiveDate};
use encaisse_app::bank::BankImportOptions;
use encaisse_app::{App, DemoOptions};
use encaisse_bank::matching::{match_entries, Ledger, MatchOptions, MatchStatus};
use encaisse_bank::testing::{receipts, world};
use encaisse_domain::FixedClock;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::fmt::Write as _;
use std::time::Instant;

pub struct Args {
    pub entries: usize,
    pub invoices: usize,
    pub customers: usize,
    pub statement: usize,
    pub runs: u32,
}

pub fn run(a: &Args) -> Result<(), Box<dyn std::error::Error>> {
    // Matching, in memory: the index of the open invoices, then every entry.
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let w = world(&mut rng, a.customers, a.invoices);
    let (entries, _) = receipts(&mut rng, &w, a.entries);
    let (index, ledger) = super::best_of(a.runs, || Ledger::new(&w.invoices, &w.customers, &w.references));
    let (matching, results) = super::best_of(a.runs, || {
        match_entries(&entries, &ledger, &MatchOptions::default())
    });
    let matched = results
        .iter()
        .filter(|r| r.status == MatchStatus::Matched)
        .count();
    println!(
        "matching: {} entries against {} open invoices of {} customers",
        a.entries, a.invoices, a.customers
    );
    println!("  index the open invoices        {}", super::ms(index));
    println!("  match every entry              {}", super::ms(matching));
    println!("  index + match                  {}", super::ms(index + matching));
    println!("  matched automatically          {matched} of {}", entries.len());

    // Import: a year of one account's statement into the demo company, each run in a fresh copy of its database.
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).ok_or("date")?;
    let dir = std::env::temp_dir().join(format!("encaisse-bench-bank-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let demo_db = dir.join("demo.db");
    let app = App::open(&demo_db, Box::new(FixedClock(today)))?;
    app.create_demo(&DemoOptions {
        seed: Some(1),
        customers: Some(300),
        end: Some(today),
        replace: None,
    })?;
    let numbers: Vec<String> = app
        .agenda_view(Some(today))?
        .items
        .iter()
        .flat_map(|i| i.action.invoices.clone())
        .collect();
    drop(app);
    let file = dir.join("statement.xml");
    std::fs::write(&file, camt053(&mut rng, a.statement, &numbers, today))?;
    let mut best = std::time::Duration::MAX;
    let mut report = None;
    for run in 0..a.runs.max(1) {
        let db = dir.join(format!("run{run}.db"));
        std::fs::copy(&demo_db, &db)?;
        let app = App::open(&db, Box::new(FixedClock(today)))?;
        let start = Instant::now();
        let r = app.import_bank(std::slice::from_ref(&file), &BankImportOptions::default())?;
        best = best.min(start.elapsed());
        report = Some(r);
    }
    let r = report.ok_or("no run")?;
    println!(
        "import: one camt.053 file of {} entries ({} KB) into the demo company (300 customers)",
        a.statement,
        std::fs::metadata(&file)?.len() / 1024
    );
    println!("  read, store and match          {}", super::ms(best));
    println!(
        "  credits {}, matched {}, suggested {}, unmatched {}",
        r.credits, r.matched, r.suggested, r.unmatched
    );
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

/// One account's statement over a year: `n` entries (credits, a debit in ten), a third of the credits naming an
/// invoice of `numbers`, balances that add up.
fn camt053(rng: &mut ChaCha8Rng, n: usize, numbers: &[String], end: NaiveDate) -> String {
    let start = end - Days::days(364);
    let mut body = String::new();
    let mut total: i64 = 0;
    for i in 0..n {
        let date = start + Days::days(i64::try_from(i * 365 / n.max(1)).unwrap_or(0));
        let cents: i64 = rng.random_range(1_000..500_000);
        let credit = i % 10 != 9;
        total += if credit { cents } else { -cents };
        let label = match (credit, i % 3) {
            (false, _) => "PRLV SEPA FOURNISSEUR".to_string(),
            (true, 0) if !numbers.is_empty() => {
                format!("VIR SEPA FACTURE {}", numbers[rng.random_range(0..numbers.len())])
            }
            (true, _) => format!("VIR SEPA CLIENT {}", rng.random_range(1..100_000)),
        };
        let _ = writeln!(
            body,
            "<Ntry><Amt Ccy=\"EUR\">{}.{:02}</Amt><CdtDbtInd>{}</CdtDbtInd><Sts>BOOK</Sts>\
             <BookgDt><Dt>{date}</Dt></BookgDt><AcctSvcrRef>B{i:07}</AcctSvcrRef>\
             <NtryDtls><TxDtls><RmtInf><Ustrd>{label}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>",
            cents / 100,
            cents % 100,
            if credit { "CRDT" } else { "DBIT" },
        );
    }
    let (sign, abs) = if total < 0 {
        ("DBIT", -total)
    } else {
        ("CRDT", total)
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt>\
         <GrpHdr><MsgId>BENCH</MsgId><CreDtTm>{end}T06:00:00</CreDtTm></GrpHdr>\
         <Stmt><Id>BENCH-YEAR</Id><CreDtTm>{end}T06:00:00</CreDtTm>\
         <FrToDt><FrDtTm>{start}T00:00:00</FrDtTm><ToDtTm>{end}T23:59:59</ToDtTm></FrToDt>\
         <Acct><Id><IBAN>FR7630004005680001234567890</IBAN></Id><Ccy>EUR</Ccy></Acct>\
         <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>\
         <Dt><Dt>{start}</Dt></Dt></Bal>\
         <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">{}.{:02}</Amt><CdtDbtInd>{sign}</CdtDbtInd>\
         <Dt><Dt>{end}</Dt></Dt></Bal>\n{body}</Stmt></BkToCstmrStmt></Document>\n",
        abs / 100,
        abs % 100
    )
}
