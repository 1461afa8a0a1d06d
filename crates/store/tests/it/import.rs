//! The ledger import in bulk, on both backends: on PostgreSQL the lines go by binary COPY, the new invoices by one
//! statement a batch, and (for the tables' owner, as these tests connect) the foreign keys and secondary indexes
//! are dropped and made again at the end; on SQLite the indexes are rebuilt. Same results either way, and a
//! refused line writes nothing.

use chrono::NaiveDate;
use encaisse_domain::testing::{invoice, payment};
use encaisse_domain::{Customer, LedgerLine};
use encaisse_store::{BatchParts, ImportEnd, ImportStart, Step, Store, StoreError};
use rust_decimal::Decimal;

/// More than the bulk threshold (50,000 expected lines).
const LINES: usize = 60_000;
const CUSTOMERS: usize = 300;

fn year() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
}

/// Invoices and payments of `CUSTOMERS` customers; every 97th invoice is there twice with the same customer,
/// number, date and amount (two invoices of one identity), every 89th carries the number of the one before it
/// (another customer's).
fn ledger() -> (Vec<Customer>, Vec<LedgerLine>) {
    let customers: Vec<Customer> = (0..CUSTOMERS)
        .map(|c| Customer::new(format!("C{c:05}"), format!("Client {c}")))
        .collect();
    let mut lines = Vec::with_capacity(LINES);
    let mut n = 0usize;
    while lines.len() < LINES {
        n += 1;
        let key = format!("C{:05}", n % CUSTOMERS);
        let day = year() + chrono::Days::new((n % 365) as u64);
        let cents = Decimal::new(10_000 + (n as i64 * 37) % 90_000, 2);
        let number = if n.is_multiple_of(89) {
            format!("F{:06}", n - 1)
        } else {
            format!("F{n:06}")
        };
        let line = invoice(&key, day, &number, cents)
            .with_entry_num(&n.to_string())
            .with_label(&format!("Facture {number}"));
        if n.is_multiple_of(97) {
            lines.push(line.clone());
        }
        lines.push(line);
        if !n.is_multiple_of(3) {
            let paid = day + chrono::Days::new(20);
            lines.push(
                payment(&key, paid, &format!("VIR{n}"), cents)
                    .with_entry_num(&format!("P{n}"))
                    .lettered_on(&format!("L{n}"), paid),
            );
        }
    }
    (customers, lines)
}

fn start<'a>(hash: &'a str) -> ImportStart<'a> {
    ImportStart {
        source: "fec",
        file_name: "123456782FEC20261231.txt",
        content_hash: Some(hash),
        siren: Some("123456782"),
        default_terms: None,
        today: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        expected_lines: LINES as u64,
    }
}

fn end(customers: &[Customer]) -> ImportEnd<'_> {
    ImportEnd {
        fiscal_year: Some(year()),
        period: Some((year(), NaiveDate::from_ymd_opt(2026, 12, 31).unwrap())),
        customers,
        turnover: None,
    }
}

/// `lines` in batches of 4,096 (as the FEC reader hands them over), each with the customers of `customers` first
/// seen in it.
fn batches<'a>(customers: &[Customer], lines: &'a [LedgerLine]) -> Vec<(Vec<Customer>, &'a [LedgerLine])> {
    let mut given = std::collections::HashSet::new();
    lines
        .chunks(4096)
        .map(|batch| {
            let new: Vec<Customer> = batch
                .iter()
                .filter(|l| given.insert(l.customer_key.clone()))
                .filter_map(|l| customers.iter().find(|c| c.key == l.customer_key).cloned())
                .collect();
            (new, batch)
        })
        .collect()
}

/// What a batch of [`batches`] holds, for `LedgerWriter::add_all`.
fn parts<'b>(batch: &'b &(Vec<Customer>, &[LedgerLine])) -> BatchParts<'b> {
    (&batch.0, batch.1, Some(year()))
}

/// Imports `lines` as the FEC import does: every batch handed to one `add_all` (on a server in bulk, one COPY
/// for all the lines).
fn import(
    store: &mut Store,
    hash: &str,
    customers: &[Customer],
    lines: &[LedgerLine],
) -> Result<encaisse_store::ImportChanges, StoreError> {
    let mut writer = store.begin_ledger_import(&start(hash))?;
    let batches = batches(customers, lines);
    let mut next = batches.iter();
    writer.add_all(|_| next.next().map(Step::Batch), parts)?;
    writer.finish(&end(customers), false)
}

/// The server's checks on the lines and invoices: (foreign keys, of them and to the invoices; indexes), by name.
fn server_checks(url: &str) -> (Vec<String>, Vec<String>) {
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    let names = |client: &mut postgres::Client, sql: &str| -> Vec<String> {
        client.query(sql, &[]).unwrap().iter().map(|r| r.get(0)).collect()
    };
    let keys = names(
        &mut client,
        "SELECT conname::text FROM pg_constraint
         WHERE contype = 'f' AND (conrelid IN ('ledger_line'::regclass, 'invoice'::regclass)
                                  OR confrelid = 'invoice'::regclass) ORDER BY 1",
    );
    let indexes = names(
        &mut client,
        "SELECT indexname::text FROM pg_indexes WHERE tablename IN ('ledger_line', 'invoice') ORDER BY 1",
    );
    (keys, indexes)
}

/// The lines of the file's year as the store gives them back.
fn lines_of_the_year(store: &Store) -> Vec<LedgerLine> {
    store
        .ledger(Some(year()))
        .unwrap()
        .into_iter()
        .flat_map(|c| c.lines)
        .collect()
}

/// The ids of the invoices of these lines (by customer and number).
fn invoice_ids(store: &Store, lines: &[&LedgerLine]) -> Vec<Option<i64>> {
    lines
        .iter()
        .map(|l| store.invoice_id(&l.customer_key, &l.piece_ref).unwrap())
        .collect()
}

fn sorted_by_customer(lines: &[LedgerLine]) -> Vec<LedgerLine> {
    let mut sorted = lines.to_vec();
    // The store's order: customer, entry date, then as written.
    sorted.sort_by(|a, b| {
        (a.customer_key.as_str(), a.entry_date).cmp(&(b.customer_key.as_str(), b.entry_date))
    });
    sorted
}

#[test]
fn a_bulk_import_gives_back_its_lines_and_keeps_invoice_identities_on_reimport() {
    let (mut store, url) = crate::backend::store_and_url();
    let before = url.as_deref().map(server_checks);
    let (customers, lines) = ledger();
    let debits = lines.iter().filter(|l| l.is_debit()).count() as u64;
    let changes = import(&mut store, "first", &customers, &lines).unwrap();
    assert_eq!(changes.lines_added, LINES as u64);
    assert_eq!(changes.customers_added, CUSTOMERS as u64);
    assert_eq!(changes.invoices_added, debits);
    assert_eq!(store.line_count().unwrap(), LINES as i64);
    assert_eq!(lines_of_the_year(&store), sorted_by_customer(&lines));
    // The twice-present invoice has an id; the number used by two customers too.
    assert!(store.invoice_id("C00097", "F000097").unwrap().is_some());
    assert!(store.invoice_id("C00089", "F000088").unwrap().is_some());
    if let (Some(url), Some(before)) = (url.as_deref(), before) {
        // The foreign keys and indexes dropped for the load are all back.
        let after = server_checks(url);
        assert_eq!(after, before);
        assert_eq!(after.0.len(), 8, "{after:?}");
        assert!(after.1.contains(&"invoice_pkey".to_string()), "{after:?}");
        // Each debit line carries its own invoice (the ids the server gave, matched back by their values).
        let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
        let row = client
            .query_one(
                "SELECT count(l.invoice_id), count(DISTINCT l.invoice_id),
                        count(*) FILTER (WHERE i.customer_key != l.customer_key OR i.piece_ref != l.piece_ref
                                            OR i.invoice_date != l.entry_date OR i.amount_minor != l.amount_minor)
                 FROM ledger_line l LEFT JOIN invoice i ON i.id = l.invoice_id",
                &[],
            )
            .unwrap();
        let (with_invoice, distinct, wrong): (i64, i64, i64) = (row.get(0), row.get(1), row.get(2));
        assert_eq!((with_invoice, distinct, wrong), (debits as i64, debits as i64, 0));
    }

    // The same lines again (another file's bytes): every invoice is found by its identity, none added.
    let id = store.invoice_id("C00001", "F000001").unwrap();
    let again = import(&mut store, "second", &customers, &lines).unwrap();
    assert_eq!(again.invoices_added, 0);
    assert_eq!(again.invoices_kept, debits);
    assert_eq!(again.invoices_missing, 0);
    assert_eq!(again.lines_removed, LINES as u64);
    assert_eq!(store.line_count().unwrap(), LINES as i64);
    assert_eq!(store.invoice_id("C00001", "F000001").unwrap(), id);
}

#[test]
fn a_bulk_import_refused_at_one_line_writes_nothing() {
    let (mut store, url) = crate::backend::store_and_url();
    let (customers, lines) = ledger();
    // A small import first: what must stay exactly as it is.
    let kept = &lines[..10];
    let small = store.import_ledger(
        &encaisse_store::LedgerImport {
            source: "fec",
            file_name: "123456782FEC20251231.txt",
            content_hash: "small",
            siren: Some("123456782"),
            fiscal_year: Some(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()),
            period: None,
            customers: &customers,
            lines: kept,
            default_terms: None,
            today: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        },
        false,
    );
    small.unwrap();
    let before = url.as_deref().map(server_checks);
    let count = (store.line_count().unwrap(), store.customer_count().unwrap());

    // A line of the fifth batch with an amount finer than a cent: refused by the store on both backends.
    let mut bad = lines.clone();
    bad[4 * 4096 + 17].amount = Decimal::new(1001, 3);
    let err = import(&mut store, "bad amount", &customers, &bad).unwrap_err();
    assert!(matches!(err, StoreError::Money { .. }), "{err}");
    assert_eq!(
        (store.line_count().unwrap(), store.customer_count().unwrap()),
        count
    );

    if let Some(url) = url.as_deref() {
        // A label the server itself refuses (PostgreSQL's text holds no NUL): the COPY of that batch fails on
        // the server, and the import with it.
        let mut refused = lines.clone();
        refused[3 * 4096 + 5].label = "Facture\0".into();
        let err = import(&mut store, "nul", &customers, &refused).unwrap_err();
        assert!(matches!(err, StoreError::Server(_)), "{err}");
        assert_eq!(
            (store.line_count().unwrap(), store.customer_count().unwrap()),
            count
        );
        assert_eq!(Some(server_checks(url)), before);
    }

    // The connection is usable and the whole file goes in afterwards.
    let changes = import(&mut store, "good", &customers, &lines).unwrap();
    assert_eq!(changes.lines_added, LINES as u64);
    assert_eq!(store.line_count().unwrap(), count.0 + LINES as i64);
}

/// On a server, a manager login (a member of `encaisse_manager`, not the tables' owner: the usual importer) gets
/// the bulk path too, through the functions of migration 0019: while the import runs its transaction holds the
/// lines' table exclusively (their checks dropped), and after it every key and index is back as it was.
#[test]
fn a_manager_login_imports_in_bulk_on_a_server() {
    if !crate::backend::on_postgres() {
        eprintln!("SKIPPED a_manager_login_imports_in_bulk_on_a_server: PostgreSQL only");
        return;
    }
    let (owner, url) = crate::backend::store_and_url();
    drop(owner);
    let url = url.expect("a server");
    let server = encaisse_team::ServerUrl::parse(&url).unwrap();
    let tls = encaisse_team::TlsOptions::default();
    let mut admin = encaisse_team::connect(&server, &tls).unwrap();
    encaisse_team::add_user(
        &mut admin,
        &server,
        "store_import_manager",
        encaisse_team::Role::Manager,
        Some("m-pass"),
    )
    .unwrap();
    let owns: bool = admin
        .query_one(
            "SELECT pg_has_role('store_import_manager', relowner, 'USAGE') FROM pg_class
             WHERE oid = 'ledger_line'::regclass",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(!owns, "the manager does not own the tables");
    let before = server_checks(&url);
    let mut store = Store::open_server(&server.as_user("store_import_manager", "m-pass"), &tls).unwrap();
    let (customers, lines) = ledger();
    let debits = lines.iter().filter(|l| l.is_debit()).count() as i64;
    let mut writer = store.begin_ledger_import(&start("manager")).unwrap();
    let mut given = std::collections::HashSet::new();
    for (n, batch) in lines.chunks(4096).enumerate() {
        let new: Vec<Customer> = batch
            .iter()
            .filter(|l| given.insert(l.customer_key.clone()))
            .filter_map(|l| customers.iter().find(|c| c.key == l.customer_key).cloned())
            .collect();
        writer.add(&new, batch, Some(year())).unwrap();
        if n == 1 {
            let bulk: bool = admin
                .query_one(
                    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE relation = 'ledger_line'::regclass
                     AND mode = 'AccessExclusiveLock' AND granted AND pid <> pg_backend_pid())",
                    &[],
                )
                .unwrap()
                .get(0);
            assert!(bulk, "the manager's import took the bulk path");
        }
    }
    let changes = writer.finish(&end(&customers), false).unwrap();
    assert_eq!(changes.lines_added, LINES as u64);
    assert_eq!(server_checks(&url), before);
    let row = admin
        .query_one(
            "SELECT count(l.invoice_id), count(DISTINCT l.invoice_id),
                    count(*) FILTER (WHERE i.customer_key != l.customer_key OR i.piece_ref != l.piece_ref)
             FROM ledger_line l LEFT JOIN invoice i ON i.id = l.invoice_id",
            &[],
        )
        .unwrap();
    let (with_invoice, distinct, wrong): (i64, i64, i64) = (row.get(0), row.get(1), row.get(2));
    assert_eq!((with_invoice, distinct, wrong), (debits, debits, 0));
    // Later invoices take ids after this import's (the sequence moved with them).
    let next: i64 = admin
        .query_one(
            "INSERT INTO invoice (customer_key, piece_ref, invoice_date, amount_minor)
             VALUES ('C00001', 'LATER', '2026-12-31', 1) RETURNING id - (SELECT max(id) FROM invoice WHERE piece_ref <> 'LATER')",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(next > 0);
}

/// Invoices first read from e-invoices, then carried by a ledger imported in bulk: their e-invoice lines go (on a
/// server once the lines' primary key is back, see migration 0021), the invoices keep their ids.
#[test]
fn a_bulk_import_takes_over_the_invoices_first_read_from_einvoices() {
    use encaisse_store::master::{CustomerUpdate, EInvoiceEntry};
    let (mut store, url) = crate::backend::store_and_url();
    let before = url.as_deref().map(server_checks);
    let (customers, lines) = ledger();
    let einvoiced: Vec<&LedgerLine> = lines.iter().filter(|l| l.is_debit()).take(3).collect();
    let updates: Vec<CustomerUpdate> = einvoiced
        .iter()
        .map(|l| CustomerUpdate {
            key: l.customer_key.clone(),
            name: customers
                .iter()
                .find(|c| c.key == l.customer_key)
                .unwrap()
                .name
                .clone(),
            ..CustomerUpdate::default()
        })
        .collect();
    store.upsert_customers(&updates, false).unwrap();
    let entries: Vec<EInvoiceEntry> = einvoiced
        .iter()
        .zip(&updates)
        .map(|(l, c)| EInvoiceEntry {
            file_name: format!("{}.xml", l.piece_ref),
            content_hash: l.piece_ref.clone(),
            number: l.piece_ref.clone(),
            credit_note: false,
            issue_date: l.entry_date,
            due_date: None,
            buyer_name: c.name.clone(),
            buyer_siren: None,
            amount: l.amount,
        })
        .collect();
    let applied = store
        .apply_einvoices(&entries, NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(), false)
        .unwrap();
    assert!(applied.outcomes.iter().all(|o| o.created), "{applied:?}");
    let ids = invoice_ids(&store, &einvoiced);
    assert!(ids.iter().all(Option::is_some));
    assert_eq!(store.line_count().unwrap(), 3);

    let changes = import(&mut store, "first", &customers, &lines).unwrap();
    assert_eq!(changes.lines_removed, 3);
    assert_eq!(store.line_count().unwrap(), LINES as i64);
    assert_eq!(invoice_ids(&store, &einvoiced), ids);
    assert_eq!(lines_of_the_year(&store), sorted_by_customer(&lines));
    if let (Some(url), Some(before)) = (url.as_deref(), before) {
        assert_eq!(server_checks(url), before);
    }
}

/// An import begun before its file's fingerprint is known (a large file is hashed beside its reading): the
/// fingerprint of the latest import's bytes, given after lines were written in bulk, makes it unchanged and
/// nothing stays; another fingerprint is recorded; none at all refuses the import.
#[test]
fn an_import_learning_late_that_its_file_was_imported_writes_nothing() {
    let (mut store, url) = crate::backend::store_and_url();
    let before = url.as_deref().map(server_checks);
    let (customers, lines) = ledger();
    let first = import(&mut store, "same-bytes", &customers, &lines).unwrap();
    assert!(!first.unchanged);
    let count = store.line_count().unwrap();

    // The fingerprint handed over after three batches, as the FEC import's reader does; by `add` and
    // `fingerprint` calls too (on a server in bulk, a COPY per call).
    let batches = batches(&customers, &lines);
    let late = |store: &mut Store, hash: Option<&str>, by_calls: bool| {
        let mut writer = store
            .begin_ledger_import(&ImportStart {
                content_hash: None,
                ..start("")
            })
            .unwrap();
        assert!(!writer.unchanged());
        if by_calls {
            for (i, (new, batch)) in batches.iter().enumerate() {
                if i == 3 {
                    if let Some(hash) = hash {
                        writer.fingerprint(hash).unwrap();
                    }
                }
                writer.add(new, batch, Some(year())).unwrap();
            }
        } else {
            let mut steps = batches.iter().map(Step::Batch).collect::<Vec<_>>().into_iter();
            let mut fingerprint = hash.map(|h| Step::Fingerprint(h.to_string()));
            let mut handed = 0;
            writer
                .add_all(
                    |_| {
                        handed += 1;
                        match handed {
                            4 => fingerprint.take().or_else(|| steps.next()),
                            _ => steps.next(),
                        }
                    },
                    parts,
                )
                .unwrap();
        }
        writer.finish(&end(&customers), false)
    };
    for by_calls in [false, true] {
        let again = late(&mut store, Some("same-bytes"), by_calls).unwrap();
        assert!(again.unchanged, "{again:?}");
        assert_eq!(again.lines_added, 0);
        assert_eq!(store.line_count().unwrap(), count);
        if let (Some(url), Some(before)) = (url.as_deref(), before.as_ref()) {
            assert_eq!(&server_checks(url), before);
        }
    }

    let e = late(&mut store, None, false).unwrap_err();
    assert!(e.to_string().contains("fingerprint was not given"), "{e}");
    assert_eq!(store.line_count().unwrap(), count);

    let other = late(&mut store, Some("other-bytes"), false).unwrap();
    assert!(!other.unchanged);
    assert_eq!(other.lines_removed, LINES as u64);
    assert_eq!(store.line_count().unwrap(), LINES as i64);
    // Recorded: the same bytes once more are unchanged from the start.
    let mut writer = store.begin_ledger_import(&start("other-bytes")).unwrap();
    assert!(writer.unchanged());
    writer.add(&customers, &lines[..10], Some(year())).unwrap();
    assert!(writer.finish(&end(&customers), false).unwrap().unchanged);
    if let (Some(url), Some(before)) = (url.as_deref(), before) {
        assert_eq!(server_checks(url), before);
    }
}

/// Invoices missing from a file, then back in the next one, all imported in bulk: marked missing, then found
/// again with their ids (on a server once the invoices' primary key is back, see migration 0021).
#[test]
fn invoices_missing_from_one_bulk_import_are_found_again_by_the_next() {
    let (mut store, url) = crate::backend::store_and_url();
    let before = url.as_deref().map(server_checks);
    let (customers, lines) = ledger();
    import(&mut store, "all", &customers, &lines).unwrap();
    let gone: Vec<&LedgerLine> = lines.iter().filter(|l| l.is_debit()).step_by(1000).collect();
    let ids: Vec<i64> = invoice_ids(&store, &gone)
        .into_iter()
        .map(Option::unwrap)
        .collect();
    let without: Vec<LedgerLine> = lines
        .iter()
        .filter(|l| {
            !gone
                .iter()
                .any(|g| g.customer_key == l.customer_key && g.piece_ref == l.piece_ref)
        })
        .cloned()
        .collect();
    let missing = import(&mut store, "without", &customers, &without).unwrap();
    assert_eq!(missing.invoices_missing, ids.len() as u64);
    for id in &ids {
        assert!(store.invoice_missing_since(*id).unwrap().is_some());
    }
    let again = import(&mut store, "again", &customers, &lines).unwrap();
    assert_eq!(again.invoices_back, ids.len() as u64);
    assert_eq!(again.invoices_added, 0);
    for (line, id) in gone.iter().zip(&ids) {
        assert_eq!(
            store.invoice_id(&line.customer_key, &line.piece_ref).unwrap(),
            Some(*id)
        );
        assert_eq!(store.invoice_missing_since(*id).unwrap(), None);
    }
    if let (Some(url), Some(before)) = (url.as_deref(), before) {
        assert_eq!(server_checks(url), before);
    }
}
