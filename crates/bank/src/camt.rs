//! ISO 20022 camt.053 (bank to customer statement, .001.02 and .001.08) and camt.054 (debit/credit
//! notification). Elements are found by local name, whatever the namespace's version; the paths that differ
//! between versions (the party's `Pty` level of .001.08, `Sts/Cd`) are both accepted. An entry's sign is its
//! `CdtDbtInd` as booked (a reversal, `RvslInd`, already carries the reversed indicator); pending (`PDNG`) and
//! informative (`INFO`) entries are left out: they are not in the balance. A batch entry whose transactions each
//! carry an amount summing to the entry's becomes one entry per transaction (each payer matched apart).

use crate::{entry, err, Format, Statement};
use chrono::NaiveDate;
use encaisse_import::{ImportError, ImportErrors, LineIndex};
use roxmltree::{Document, Node};
use rust_decimal::Decimal;
use std::str::FromStr;

type N<'a, 'i> = Node<'a, 'i>;

fn child<'a, 'i>(n: N<'a, 'i>, name: &str) -> Option<N<'a, 'i>> {
    n.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

fn children<'a, 'i: 'a>(n: N<'a, 'i>, name: &'a str) -> impl Iterator<Item = N<'a, 'i>> + 'a {
    n.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

fn path<'a, 'i>(n: N<'a, 'i>, names: &[&str]) -> Option<N<'a, 'i>> {
    names.iter().try_fold(n, |n, name| child(n, name))
}

fn text<'a>(n: Option<N<'a, '_>>) -> Option<String> {
    n.and_then(|n| n.text())
        .map(crate::text::collapse_spaces)
        .filter(|t| !t.is_empty())
}

struct Ctx<'a> {
    file: &'a str,
    lines: LineIndex,
    errors: Vec<ImportError>,
}

impl<'a> Ctx<'a> {
    fn line(&self, n: N) -> usize {
        self.lines.line_of(n.range().start)
    }

    fn fail(&mut self, n: N, field: &str, reason: impl Into<String>) {
        let line = self.line(n);
        self.errors.push(err(self.file, line, field, reason));
    }

    /// The date of a `Dt`/`DtTm` choice under `n`.
    fn date(&mut self, n: N, field: &str) -> Option<NaiveDate> {
        let Some(v) = text(child(n, "Dt")).or_else(|| text(child(n, "DtTm"))) else {
            self.fail(n, field, "no date (Dt or DtTm)");
            return None;
        };
        let d = v
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        if d.is_none() {
            self.fail(n, field, format!("'{v}' is not a date (YYYY-MM-DD)"));
        }
        d
    }

    /// An `Amt` element's value (positive, at most the currency's decimals).
    fn amount(&mut self, n: Option<N>, parent: N, field: &str) -> Option<Decimal> {
        let Some(n) = n else {
            self.fail(parent, field, "no amount (Amt)");
            return None;
        };
        let v = n.text().unwrap_or("").trim();
        match Decimal::from_str(v) {
            Ok(d) if d >= Decimal::ZERO && !v.starts_with('+') => Some(d),
            _ => {
                self.fail(
                    n,
                    field,
                    format!("'{v}' is not an amount (digits and a decimal point)"),
                );
                None
            }
        }
    }

    /// +1 for CRDT, -1 for DBIT.
    fn sign(&mut self, n: N, field: &str) -> Option<Decimal> {
        match text(child(n, "CdtDbtInd")).as_deref() {
            Some("CRDT") => Some(Decimal::ONE),
            Some("DBIT") => Some(Decimal::NEGATIVE_ONE),
            other => {
                self.fail(
                    n,
                    field,
                    format!("CdtDbtInd is '{}', expected CRDT or DBIT", other.unwrap_or("")),
                );
                None
            }
        }
    }
}

pub fn read(file: &str, bytes: &[u8], format: Format) -> Result<Vec<Statement>, ImportErrors> {
    let xml = crate::decode(bytes);
    let doc = Document::parse(&xml).map_err(|e| {
        ImportErrors(vec![err(
            file,
            e.pos().row as usize,
            "xml",
            format!("not well-formed XML: {e}"),
        )])
    })?;
    let root = doc.root_element();
    let (msg_name, stmt_name) = if format == Format::Camt054 {
        ("BkToCstmrDbtCdtNtfctn", "Ntfctn")
    } else {
        ("BkToCstmrStmt", "Stmt")
    };
    let Some(msg) = child(root, msg_name) else {
        return Err(ImportErrors(vec![err(
            file,
            1,
            "xml",
            format!("no {msg_name} element under Document"),
        )]));
    };
    let mut ctx = Ctx {
        file,
        lines: LineIndex::new(doc.input_text()),
        errors: Vec::new(),
    };
    let mut statements = Vec::new();
    for stmt in children(msg, stmt_name) {
        if let Some(s) = statement(&mut ctx, stmt, format) {
            statements.push(s);
        }
    }
    if statements.is_empty() && ctx.errors.is_empty() {
        ctx.errors
            .push(err(file, ctx.line(msg), stmt_name, "the file holds no statement"));
    }
    if ctx.errors.is_empty() {
        Ok(statements)
    } else {
        Err(ImportErrors(ctx.errors))
    }
}

fn statement(ctx: &mut Ctx, stmt: N, format: Format) -> Option<Statement> {
    let acct = child(stmt, "Acct");
    let account = acct.and_then(|a| {
        text(path(a, &["Id", "IBAN"]))
            .map(|i| crate::text::compact(&i))
            .or_else(|| text(path(a, &["Id", "Othr", "Id"])))
    });
    let Some(account) = account else {
        ctx.fail(stmt, "Acct/Id", "no account (IBAN or Othr/Id)");
        return None;
    };
    let mut currency = acct.and_then(|a| text(child(a, "Ccy")));
    // Balances: opening = OPBD (or PRCD, the previous closing), closing = CLBD.
    let (mut opening, mut closing, mut from, mut to) = (None, None, None, None);
    for bal in children(stmt, "Bal") {
        let code = text(path(bal, &["Tp", "CdOrPrtry", "Cd"])).unwrap_or_default();
        let amt_node = child(bal, "Amt");
        let amount = ctx.amount(amt_node, bal, "Bal/Amt");
        let sign = ctx.sign(bal, "Bal/CdtDbtInd");
        let date = child(bal, "Dt").and_then(|d| ctx.date(d, "Bal/Dt"));
        if currency.is_none() {
            currency = amt_node.and_then(|n| n.attribute("Ccy")).map(str::to_string);
        }
        let value = amount.zip(sign).map(|(a, s)| a * s);
        match code.as_str() {
            "OPBD" | "PRCD" if opening.is_none() || code == "OPBD" => {
                opening = value;
                from = from.or(date);
            }
            "CLBD" => {
                closing = value;
                to = to.or(date);
            }
            _ => {}
        }
    }
    if let Some(p) = child(stmt, "FrToDt") {
        for (name, slot) in [("FrDtTm", &mut from), ("ToDtTm", &mut to)] {
            if let Some(v) = text(child(p, name)) {
                match v
                    .get(..10)
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                {
                    Some(d) => *slot = Some(d),
                    None => ctx.fail(p, name, format!("'{v}' is not a date")),
                }
            }
        }
    }
    if format != Format::Camt054 && (opening.is_none() || closing.is_none()) && ctx.errors.is_empty() {
        ctx.fail(
            stmt,
            "Bal",
            "a statement needs its opening (OPBD or PRCD) and closing (CLBD) balances",
        );
    }
    let mut entries = Vec::new();
    for ntry in children(stmt, "Ntry") {
        // Pending or informative entries are not booked: they are not part of the balance.
        let status = text(child(ntry, "Sts")).or_else(|| text(path(ntry, &["Sts", "Cd"])));
        if matches!(status.as_deref(), Some("PDNG") | Some("INFO")) {
            continue;
        }
        read_entry(ctx, ntry, &mut entries);
    }
    let dates = entries.iter().map(|e: &crate::Entry| e.booking_date);
    let from = from.or_else(|| dates.clone().min());
    let to = to.or_else(|| dates.max()).or(from);
    let (Some(from), Some(to)) = (from, to) else {
        ctx.fail(
            stmt,
            "FrToDt",
            "the statement's period is nowhere: no dates on its balances, period or entries",
        );
        return None;
    };
    Some(Statement {
        format,
        account,
        statement_id: text(child(stmt, "Id")),
        currency: currency.unwrap_or_else(|| "EUR".to_string()),
        from,
        to,
        opening,
        closing,
        entries,
        line: ctx.line(stmt),
    })
}

fn read_entry(ctx: &mut Ctx, ntry: N, out: &mut Vec<crate::Entry>) {
    let line = ctx.line(ntry);
    let amount = ctx.amount(child(ntry, "Amt"), ntry, "Ntry/Amt");
    let sign = ctx.sign(ntry, "Ntry/CdtDbtInd");
    let booking = match child(ntry, "BookgDt") {
        Some(b) => ctx.date(b, "Ntry/BookgDt"),
        None => {
            ctx.fail(ntry, "Ntry/BookgDt", "no booking date");
            None
        }
    };
    let value_date = child(ntry, "ValDt").and_then(|v| ctx.date(v, "Ntry/ValDt"));
    let (Some(amount), Some(sign), Some(booking)) = (amount, sign, booking) else {
        return;
    };
    let credit = sign == Decimal::ONE;
    let entry_ref = text(child(ntry, "AcctSvcrRef")).or_else(|| text(child(ntry, "NtryRef")));
    let label = text(child(ntry, "AddtlNtryInf")).unwrap_or_default();
    let txs: Vec<N> = children(ntry, "NtryDtls")
        .flat_map(|d| children(d, "TxDtls"))
        .collect();
    // A batch booking whose transactions each carry their amount, summing to the entry's: one entry each.
    let tx_amounts: Vec<Option<Decimal>> = txs
        .iter()
        .map(|t| {
            text(path(*t, &["AmtDtls", "TxAmt", "Amt"]))
                .or_else(|| text(child(*t, "Amt")))
                .and_then(|v| Decimal::from_str(&v).ok())
        })
        .collect();
    let split = txs.len() > 1
        && tx_amounts.iter().all(Option::is_some)
        && tx_amounts.iter().flatten().sum::<Decimal>() == amount;
    if split {
        for (i, (tx, a)) in txs.iter().zip(tx_amounts).enumerate() {
            let mut e = entry(ctx.line(*tx), booking, a.unwrap_or_default() * sign);
            e.value_date = value_date;
            e.label = label.clone();
            details(&mut e, *tx, credit);
            e.bank_reference = e
                .bank_reference
                .take()
                .or_else(|| entry_ref.as_ref().map(|r| format!("{r}/{}", i + 1)));
            out.push(e);
        }
        return;
    }
    let mut e = entry(line, booking, amount * sign);
    e.value_date = value_date;
    e.label = label;
    for tx in &txs {
        details(&mut e, *tx, credit);
    }
    // The entry's own reference first; a single transaction's reference when the entry has none.
    if txs.len() == 1 {
        e.bank_reference = entry_ref.or(e.bank_reference.take());
    } else {
        e.bank_reference = entry_ref;
    }
    out.push(e);
}

/// A transaction's details: parties, remittance, references.
fn details(e: &mut crate::Entry, tx: N, credit: bool) {
    if let Some(refs) = child(tx, "Refs") {
        if e.bank_reference.is_none() {
            e.bank_reference = text(child(refs, "AcctSvcrRef"));
        }
        if e.end_to_end_id.is_none() {
            e.end_to_end_id = text(child(refs, "EndToEndId")).filter(|r| r != "NOTPROVIDED");
        }
    }
    // The counterparty of a credit is the debtor (the payer), of a debit the creditor.
    let (party, acct, ultimate) = if credit {
        ("Dbtr", "DbtrAcct", "UltmtDbtr")
    } else {
        ("Cdtr", "CdtrAcct", "UltmtCdtr")
    };
    if let Some(p) = child(tx, "RltdPties") {
        let name = |n: &str| {
            child(p, n).and_then(|x| text(child(x, "Nm")).or_else(|| text(path(x, &["Pty", "Nm"]))))
        };
        if e.counterparty_name.is_none() {
            e.counterparty_name = name(party).or_else(|| name(ultimate));
        }
        if e.counterparty_iban.is_none() {
            e.counterparty_iban = text(path(p, &[acct, "Id", "IBAN"])).map(|i| crate::text::compact(&i));
        }
    }
    if let Some(r) = child(tx, "RmtInf") {
        e.remittance
            .extend(children(r, "Ustrd").filter_map(|u| text(Some(u))));
        for s in children(r, "Strd") {
            for d in children(s, "RfrdDocInf") {
                e.references.extend(text(child(d, "Nb")));
            }
            e.references.extend(text(path(s, &["CdtrRefInf", "Ref"])));
            e.remittance
                .extend(children(s, "AddtlRmtInf").filter_map(|u| text(Some(u))));
        }
    }
    if let Some(t) = text(child(tx, "AddtlTxInf")) {
        e.remittance.push(t);
    }
}
