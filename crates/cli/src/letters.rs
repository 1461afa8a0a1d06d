//! Letters from a terminal: `encaisse letter notice` (the formal notice PDF, and its claim as JSON), `encaisse
//! letter reminder` (a reminder letter from the step's email template), `encaisse letters batch` (every letter of
//! the day's agenda in one PDF) and `encaisse report aging` (the printable aged balance).

use chrono::NaiveDate;
use clap::Subcommand;
use encaisse_app::letters::{LetterRequest, LetterSettings, NoticeOptions, RateRow, RatesDto, SegmentKind};
use encaisse_app::{App, AppError};
use encaisse_domain::DebtorKind;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Subcommand)]
pub enum LetterCommand {
    /// The formal notice ("mise en demeure de payer") of a customer: its invoices past due, the late-payment
    /// penalties (ECB + 10 points by half-year, L441-10), the EUR 40 indemnity per invoice (D441-5), the deadline.
    Notice {
        /// The customer's key (as in `encaisse aging`).
        #[arg(long)]
        customer: String,
        /// YYYY-MM-DD; today by default.
        #[arg(long, value_parser = crate::date_arg)]
        as_of: Option<NaiveDate>,
        /// Where to write the PDF.
        #[arg(long)]
        out: PathBuf,
        /// Also print the claim as JSON.
        #[arg(long)]
        json: bool,
        /// Claim this letter as from a public buyer (R2192-31: ECB + 8 points); by default the debtor's kind says
        /// it (its category, else its segment's mapping: `encaisse letters debtor-kinds`).
        #[arg(long)]
        public_body: bool,
        /// Days granted to pay from the letter's receipt (8 by default, or the letter settings').
        #[arg(long)]
        deadline_days: Option<u32>,
        /// A contractual rate in percent per year instead of the statutory one.
        #[arg(long)]
        contractual_rate: Option<String>,
        /// Also claim the invoices under an open dispute or a running promise (left out and listed as "excluded"
        /// by default); a warning names each one.
        #[arg(long)]
        include_held: bool,
    },
    /// The "relevé des pénalités de retard" of a customer: interest and EUR 40 indemnities on its invoices paid
    /// late (a statement / note de débit, not an invoice of the sales journal).
    Penalties {
        #[arg(long)]
        customer: String,
        /// Payment dates from (YYYY-MM-DD).
        #[arg(long, value_parser = crate::date_arg)]
        from: Option<NaiveDate>,
        /// Payment dates up to (YYYY-MM-DD).
        #[arg(long, value_parser = crate::date_arg)]
        to: Option<NaiveDate>,
        /// The statement's date; today by default.
        #[arg(long, value_parser = crate::date_arg)]
        as_of: Option<NaiveDate>,
        #[arg(long)]
        out: PathBuf,
    },
    /// A reminder letter for a step of the collections workflow (reminder_1…3, personal_letter, or a letter step
    /// of a user scenario), written from the same template as the email, the invoices drawn as a table.
    Reminder {
        #[arg(long)]
        customer: String,
        /// The step; the customer's letter action on the day's agenda by default.
        #[arg(long)]
        step: Option<String>,
        #[arg(long, value_parser = crate::date_arg)]
        as_of: Option<NaiveDate>,
        #[arg(long)]
        out: PathBuf,
        /// Record the letter as printed (the workflow's "letter" action of the step: the agenda moves on).
        #[arg(long)]
        record: bool,
        /// Who printed it (recorded with the action).
        #[arg(long = "by", env = "ENCAISSE_USER", default_value = "")]
        user: String,
    },
}

/// The letter settings to change; an empty value ("") clears a setting.
#[derive(clap::Args)]
pub struct LetterSettingsArgs {
    /// Who signs the letters (the signature block of the formal notice).
    #[arg(long)]
    signatory_name: Option<String>,
    /// The signatory's title ("Directrice administrative et financière").
    #[arg(long)]
    signatory_title: Option<String>,
    /// Where letters are written ("Lyon"); the city of the company's address by default.
    #[arg(long)]
    place: Option<String>,
    #[arg(long)]
    account_holder: Option<String>,
    #[arg(long)]
    iban: Option<String>,
    #[arg(long)]
    bic: Option<String>,
    /// Days granted to pay from a formal notice's receipt (8 by default).
    #[arg(long)]
    deadline_days: Option<u32>,
    /// A contractual late-payment rate in percent per year ("" for the statutory one).
    #[arg(long)]
    contractual_rate: Option<String>,
    /// The company's legal form on the letterhead ("SAS", "SARL"…).
    #[arg(long)]
    legal_form: Option<String>,
    /// The company's share capital in euros ("250000"), on the letterhead.
    #[arg(long)]
    share_capital: Option<String>,
    /// The city of the trade register (RCS) the company is registered at ("Lyon").
    #[arg(long)]
    rcs_city: Option<String>,
    /// Who made the change (audit trail).
    #[arg(long = "by", env = "ENCAISSE_USER", default_value = "")]
    by: String,
}

impl LetterSettingsArgs {
    fn apply(self, s: &mut LetterSettings) -> bool {
        let mut changed = false;
        let mut set = |field: &mut Option<String>, value: Option<String>| {
            if let Some(v) = value {
                *field = Some(v.trim().to_string()).filter(|v| !v.is_empty());
                changed = true;
            }
        };
        set(&mut s.signatory_name, self.signatory_name);
        set(&mut s.signatory_title, self.signatory_title);
        set(&mut s.place, self.place);
        set(&mut s.account_holder, self.account_holder);
        set(&mut s.iban, self.iban);
        set(&mut s.bic, self.bic);
        set(&mut s.contractual_rate, self.contractual_rate);
        set(&mut s.legal_form, self.legal_form);
        set(&mut s.share_capital, self.share_capital);
        set(&mut s.rcs_city, self.rcs_city);
        if let Some(d) = self.deadline_days {
            s.deadline_days = Some(d);
            changed = true;
        }
        changed
    }
}

#[derive(Subcommand)]
pub enum LettersCommand {
    /// Shows the letter settings as JSON, after changing those given (signatory, place, bank details, deadline,
    /// contractual rate, the company's legal mentions).
    Settings(LetterSettingsArgs),
    /// The rates table of the penalties as JSON (ECB and legal interest rates by half-year, newest first, each
    /// with its `confirmed` flag), after the changes given: `--ecb 2027-01-01=1.90` sets a half-year's ECB rate,
    /// `--legal` a legal interest rate ("all other cases"), `--legal-individuals` the one for creditors who are
    /// individuals (a rate typed is confirmed), `--to-confirm ecb=2026-07-01` marks a half-year's rate as not yet
    /// checked against the published text, `--confirm` as checked; `--reset` goes back to the built-in table.
    Rates {
        /// FROM=RATE, FROM being 1 January or 1 July (repeatable).
        #[arg(long = "ecb", value_name = "FROM=RATE")]
        ecb: Vec<String>,
        /// FROM=RATE of the legal interest rate, all other cases (repeatable).
        #[arg(long = "legal", value_name = "FROM=RATE")]
        legal: Vec<String>,
        /// FROM=RATE of the legal interest rate for creditors who are individuals (repeatable).
        #[arg(long = "legal-individuals", value_name = "FROM=RATE")]
        legal_individuals: Vec<String>,
        /// LIST=FROM: the rate is confirmed (LIST: ecb, legal or legal-individuals; repeatable).
        #[arg(long = "confirm", value_name = "LIST=FROM")]
        confirm: Vec<String>,
        /// LIST=FROM: the rate is to confirm (repeatable).
        #[arg(long = "to-confirm", value_name = "LIST=FROM")]
        to_confirm: Vec<String>,
        #[arg(long, conflicts_with_all = ["ecb", "legal", "legal_individuals", "confirm", "to_confirm"])]
        reset: bool,
        #[arg(long = "by", env = "ENCAISSE_USER", default_value = "")]
        by: String,
    },
    /// The kind of debtor each customer segment is (professional, public_body or private_person), which decides
    /// what a letter claims; a customer's category public_body or private_person comes first, a segment not listed
    /// is professional. Shows the mapping after the changes given.
    DebtorKinds {
        /// SEGMENT=KIND: the customers of the segment are of that kind (repeatable).
        #[arg(long = "segment", value_name = "SEGMENT=KIND")]
        segment: Vec<String>,
        /// A segment no longer mapped (its customers are professionals unless their category says otherwise).
        #[arg(long = "clear", value_name = "SEGMENT")]
        clear: Vec<String>,
        /// Print the mapping as JSON.
        #[arg(long)]
        json: bool,
        #[arg(long = "by", env = "ENCAISSE_USER", default_value = "")]
        by: String,
    },
    /// Every letter action of the day's agenda in one PDF (formal notices and reminder letters), each starting on
    /// a new sheet with its own page numbers.
    Batch {
        #[arg(long, value_parser = crate::date_arg)]
        as_of: Option<NaiveDate>,
        #[arg(long)]
        out: PathBuf,
        /// Record each letter as printed (the workflow's "letter" action: those customers leave the agenda).
        #[arg(long)]
        record: bool,
        #[arg(long = "by", env = "ENCAISSE_USER", default_value = "")]
        user: String,
        /// Print the list of letters as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum PrintCommand {
    /// The aged balance as a printable PDF (A4 landscape).
    Aging {
        #[arg(long, value_parser = crate::date_arg)]
        as_of: Option<NaiveDate>,
        #[arg(long)]
        out: PathBuf,
    },
    #[command(flatten)]
    Daily(crate::mail::DailyCommand),
}

/// "2027-01-01=1.90" → the row (the app checks the date is a half-year's first day and the rate).
fn rate_row(flag: &str, given: &str) -> Result<RateRow, AppError> {
    let (from, rate) = given.split_once('=').ok_or_else(|| {
        AppError::InvalidInput(format!("{flag} {given}: expected FROM=RATE (2027-01-01=1.90)"))
    })?;
    let from =
        crate::date_arg(from.trim()).map_err(|e| AppError::InvalidInput(format!("{flag} {given}: {e}")))?;
    Ok(RateRow {
        from,
        rate: rate.trim().to_string(),
        confirmed: true,
    })
}

/// `--confirm ecb=2026-07-01`: sets the flag of that half-year's rate, which must be in the list.
fn set_confirmed(rates: &mut RatesDto, flag: &str, given: &str, confirmed: bool) -> Result<(), AppError> {
    let bad = |why: String| AppError::InvalidInput(format!("{flag} {given}: {why}"));
    let (list, from) = given
        .split_once('=')
        .ok_or_else(|| bad("expected LIST=FROM (ecb=2026-07-01)".into()))?;
    let from = crate::date_arg(from.trim()).map_err(bad)?;
    let rows = match list.trim() {
        "ecb" => &mut rates.ecb,
        "legal" => &mut rates.legal_interest,
        "legal-individuals" => &mut rates.legal_interest_individuals,
        other => return Err(bad(format!("{other} is not ecb, legal or legal-individuals"))),
    };
    let row = rows.iter_mut().find(|r| r.from == from).ok_or_else(|| {
        bad(format!(
            "the table has no rate from {from} in that list: add it first"
        ))
    })?;
    row.confirmed = confirmed;
    Ok(())
}

/// `--segment secteur_public=public_body` → (segment, kind).
fn segment_kind(given: &str) -> Result<SegmentKind, AppError> {
    let bad = |why: &str| AppError::InvalidInput(format!("--segment {given}: {why}"));
    let (segment, kind) = given
        .split_once('=')
        .ok_or_else(|| bad("expected SEGMENT=KIND (secteur_public=public_body)"))?;
    let kind = kind
        .trim()
        .parse::<DebtorKind>()
        .map_err(|_| bad("the kind is professional, public_body or private_person"))?;
    Ok(SegmentKind {
        segment: segment.trim().to_string(),
        kind,
    })
}

/// Set when `letters batch` left some letters out: the command then exits 2.
static LEFT_OUT: AtomicBool = AtomicBool::new(false);

/// Some letters of the batch were left out (exit code 2).
pub fn some_left_out() -> bool {
    LEFT_OUT.load(Ordering::Relaxed)
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), AppError> {
    std::fs::write(path, bytes).map_err(|e| AppError::Io(format!("{}: {e}", path.display())))
}

pub fn run_letter(app: &App, cmd: LetterCommand, out: &mut impl Write) -> Result<(), AppError> {
    let io = |e: std::io::Error| AppError::Io(e.to_string());
    match cmd {
        LetterCommand::Notice {
            customer,
            as_of,
            out: file,
            json,
            public_body,
            deadline_days,
            contractual_rate,
            include_held,
        } => {
            let options = NoticeOptions {
                public_body: public_body.then_some(true),
                deadline_days,
                contractual_rate,
                intro: None,
                include_held: include_held.then_some(true),
            };
            let letter = app.notice(&customer, as_of, &options)?;
            write_file(&file, &letter.pdf)?;
            for w in &letter.warnings {
                eprintln!("encaisse: warning: {w}");
            }
            if json {
                let text = serde_json::to_string(&letter.claim).map_err(|e| AppError::Io(e.to_string()))?;
                writeln!(out, "{text}").map_err(io)?;
            } else {
                writeln!(
                    out,
                    "{}: formal notice to {} as of {}: {} invoice(s), to pay {}",
                    file.display(),
                    letter.claim.customer,
                    letter.claim.as_of,
                    letter.claim.invoices.len(),
                    letter.claim.to_pay
                )
                .map_err(io)?;
                for e in &letter.claim.excluded {
                    let why = if e.reason == "dispute" {
                        "open dispute"
                    } else {
                        "running promise"
                    };
                    writeln!(out, "  left out: {} ({why})", e.invoice).map_err(io)?;
                }
            }
        }
        LetterCommand::Penalties {
            customer,
            from,
            to,
            as_of,
            out: file,
        } => {
            let query = encaisse_app::penalties::PenaltiesQuery {
                as_of,
                from,
                to,
                customer: Some(customer.clone()),
            };
            write_file(&file, &app.penalty_statement_pdf(&query)?)?;
            writeln!(out, "{}: penalty statement of {customer}", file.display()).map_err(io)?;
        }
        LetterCommand::Reminder {
            customer,
            step,
            as_of,
            out: file,
            record,
            user,
        } => {
            let req = LetterRequest {
                customer,
                step,
                as_of,
                ..LetterRequest::default()
            };
            // Recorded only once the file is written (the CLI prints nothing itself: the file is the letter).
            let (preview, recorded) = if record {
                app.set_actor(encaisse_app::Actor::named(user));
                let p = app.print_letter(&req, |pdf, _| write_file(&file, pdf))?;
                (p.preview, true)
            } else {
                let (pdf, preview) = app.letter_pdf(&req)?;
                write_file(&file, &pdf)?;
                (preview, false)
            };
            writeln!(
                out,
                "{}: {} letter to {} as of {}: {} invoice(s), {} page(s){}",
                file.display(),
                preview.step,
                preview.customer,
                preview.as_of,
                preview.invoices.len(),
                preview.pages,
                if recorded { ", recorded as printed" } else { "" }
            )
            .map_err(io)?;
        }
    }
    Ok(())
}

pub fn run_letters(app: &App, cmd: LettersCommand, out: &mut impl Write) -> Result<(), AppError> {
    let io = |e: std::io::Error| AppError::Io(e.to_string());
    match cmd {
        LettersCommand::Settings(args) => {
            let mut settings = app.letter_settings()?;
            let by = args.by.clone();
            if args.apply(&mut settings) {
                settings = app.save_letter_settings(&settings, &by)?;
            }
            let text = serde_json::to_string(&settings).map_err(|e| AppError::Io(e.to_string()))?;
            writeln!(out, "{text}").map_err(io)?;
        }
        LettersCommand::Rates {
            ecb,
            legal,
            legal_individuals,
            confirm,
            to_confirm,
            reset,
            by,
        } => {
            let rates = if reset {
                app.reset_rates(None, &by)?
            } else if [&ecb, &legal, &legal_individuals, &confirm, &to_confirm]
                .iter()
                .all(|l| l.is_empty())
            {
                app.rates()?
            } else {
                let mut rates = app.rates()?;
                for (list, given, flag) in [
                    (&mut rates.ecb, ecb, "--ecb"),
                    (&mut rates.legal_interest, legal, "--legal"),
                    (
                        &mut rates.legal_interest_individuals,
                        legal_individuals,
                        "--legal-individuals",
                    ),
                ] {
                    for g in given {
                        let row = rate_row(flag, &g)?;
                        list.retain(|r| r.from != row.from);
                        list.push(row);
                    }
                }
                for g in &confirm {
                    set_confirmed(&mut rates, "--confirm", g, true)?;
                }
                for g in &to_confirm {
                    set_confirmed(&mut rates, "--to-confirm", g, false)?;
                }
                app.save_rates(&rates, &by)?
            };
            let text = serde_json::to_string(&rates).map_err(|e| AppError::Io(e.to_string()))?;
            writeln!(out, "{text}").map_err(io)?;
        }
        LettersCommand::DebtorKinds {
            segment,
            clear,
            json,
            by,
        } => {
            let mut mapping = app.debtor_kind_mapping()?;
            if !segment.is_empty() || !clear.is_empty() {
                for c in &clear {
                    let before = mapping.segments.len();
                    mapping.segments.retain(|s| s.segment != c.trim());
                    if mapping.segments.len() == before {
                        return Err(AppError::InvalidInput(format!(
                            "--clear {c}: the segment is not in the mapping"
                        )));
                    }
                }
                for g in &segment {
                    let row = segment_kind(g)?;
                    mapping.segments.retain(|s| s.segment != row.segment);
                    mapping.segments.push(row);
                }
                mapping = app.save_debtor_kind_mapping(&mapping, &by)?;
            }
            if json {
                let text = serde_json::to_string(&mapping).map_err(|e| AppError::Io(e.to_string()))?;
                writeln!(out, "{text}").map_err(io)?;
            } else if mapping.segments.is_empty() {
                writeln!(
                    out,
                    "no segment mapped: every customer is a professional unless its category says otherwise"
                )
                .map_err(io)?;
            } else {
                for s in &mapping.segments {
                    writeln!(out, "{}\t{}", s.segment, s.kind.as_str()).map_err(io)?;
                }
            }
        }
        LettersCommand::Batch {
            as_of,
            out: file,
            record,
            user,
            json,
        } => {
            app.set_actor(encaisse_app::Actor::named(user));
            // Recorded only once the file is written.
            let batch = if record {
                app.print_letters_batch(as_of, |pdf| write_file(&file, pdf))?
            } else {
                let batch = app.letters_batch(as_of)?;
                write_file(&file, &batch.pdf)?;
                batch
            };
            if json {
                let text = serde_json::to_string(&batch.result()).map_err(|e| AppError::Io(e.to_string()))?;
                writeln!(out, "{text}").map_err(io)?;
            } else {
                for l in &batch.letters {
                    writeln!(
                        out,
                        "{}\t{}\t{}\t{} page(s){}",
                        l.customer,
                        l.step,
                        l.name,
                        l.pages,
                        if l.action_id.is_some() { "\trecorded" } else { "" }
                    )
                    .map_err(io)?;
                }
                let pages: u32 = batch.letters.iter().map(|l| l.pages).sum();
                writeln!(
                    out,
                    "{}: {} letter(s), {pages} page(s)",
                    file.display(),
                    batch.letters.len()
                )
                .map_err(io)?;
            }
            // The letters left out are named on stderr whatever the format (stdout stays the list or the JSON).
            for l in &batch.left_out {
                eprintln!("encaisse: left out ({}): {}", l.step, l.reason);
            }
            if !batch.left_out.is_empty() {
                LEFT_OUT.store(true, Ordering::Relaxed);
            }
        }
    }
    Ok(())
}

pub fn run_print(app: &App, cmd: PrintCommand, out: &mut impl Write) -> Result<(), AppError> {
    match cmd {
        PrintCommand::Aging { as_of, out: file } => {
            let pdf = app.aging_report_pdf(as_of)?;
            write_file(&file, &pdf)?;
            writeln!(out, "{}: aged balance, {} bytes", file.display(), pdf.len())
                .map_err(|e| AppError::Io(e.to_string()))?;
        }
        PrintCommand::Daily(cmd) => crate::mail::run_daily(app, cmd, out)?,
    }
    Ok(())
}
