//! Reading the whole customer ledger at once, for the reports' in-memory cache: one table scan (no ORDER BY: the
//! rows are put in order in memory), columns read by index as borrowed text, dates parsed from their ten bytes,
//! each line routed to its customer without allocating a key, and every fiscal year's ledger built in one pass.

use crate::{CustomerLedger, Result, Store, StoreError};
use chrono::NaiveDate;
use encaisse_domain::money::from_minor;
use encaisse_domain::{Customer, LedgerLine};
use rusqlite::types::ValueRef;
use rustc_hash::FxHashMap;

/// Every fiscal year's ledger, read in one pass: what `Store::ledger(Some(year))` gives for each year and, when
/// there are several years, what `Store::ledger(None)` gives.
pub struct LedgerBook {
    /// First days of the fiscal years, oldest first (empty when no line has one, as in the demo).
    pub years: Vec<NaiveDate>,
    /// One ledger per year (its lines and those of no year); the whole ledger when `years` is empty.
    pub ledgers: Vec<Vec<CustomerLedger>>,
    /// The whole ledger when there are several years (with one year or none it equals `ledgers[0]`).
    pub all: Option<Vec<CustomerLedger>>,
}

/// A line read, with its entry date and row id (its order) and its fiscal year.
type Row = (NaiveDate, i64, Option<NaiveDate>, LedgerLine);

impl Store {
    /// SQLite's `PRAGMA data_version`: changes when ANOTHER connection commits a write to the file (this
    /// connection's own writes leave it as it is).
    /// On a PostgreSQL server: a hash of the server's snapshot (oldest running write, next transaction id,
    /// writes running), which moves when any write begins or ends on the server, this connection's included, so
    /// a cache stamped with it is never kept past a commit (another database's write only costs a reload).
    pub fn data_version(&self) -> Result<i64> {
        if self.conn.dialect() == crate::Dialect::Postgres {
            let snapshot: String = self
                .conn
                .query_row("SELECT pg_current_snapshot()::text", [], |r| r.get(0))?;
            let mut h = std::collections::hash_map::DefaultHasher::new();
            std::hash::Hash::hash(&snapshot, &mut h);
            return Ok(i64::from_ne_bytes(std::hash::Hasher::finish(&h).to_ne_bytes()));
        }
        Ok(self
            .conn
            .lite()?
            .pragma_query_value(None, "data_version", |r| r.get(0))?)
    }

    /// Rows inserted, updated or deleted through THIS connection since it opened (SQLite's `total_changes`):
    /// with [`Store::data_version`] (the other connections' commits), a stamp that moves on every write to the
    /// file, this connection's own ones included.
    pub fn total_changes(&self) -> u64 {
        self.conn.lite().map_or(0, |c| c.total_changes())
    }

    /// What moves on every write to the database: [`Store::data_version`] (the other connections' commits, all
    /// writes on a server) and [`Store::total_changes`] (this connection's).
    pub fn write_stamp(&self) -> Result<(i64, u64)> {
        Ok((self.data_version()?, self.total_changes()))
    }

    /// The whole customer ledger, split by fiscal year: equal to calling [`Store::ledger`] for each year (and
    /// with `None` when there are several), at the cost of one table scan.
    pub fn ledger_book(&self) -> Result<LedgerBook> {
        let digits = self.currency()?.minor_digits();
        let customers = self.customers()?;
        let index: FxHashMap<&str, usize> = customers
            .iter()
            .enumerate()
            .map(|(i, c)| (c.key.as_str(), i))
            .collect();
        // Lines per customer with their row id and fiscal year, put in (entry_date, id) order below.
        let mut rows: Vec<Vec<Row>> = vec![Vec::new(); customers.len()];
        let mut years: Vec<NaiveDate> = Vec::new();
        const SQL: &str = "SELECT customer_key, journal, entry_num, entry_date, piece_ref, piece_date, label,
                                  amount_minor, letter, letter_date, due_date, fiscal_year, id
                           FROM ledger_line";
        let mut add_year = |fiscal_year: Option<NaiveDate>| {
            if let Some(y) = fiscal_year {
                if let Err(at) = years.binary_search(&y) {
                    years.insert(at, y);
                }
            }
        };
        if self.conn.dialect() == crate::Dialect::Postgres {
            // The server's rows through the common layer (the borrowed reading below is rusqlite's).
            let read = self.conn.prepare(SQL)?.query_map([], |r| {
                let line = LedgerLine {
                    customer_key: r.get(0)?,
                    journal: r.get(1)?,
                    entry_num: r.get(2)?,
                    entry_date: r.get(3)?,
                    piece_ref: r.get(4)?,
                    piece_date: r.get(5)?,
                    label: r.get(6)?,
                    amount: from_minor(r.get(7)?, digits),
                    letter: r.get(8)?,
                    letter_date: r.get(9)?,
                    due_date: r.get(10)?,
                };
                Ok((line, r.get::<_, Option<NaiveDate>>(11)?, r.get::<_, i64>(12)?))
            })?;
            for row in read {
                let (line, fiscal_year, id) = row?;
                let Some(&c) = index.get(line.customer_key.as_str()) else {
                    continue;
                };
                add_year(fiscal_year);
                rows[c].push((line.entry_date, id, fiscal_year, line));
            }
            return Ok(book(customers, rows, years));
        }
        let mut stmt = self.conn.lite()?.prepare(SQL)?;
        let mut q = stmt.query([])?;
        while let Some(r) = q.next()? {
            let Some(&c) = index.get(text(r.get_ref(0)?, "customer_key")?) else {
                continue;
            };
            let entry_date = date(r, 3, "entry_date")?.ok_or_else(|| corrupt("entry_date", "NULL"))?;
            let fiscal_year = date(r, 11, "fiscal_year")?;
            add_year(fiscal_year);
            let line = LedgerLine {
                customer_key: customers[c].key.clone(),
                journal: owned(r.get_ref(1)?, "journal")?,
                entry_num: owned(r.get_ref(2)?, "entry_num")?,
                entry_date,
                piece_ref: owned(r.get_ref(4)?, "piece_ref")?,
                piece_date: date(r, 5, "piece_date")?,
                label: owned(r.get_ref(6)?, "label")?,
                amount: from_minor(r.get(7)?, digits),
                letter: match r.get_ref(8)? {
                    ValueRef::Null => None,
                    v => Some(owned(v, "letter")?),
                },
                letter_date: date(r, 9, "letter_date")?,
                due_date: date(r, 10, "due_date")?,
            };
            rows[c].push((entry_date, r.get(12)?, fiscal_year, line));
        }
        drop(q);
        drop(stmt);
        Ok(book(customers, rows, years))
    }
}

/// The book from every customer's lines (with their entry date, row id and fiscal year) and the years found.
fn book(customers: Vec<Customer>, mut rows: Vec<Vec<Row>>, years: Vec<NaiveDate>) -> LedgerBook {
    for lines in &mut rows {
        lines.sort_unstable_by_key(|(d, id, _, _)| (*d, *id));
    }
    let split = |year: Option<NaiveDate>| -> Vec<CustomerLedger> {
        customers
            .iter()
            .zip(&rows)
            .map(|(customer, lines)| CustomerLedger {
                customer: customer.clone(),
                lines: lines
                    .iter()
                    .filter(|(_, _, y, _)| year.is_none() || y.is_none() || *y == year)
                    .map(|(_, _, _, l)| l.clone())
                    .collect(),
            })
            .collect()
    };
    let (ledgers, all) = match years.len() {
        0 | 1 => {
            // One ledger holds every line: move them instead of copying.
            let ledger = customers
                .into_iter()
                .zip(rows)
                .map(|(customer, lines)| CustomerLedger {
                    customer,
                    lines: lines.into_iter().map(|(_, _, _, l)| l).collect(),
                })
                .collect();
            (vec![ledger], None)
        }
        _ => (years.iter().map(|y| split(Some(*y))).collect(), Some(split(None))),
    };
    LedgerBook { years, ledgers, all }
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt {
        what: format!("ledger line {what}"),
        value: value.to_string(),
    }
}

fn text<'a>(v: ValueRef<'a>, what: &str) -> Result<&'a str> {
    match v {
        ValueRef::Text(t) => std::str::from_utf8(t).map_err(|_| corrupt(what, &String::from_utf8_lossy(t))),
        ValueRef::Null => Ok(""),
        other => Err(corrupt(what, &format!("{other:?}"))),
    }
}

fn owned(v: ValueRef<'_>, what: &str) -> Result<String> {
    text(v, what).map(str::to_owned)
}

/// A YYYY-MM-DD column; anything else goes through rusqlite's own conversion (same errors as `Store::ledger`).
fn date(r: &rusqlite::Row<'_>, i: usize, what: &str) -> Result<Option<NaiveDate>> {
    match r.get_ref(i)? {
        ValueRef::Null => Ok(None),
        ValueRef::Text(b) if b.len() == 10 && b[4] == b'-' && b[7] == b'-' => {
            let n = |s: &[u8]| -> Option<u32> {
                s.iter().try_fold(0u32, |acc, &c| {
                    c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
                })
            };
            match (n(&b[0..4]), n(&b[5..7]), n(&b[8..10])) {
                (Some(y), Some(m), Some(d)) => i32::try_from(y)
                    .ok()
                    .and_then(|y| NaiveDate::from_ymd_opt(y, m, d))
                    .map(Some)
                    .ok_or_else(|| corrupt(what, &String::from_utf8_lossy(b))),
                _ => Ok(Some(r.get(i)?)),
            }
        }
        _ => Ok(Some(r.get(i)?)),
    }
}

#[cfg(test)]
mod tests {
    use crate::Store;
    use encaisse_domain::testing::{d, invoice};
    use encaisse_domain::{Company, Customer};
    use rust_decimal_macros::dec;

    #[test]
    fn the_book_equals_the_ledger_of_each_year() {
        let mut store = Store::open_in_memory().unwrap();
        let company = Company {
            name: "Test".into(),
            siren: None,
            address: None,
            currency: "EUR".into(),
        };
        let customers = [Customer::new("C2", "B"), Customer::new("C1", "A")];
        let line = |key: &str, date: &str, piece: &str, amount, letter: Option<&str>| {
            let line = invoice(key, date, piece, amount)
                .with_piece_date(date)
                .with_label(&format!("Facture {piece}"));
            match letter {
                Some(code) => line.lettered_on(code, "2026-03-01"),
                None => line,
            }
        };
        let lines = [
            line("C1", "2026-02-01", "F2", dec!(20.5), Some("AA")),
            line("C1", "2026-01-01", "F1", dec!(10), None),
            line("C2", "2026-01-15", "F3", dec!(-3.25), Some("AB")),
            line("C1", "2026-01-01", "F0", dec!(7), None),
        ];
        store.replace_with_demo(&company, &customers, &lines).unwrap();
        let book = store.ledger_book().unwrap();
        assert!(book.years.is_empty());
        assert!(book.all.is_none());
        let expected = store.ledger(None).unwrap();
        assert_eq!(book.ledgers.len(), 1);
        assert_eq!(book.ledgers[0].len(), expected.len());
        for (a, b) in book.ledgers[0].iter().zip(&expected) {
            assert_eq!(a.customer, b.customer);
            assert_eq!(a.lines, b.lines);
        }
        // Same date: row order (F1 was written before F0).
        let c1: Vec<&str> = book.ledgers[0][0]
            .lines
            .iter()
            .map(|l| l.piece_ref.as_str())
            .collect();
        assert_eq!(c1, ["F1", "F0", "F2"]);

        // Two fiscal years: each year's ledger and the whole one.
        store
            .conn
            .lite()
            .unwrap()
            .execute_batch(
                "UPDATE ledger_line SET fiscal_year = '2025-01-01' WHERE piece_ref = 'F1';
                 UPDATE ledger_line SET fiscal_year = '2026-01-01' WHERE piece_ref IN ('F2', 'F3');",
            )
            .unwrap();
        let book = store.ledger_book().unwrap();
        assert_eq!(book.years, [d("2025-01-01"), d("2026-01-01")]);
        for (i, y) in book.years.iter().enumerate() {
            let expected = store.ledger(Some(*y)).unwrap();
            for (a, b) in book.ledgers[i].iter().zip(&expected) {
                assert_eq!(a.lines, b.lines, "year {y}");
            }
        }
        let expected = store.ledger(None).unwrap();
        for (a, b) in book.all.as_ref().unwrap().iter().zip(&expected) {
            assert_eq!(a.lines, b.lines);
        }
    }
}
