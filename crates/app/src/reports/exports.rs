//! Reports as sheets with French headers, written to CSV (French Excel: `;`, decimal comma, UTF-8 with BOM) or
//! XLSX (rust_xlsxwriter: real numbers with number formats, real dates).

use crate::reports::AgingReport;
use crate::reports::{
    AgingInvoices, CustomersReport, D4416Report, ForecastAccuracy, ForecastReport, GroupedAgingReport,
};
use crate::{AppError, AppResult};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::str::FromStr;

/// One cell: text, an amount (string of the contracts, "1234.50"), a count, a percent or days with one decimal,
/// a date.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Amount(String),
    Int(i64),
    /// Percent or days, as the reports give them.
    Decimal(Option<f64>),
    Date(NaiveDate),
    Empty,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn amount(s: &str) -> Cell {
    Cell::Amount(s.to_string())
}

fn opt_text(s: &Option<String>) -> Cell {
    s.as_ref().map_or(Cell::Empty, |s| text(s.clone()))
}

/// French label of a bucket ("not_due" → "Non échu", "1-30" → "1-30 j").
fn bucket_fr(label: &str) -> String {
    match label {
        "not_due" => "Non échu".into(),
        other => format!("{other} j"),
    }
}

fn headers(fixed: &[&str], buckets: &[String]) -> Vec<String> {
    fixed
        .iter()
        .map(|s| s.to_string())
        .chain(buckets.iter().map(|b| bucket_fr(b)))
        .collect()
}

pub fn aging_sheet(r: &AgingReport) -> Sheet {
    let mut rows: Vec<Vec<Cell>> = r
        .customers
        .iter()
        .map(|c| {
            let mut row = vec![
                text(&c.id),
                text(&c.name),
                amount(&c.balance),
                amount(&c.unapplied),
            ];
            row.extend(c.buckets.iter().map(|b| amount(b)));
            row
        })
        .collect();
    let mut total = vec![
        text("TOTAL"),
        Cell::Empty,
        amount(&r.totals.balance),
        amount(&r.totals.unapplied),
    ];
    total.extend(r.totals.buckets.iter().map(|b| amount(b)));
    rows.push(total);
    Sheet {
        title: format!("Balance âgée au {}", encaisse_domain::format_date_fr(r.as_of)),
        headers: headers(&["Code client", "Client", "Solde", "Non affecté"], &r.buckets),
        rows,
    }
}

pub fn grouped_aging_sheet(r: &GroupedAgingReport) -> Sheet {
    let mut rows: Vec<Vec<Cell>> = r
        .groups
        .iter()
        .map(|g| {
            let mut row = vec![
                text(if g.key.is_empty() { "(aucun)" } else { &g.key }),
                Cell::Int(i64::from(g.customers)),
                amount(&g.balance),
                amount(&g.unapplied),
            ];
            row.extend(g.buckets.iter().map(|b| amount(b)));
            row
        })
        .collect();
    let mut total = vec![
        text("TOTAL"),
        Cell::Empty,
        amount(&r.totals.balance),
        amount(&r.totals.unapplied),
    ];
    total.extend(r.totals.buckets.iter().map(|b| amount(b)));
    rows.push(total);
    Sheet {
        title: format!(
            "Balance âgée par {} au {}",
            r.group_by,
            encaisse_domain::format_date_fr(r.as_of)
        ),
        headers: headers(&["Groupe", "Clients", "Solde", "Non affecté"], &r.buckets),
        rows,
    }
}

pub fn invoices_sheet(r: &AgingInvoices) -> Sheet {
    Sheet {
        title: format!(
            "Factures ouvertes au {}",
            encaisse_domain::format_date_fr(r.as_of)
        ),
        headers: [
            "Code client",
            "Client",
            "Pièce",
            "Date facture",
            "Échéance",
            if r.basis == "invoice_date" {
                "Jours depuis facture"
            } else {
                "Jours de retard"
            },
            "Tranche",
            "Montant TTC",
            "Reste dû",
        ]
        .map(String::from)
        .to_vec(),
        rows: r
            .invoices
            .iter()
            .map(|i| {
                vec![
                    text(&i.customer_id),
                    text(&i.customer_name),
                    text(&i.piece_ref),
                    Cell::Date(i.invoice_date),
                    Cell::Date(i.due_date),
                    Cell::Int(i64::from(i.days)),
                    text(bucket_fr(&i.bucket)),
                    amount(&i.amount),
                    amount(&i.residual),
                ]
            })
            .collect(),
    }
}

pub fn customers_sheet(r: &CustomersReport) -> Sheet {
    Sheet {
        title: format!("Clients au {}", encaisse_domain::format_date_fr(r.as_of)),
        headers: [
            "Code client",
            "Client",
            "Catégorie",
            "Segment (fichier)",
            "Recouvreur",
            "Solde",
            "Échu",
            "Non échu",
            "Retard moyen pondéré (j)",
            "Retard médian (j)",
            "Payé à l'échéance (%)",
            "Tendance (j)",
            "Relances avant paiement",
            "Comportement",
            "Score",
            "Classe",
            "Encours autorisé",
            "Utilisation (%)",
            "Dépassement",
        ]
        .map(String::from)
        .to_vec(),
        rows: r
            .customers
            .iter()
            .map(|c| {
                vec![
                    text(&c.id),
                    text(&c.name),
                    opt_text(&c.category.map(|x| x.as_str().to_string())),
                    opt_text(&c.customer_segment),
                    opt_text(&c.collector),
                    amount(&c.balance),
                    amount(&c.overdue),
                    amount(&c.not_due),
                    Cell::Decimal(c.behaviour.avg_days_late),
                    c.behaviour
                        .median_days_late
                        .map_or(Cell::Empty, |d| Cell::Int(i64::from(d))),
                    Cell::Decimal(c.behaviour.on_time_share),
                    Cell::Decimal(c.behaviour.trend),
                    Cell::Decimal(c.behaviour.reminders_before_payment),
                    opt_text(&c.behaviour.segment.map(|x| x.code().to_string())),
                    Cell::Int(i64::from(c.score)),
                    text(&c.class),
                    c.credit_limit.as_deref().map_or(Cell::Empty, amount),
                    Cell::Decimal(c.limit_use),
                    text(if c.limit_exceeded { "oui" } else { "" }),
                ]
            })
            .collect(),
    }
}

pub fn forecast_sheet(r: &ForecastReport) -> Sheet {
    let confirmed: Decimal = r
        .weeks
        .iter()
        .filter_map(|w| Decimal::from_str(&w.confirmed).ok())
        .sum();
    let mut rows: Vec<Vec<Cell>> = r
        .weeks
        .iter()
        .enumerate()
        .map(|(i, w)| {
            vec![
                text(format!("S{}", i + 1)),
                Cell::Date(w.start),
                Cell::Date(w.end),
                amount(&w.expected),
                amount(&w.confirmed),
            ]
        })
        .collect();
    rows.push(vec![
        text("Plus tard"),
        Cell::Empty,
        Cell::Empty,
        amount(&r.later),
        Cell::Empty,
    ]);
    rows.push(vec![
        text("Incertain"),
        Cell::Empty,
        Cell::Empty,
        amount(&r.uncertain),
        Cell::Empty,
    ]);
    rows.push(vec![
        text("TOTAL"),
        Cell::Empty,
        Cell::Empty,
        amount(&r.total),
        amount(&encaisse_domain::format_amount(confirmed)),
    ]);
    Sheet {
        title: format!(
            "Prévision d'encaissements au {}",
            encaisse_domain::format_date_fr(r.as_of)
        ),
        headers: ["Semaine", "Du", "Au", "Encaissement attendu", "Dont confirmé"]
            .map(String::from)
            .to_vec(),
        rows,
    }
}

pub fn accuracy_sheet(r: &ForecastAccuracy) -> Sheet {
    let mut rows = Vec::new();
    for b in &r.backtests {
        for (i, w) in b.weeks.iter().enumerate() {
            rows.push(vec![
                Cell::Date(b.as_of),
                text(format!("S{}", i + 1)),
                Cell::Date(w.start),
                Cell::Date(w.end),
                amount(&w.expected),
                amount(&w.actual),
            ]);
        }
    }
    Sheet {
        title: format!(
            "Fiabilité de la prévision au {} (erreur pondérée {} semaines : {})",
            encaisse_domain::format_date_fr(r.as_of),
            r.horizon_weeks,
            r.weighted_absolute_error
                .map_or_else(|| "n/d".to_string(), |e| format!("{e:.1} %").replace('.', ","))
        ),
        headers: ["Prévision du", "Semaine", "Du", "Au", "Prévu", "Encaissé"]
            .map(String::from)
            .to_vec(),
        rows,
    }
}

pub fn d441_6_sheet(r: &D4416Report) -> Sheet {
    let row = |label: String, b: &crate::reports::D4416Band| {
        vec![
            text(label),
            Cell::Int(i64::from(b.invoices)),
            amount(&b.amount),
            Cell::Decimal(b.share),
        ]
    };
    let mut rows: Vec<Vec<Cell>> = r
        .bands
        .iter()
        .map(|b| {
            let label = match b.band.as_str() {
                "91+" => "91 jours et plus".to_string(),
                other => format!("{} jours", other.replace('-', " à ")),
            };
            row(label, b)
        })
        .collect();
    rows.push(row("Total (1 jour et plus)".into(), &r.total));
    rows.push(vec![
        text("Factures exclues (litigieuses)"),
        Cell::Int(i64::from(r.disputed.invoices)),
        amount(&r.disputed.amount),
        Cell::Empty,
    ]);
    rows.push(vec![
        text("Chiffre d'affaires HT de l'exercice"),
        Cell::Empty,
        r.turnover.as_deref().map_or(Cell::Empty, amount),
        Cell::Empty,
    ]);
    rows.push(vec![
        text(format!(
            "Délais de paiement de référence : {} ({})",
            if r.reference_terms == "contractual" {
                "contractuels"
            } else {
                "légaux"
            },
            r.default_terms
                .parse::<encaisse_domain::Terms>()
                .map_or_else(|_| r.default_terms.clone(), |t| t.in_french())
        )),
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
    ]);
    Sheet {
        title: format!(
            "Tableau D441-6 — factures émises non réglées à la date de clôture dont le terme est échu, clôture {}",
            encaisse_domain::format_date_fr(r.year_end)
        ),
        headers: ["Tranche de retard", "Nombre de factures", "Montant TTC", "% du CA HT de l'exercice"]
            .map(String::from)
            .to_vec(),
        rows,
    }
}

/// The penalty statement: one row per part paid, the invoice's indemnity on its first row, waived invoices marked
/// with their reason (their amounts out of the totals row).
pub fn penalties_sheet(r: &crate::penalties::PenaltiesReport) -> Sheet {
    let mut rows = Vec::new();
    for (c, info) in r.statement.customers.iter().zip(&r.customers) {
        for inv in &c.invoices {
            for (i, p) in inv.paid_parts.iter().enumerate() {
                let first = i == 0;
                rows.push(vec![
                    text(c.id.clone()),
                    text(info.name.clone()),
                    text(info.basis.clone()),
                    text(inv.invoice.clone()),
                    Cell::Date(inv.due_date),
                    Cell::Date(p.date),
                    amount(&p.amount),
                    Cell::Int(i64::from(p.days_late)),
                    amount(&p.interest),
                    if first {
                        amount(&inv.indemnity)
                    } else {
                        Cell::Empty
                    },
                    text(if inv.waived { "oui" } else { "non" }),
                    opt_text(&inv.waiver_reason),
                ]);
            }
        }
    }
    let mut total = vec![text("Total (hors pénalités abandonnées)")];
    total.extend(std::iter::repeat_n(Cell::Empty, 7));
    total.extend([
        amount(&r.statement.interest),
        amount(&r.statement.indemnities),
        Cell::Empty,
        Cell::Empty,
    ]);
    rows.push(total);
    let period = match (r.from, r.to) {
        (Some(f), Some(t)) => format!(
            ", paiements du {} au {}",
            encaisse_domain::format_date_fr(f),
            encaisse_domain::format_date_fr(t)
        ),
        (Some(f), None) => format!(", paiements depuis le {}", encaisse_domain::format_date_fr(f)),
        (None, Some(t)) => format!(", paiements jusqu'au {}", encaisse_domain::format_date_fr(t)),
        (None, None) => String::new(),
    };
    Sheet {
        title: format!(
            "Pénalités de retard sur factures payées en retard au {}{period}",
            encaisse_domain::format_date_fr(r.as_of)
        ),
        headers: [
            "Client",
            "Nom",
            "Base légale",
            "Facture",
            "Échéance",
            "Date de paiement",
            "Montant payé",
            "Jours de retard",
            "Intérêts",
            "Indemnité forfaitaire",
            "Abandonnée",
            "Motif de l'abandon",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    }
}

/// French number: decimal comma.
fn comma(s: &str) -> String {
    s.replace('.', ",")
}

fn csv_err(e: csv::Error) -> AppError {
    AppError::Io(e.to_string())
}

/// The two CSV dialects of the exports. Both go through [`write_csv`], the one CSV writer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvStyle {
    /// For a French spreadsheet: `;`, decimal comma, dates DD/MM/YYYY, UTF-8 with BOM.
    French,
    /// For programs: `,`, decimal point, dates YYYY-MM-DD, no BOM (`encaisse aging --format csv`).
    Plain,
}

/// The characters that make a spreadsheet read a cell as a formula (or hide what follows) when a cell starts with
/// one: OWASP's CSV injection list.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell as written to a CSV: one starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a `'`
/// in front (OWASP's rule against CSV injection: `=cmd|' /C calc'!A0` from an imported name stays text in Excel),
/// unless it is a plain number ("-12.50" stays a number).
pub fn neutralise_cell(text: &str) -> std::borrow::Cow<'_, str> {
    let dangerous = text.starts_with(FORMULA_STARTS);
    if dangerous && Decimal::from_str(text.trim()).is_err() {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// The one CSV writer of every export (reports, the audit trail, the CLI's `aging --format csv`): the title on no
/// line, the headers, then the rows. Text cells are neutralised ([`neutralise_cell`]); amounts, counts, percents
/// and dates are written as numbers and dates of the style.
pub fn write_csv(sheet: &Sheet, style: CsvStyle, out: impl std::io::Write) -> AppResult<()> {
    let (delimiter, bom): (u8, &[u8]) = match style {
        CsvStyle::French => (b';', b"\xEF\xBB\xBF"),
        CsvStyle::Plain => (b',', b""),
    };
    let mut out = out;
    out.write_all(bom).map_err(|e| AppError::Io(e.to_string()))?;
    let mut w = csv::WriterBuilder::new().delimiter(delimiter).from_writer(out);
    let number = |s: &str| match style {
        CsvStyle::French => comma(s),
        CsvStyle::Plain => s.to_string(),
    };
    let headers: Vec<_> = sheet.headers.iter().map(|h| neutralise_cell(h)).collect();
    w.write_record(headers.iter().map(|h| h.as_bytes()))
        .map_err(csv_err)?;
    for row in &sheet.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| match c {
                Cell::Text(s) => neutralise_cell(s).into_owned(),
                // An amount is a number of the contracts ("-1234.50"); anything else in one is text.
                Cell::Amount(s) if Decimal::from_str(s).is_ok() => number(s),
                Cell::Amount(s) => neutralise_cell(s).into_owned(),
                Cell::Int(n) => n.to_string(),
                Cell::Decimal(v) => v.map_or_else(String::new, |v| number(&v.to_string())),
                Cell::Date(d) => match style {
                    CsvStyle::French => encaisse_domain::format_date_fr(*d),
                    CsvStyle::Plain => d.to_string(),
                },
                Cell::Empty => String::new(),
            })
            .collect();
        w.write_record(&cells).map_err(csv_err)?;
    }
    w.flush().map_err(|e| AppError::Io(e.to_string()))
}

/// CSV for a French spreadsheet ([`CsvStyle::French`] through [`write_csv`]).
pub fn to_csv(sheet: &Sheet) -> AppResult<Vec<u8>> {
    let mut bytes = Vec::new();
    write_csv(sheet, CsvStyle::French, &mut bytes)?;
    Ok(bytes)
}

/// A printable PDF of the sheet (A4 landscape, headers on every page, amounts as 1 234,56 €, dates as 26/11/2026),
/// with the company's name under the title.
pub fn to_pdf(sheet: &Sheet, company: &str) -> AppResult<Vec<u8>> {
    use encaisse_letters::{Table, TableCell};
    let cell = |c: &Cell| match c {
        Cell::Text(s) => TableCell::text(s.clone()),
        Cell::Amount(s) => TableCell::number(
            Decimal::from_str(s).map_or_else(|_| s.clone(), encaisse_domain::format_amount_fr),
        ),
        Cell::Int(n) => TableCell::number(n.to_string()),
        Cell::Decimal(v) => TableCell::number(v.map_or_else(String::new, decimal_fr)),
        Cell::Date(d) => TableCell::text(encaisse_domain::format_date_fr(*d)),
        Cell::Empty => TableCell::text(""),
    };
    Ok(encaisse_letters::render_table(&Table {
        title: sheet.title.clone(),
        subtitle: company.to_string(),
        headers: sheet.headers.clone(),
        rows: sheet.rows.iter().map(|r| r.iter().map(cell).collect()).collect(),
    }))
}

/// A percentage or a number of days as printed: at most two decimals, a decimal comma ("12,5", "3").
fn decimal_fr(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.replace('.', ",")
}

/// The amount as a spreadsheet number: a cell holds an IEEE double, so this is where money becomes one, for
/// display only (two decimals survive the conversion exactly enough for any amount below 2^53 cents).
#[allow(clippy::disallowed_methods)]
fn amount_for_cell(s: &str) -> Option<f64> {
    use rust_decimal::prelude::ToPrimitive;
    Decimal::from_str(s).ok().and_then(|d| d.to_f64())
}

fn xlsx_err(e: rust_xlsxwriter::XlsxError) -> AppError {
    AppError::Io(format!("xlsx: {e}"))
}

/// The worksheet's name (the tab): the title without its date or details — what comes before " au ", " du ",
/// " — " or " (" —, without the characters a sheet name cannot hold, at most 31 characters (cut between words).
pub fn sheet_name(title: &str) -> String {
    let end = [" au ", " du ", " — ", " ("]
        .iter()
        .filter_map(|sep| title.find(sep))
        .min()
        .unwrap_or(title.len());
    let name: String = title[..end]
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .collect();
    let name = name.trim().trim_matches('\'');
    if name.chars().count() <= 31 {
        return if name.is_empty() {
            "Feuille1".into()
        } else {
            name.to_string()
        };
    }
    let cut: String = name.chars().take(32).collect();
    match cut.rfind(' ') {
        Some(i) if i > 0 => cut[..i].trim_end().to_string(),
        _ => cut.chars().take(31).collect(),
    }
}

/// An XLSX workbook of one sheet named after the title ([`sheet_name`]): the title on the first row, bold headers
/// on the second, amounts as numbers formatted `# ##0,00` (the spreadsheet's locale shows the separators), dates as
/// dates.
pub fn to_xlsx(sheet: &Sheet) -> AppResult<Vec<u8>> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet_name(&sheet.title)).map_err(xlsx_err)?;
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    let one = Format::new().set_num_format("0.0");
    let date = Format::new().set_num_format("dd/mm/yyyy");
    ws.write_string_with_format(0, 0, &sheet.title, &bold)
        .map_err(xlsx_err)?;
    for (c, h) in sheet.headers.iter().enumerate() {
        let col = u16::try_from(c).map_err(|_| AppError::Io("xlsx: too many columns".into()))?;
        ws.write_string_with_format(1, col, h, &bold).map_err(xlsx_err)?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        let line = u32::try_from(r + 2).map_err(|_| AppError::Io("xlsx: too many rows".into()))?;
        for (c, cell) in row.iter().enumerate() {
            let col = u16::try_from(c).map_err(|_| AppError::Io("xlsx: too many columns".into()))?;
            match cell {
                Cell::Text(s) => {
                    ws.write_string(line, col, s).map_err(xlsx_err)?;
                }
                Cell::Amount(s) => match amount_for_cell(s) {
                    Some(v) => {
                        ws.write_number_with_format(line, col, v, &money)
                            .map_err(xlsx_err)?;
                    }
                    None => {
                        ws.write_string(line, col, s).map_err(xlsx_err)?;
                    }
                },
                Cell::Int(n) => {
                    let v = i32::try_from(*n).map_err(|_| AppError::Io("xlsx: number too large".into()))?;
                    ws.write_number(line, col, f64::from(v)).map_err(xlsx_err)?;
                }
                Cell::Decimal(Some(v)) => {
                    ws.write_number_with_format(line, col, *v, &one)
                        .map_err(xlsx_err)?;
                }
                Cell::Date(d) => {
                    let x = ExcelDateTime::from_ymd(
                        u16::try_from(d.year())
                            .map_err(|_| AppError::Io("xlsx: date out of range".into()))?,
                        u8::try_from(d.month()).unwrap_or(1),
                        u8::try_from(d.day()).unwrap_or(1),
                    )
                    .map_err(xlsx_err)?;
                    ws.write_datetime_with_format(line, col, x, &date)
                        .map_err(xlsx_err)?;
                }
                Cell::Decimal(None) | Cell::Empty => {}
            }
        }
    }
    ws.set_freeze_panes(2, 0).map_err(xlsx_err)?;
    ws.autofit();
    wb.save_to_buffer().map_err(xlsx_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet() -> Sheet {
        Sheet {
            title: "Titre".into(),
            headers: vec!["Client".into(), "Solde".into(), "Date".into(), "Part".into()],
            rows: vec![vec![
                text("Café; \"gare\""),
                amount("-1234.50"),
                Cell::Date(NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()),
                Cell::Decimal(Some(12.5)),
            ]],
        }
    }

    #[test]
    fn french_csv() {
        let bytes = to_csv(&sheet()).unwrap();
        let s = String::from_utf8(bytes).unwrap();
        assert_eq!(
            s,
            "\u{feff}Client;Solde;Date;Part\n\"Café; \"\"gare\"\"\";-1234,50;26/11/2026;12,5\n"
        );
    }

    #[test]
    fn text_cells_that_a_spreadsheet_would_run_get_a_quote() {
        let sheet = Sheet {
            title: "Titre".into(),
            headers: vec!["=Code".into(), "Client".into(), "Solde".into(), "Jours".into()],
            rows: [
                "=cmd|' /C calc'!A0",
                "+33 1 23 45",
                "-2+3",
                "@SUM(A1)",
                "\tx",
                "\rx",
                "-12.50",
                "Café",
            ]
            .iter()
            .map(|t| vec![text(*t), text("x"), amount("-1234.50"), Cell::Int(-3)])
            .collect(),
        };
        let french = String::from_utf8(to_csv(&sheet).unwrap()).unwrap();
        let first: Vec<&str> = french
            .trim_start_matches('\u{feff}')
            .split('\n')
            .map(|l| l.split(';').next().unwrap())
            .collect();
        assert_eq!(
            first,
            [
                "'=Code",
                "'=cmd|' /C calc'!A0",
                "'+33 1 23 45",
                "'-2+3",
                "'@SUM(A1)",
                "'\tx",
                "\"'\rx\"",
                "-12.50",
                "Café",
                ""
            ]
        );
        // Numbers stay numbers.
        assert!(french.contains(";x;-1234,50;-3\n"), "{french}");
        let mut plain = Vec::new();
        write_csv(&sheet, CsvStyle::Plain, &mut plain).unwrap();
        let plain = String::from_utf8(plain).unwrap();
        assert!(
            plain.starts_with("'=Code,Client,Solde,Jours\n'=cmd|' /C calc'!A0,x,-1234.50,-3\n"),
            "{plain}"
        );
    }

    #[test]
    fn sheet_names_are_the_titles_without_their_dates() {
        assert_eq!(sheet_name("Balance âgée au 26/11/2026"), "Balance âgée");
        assert_eq!(
            sheet_name("Balance âgée par risk_class au 26/11/2026"),
            "Balance âgée par risk_class"
        );
        assert_eq!(
            sheet_name("Fiabilité de la prévision au 26/11/2026 (erreur pondérée 4 semaines : 12,5 %)"),
            "Fiabilité de la prévision"
        );
        assert_eq!(
            sheet_name("Tableau D441-6 — factures émises, clôture 31/12/2025"),
            "Tableau D441-6"
        );
        assert_eq!(
            sheet_name("Journal d'audit du 01/01/2026 au 31/01/2026"),
            "Journal d'audit"
        );
        // At most 31 characters, cut between words; no character a sheet name refuses.
        assert_eq!(
            sheet_name("Balance âgée par customer_segment au 26/11/2026"),
            "Balance âgée par"
        );
        assert_eq!(
            sheet_name("Relances 2026/11: [brouillon]"),
            "Relances 2026-11- -brouillon-"
        );
        assert_eq!(sheet_name(""), "Feuille1");
    }

    #[test]
    fn xlsx_is_a_zip_with_the_sheet() {
        let bytes = to_xlsx(&sheet()).unwrap();
        assert_eq!(&bytes[..2], b"PK");
        assert!(bytes.len() > 1000);
    }
}
