//! Email from a terminal: `encaisse smtp set|show|test`, `encaisse email settings|preview|send|thanks|templates`,
//! `encaisse report daily [--send]` (for the OS scheduler) and `encaisse audit`.
//!
//! The SMTP password is read from standard input (`--password-stdin`), goes to the OS credential store and is never
//! printed. `ENCAISSE_KEYRING=memory` replaces the credential store by an in-memory one that forgets at exit (tests,
//! or a machine without a keyring where no password is needed).

use chrono::NaiveDate;
use clap::Subcommand;
use encaisse_app::export_file::ExportFormat;
use encaisse_app::mail::{
    CollectorReport, Keyring, MailSettings, PreviewRequest, SaveSmtp, Security, SendEmails,
};
use encaisse_app::{App, AppError};
use std::io::{BufRead, Write};
use std::sync::Arc;

fn io(e: std::io::Error) -> AppError {
    AppError::Io(e.to_string())
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, AppError> {
    serde_json::to_string(v).map_err(|e| AppError::Io(e.to_string()))
}

/// The credential store: the OS's, or an in-memory one with `ENCAISSE_KEYRING=memory`.
pub fn with_keyring_from_env(app: App) -> Result<App, AppError> {
    match std::env::var("ENCAISSE_KEYRING").as_deref() {
        Err(_) | Ok("") | Ok("os") => Ok(app),
        Ok("memory") => Ok(app.with_secrets(Arc::new(Keyring::in_memory()))),
        Ok(other) => Err(AppError::InvalidInput(format!(
            "ENCAISSE_KEYRING: '{other}' (expected os or memory)"
        ))),
    }
}

#[derive(Subcommand)]
pub enum MailCommand {
    /// The SMTP server the emails go through.
    #[command(subcommand)]
    Smtp(SmtpCommand),
    /// Email messages: settings, preview, sending the agenda's emails, thank-you, templates.
    #[command(subcommand)]
    Email(EmailCommand),
    /// The audit trail: what was sent and what changed, oldest first.
    Audit {
        #[arg(long, value_parser = crate::date_arg)]
        from: Option<NaiveDate>,
        #[arg(long, value_parser = crate::date_arg)]
        to: Option<NaiveDate>,
        /// One JSON object per line instead of the table (same as --format json).
        #[arg(long)]
        json: bool,
        /// table, json (one object per line), csv or xlsx (French headers, with --out).
        #[arg(long, value_enum, default_value_t = AuditFormat::Table)]
        format: AuditFormat,
        /// The file to write (required for xlsx; csv goes to standard output without it).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AuditFormat {
    Table,
    Json,
    Csv,
    Xlsx,
    Pdf,
}

#[derive(Subcommand)]
pub enum SmtpCommand {
    /// Saves the server settings; with --password-stdin the password (first line of standard input) goes to the
    /// OS credential store, and nowhere else.
    Set {
        #[arg(long)]
        host: String,
        /// 587 for starttls, 465 for tls, 25 for none by default.
        #[arg(long)]
        port: Option<u16>,
        /// starttls, tls or none.
        #[arg(long, default_value = "starttls")]
        security: Security,
        /// The login; none: no authentication.
        #[arg(long, default_value = "")]
        user: String,
        /// With --security none and --user: send the login and password without encryption anyway (refused
        /// otherwise).
        #[arg(long)]
        allow_insecure_login: bool,
        /// The sender's address.
        #[arg(long = "from")]
        from_address: String,
        /// The sender's name (the company's by default).
        #[arg(long, default_value = "")]
        from_name: String,
        #[arg(long, default_value = "")]
        reply_to: String,
        #[arg(long)]
        password_stdin: bool,
        /// Who made the change (audit trail).
        #[arg(long = "by", env = "ENCAISSE_USER", default_value = "")]
        by: String,
    },
    /// The settings as JSON (never the password: `has_password` tells whether the credential store has it).
    Show,
    /// Sends a test message.
    Test {
        #[arg(long)]
        to: String,
        #[arg(long = "by", env = "ENCAISSE_USER", default_value = "")]
        by: String,
    },
}

#[derive(Subcommand)]
pub enum EmailCommand {
    /// What the messages say about the sender, and who gets the daily report (only the options given change).
    Settings {
        /// fr or en.
        #[arg(long)]
        language: Option<String>,
        #[arg(long)]
        contact_name: Option<String>,
        #[arg(long)]
        contact_email: Option<String>,
        #[arg(long)]
        contact_phone: Option<String>,
        #[arg(long)]
        payment_link: Option<String>,
        /// A recipient of the daily report (repeatable; replaces the list).
        #[arg(long = "report-to")]
        report_to: Vec<String>,
        #[arg(long)]
        thank_you_days: Option<u32>,
        /// HH:MM: the desktop app sends the daily report once a day after this time while it is open ("" = never).
        #[arg(long)]
        report_time: Option<String>,
        /// A collector's own report at that time, as LOGIN=ADDRESS (repeatable; replaces the list).
        #[arg(long = "collector-report", value_name = "LOGIN=ADDRESS")]
        collector_report: Vec<String>,
        /// No collector's own report any more.
        #[arg(long, conflicts_with = "collector_report")]
        no_collector_reports: bool,
        #[arg(long = "by", env = "ENCAISSE_USER", default_value = "")]
        by: String,
    },
    /// The message a customer would get (its action of the day's step, or --step).
    Preview {
        #[arg(long)]
        customer: String,
        /// The template: a step (pre_reminder, reminder_1 …) or thank_you.
        #[arg(long = "step")]
        template: Option<String>,
        #[arg(long, value_parser = crate::date_arg)]
        as_of: Option<NaiveDate>,
        /// fr or en (the settings' by default).
        #[arg(long)]
        lang: Option<String>,
        /// Print the HTML part instead of the text.
        #[arg(long)]
        html: bool,
        #[arg(long)]
        json: bool,
    },
    /// Sends the day's email actions: those that need no validation, and those of the customers given with
    /// --customer (naming them validates them).
    Send {
        #[arg(long, value_parser = crate::date_arg)]
        as_of: Option<NaiveDate>,
        /// Only these customers (repeatable); validates their actions.
        #[arg(long = "customer")]
        customers: Vec<String>,
        /// Show who would get what; send nothing.
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
        #[arg(long = "by", env = "ENCAISSE_USER", default_value = "")]
        by: String,
    },
    /// Customers to thank for paying chased invoices; --send thanks them.
    Thanks {
        #[arg(long, value_parser = crate::date_arg)]
        as_of: Option<NaiveDate>,
        #[arg(long)]
        send: bool,
        #[arg(long = "by", env = "ENCAISSE_USER", default_value = "")]
        by: String,
    },
    /// The templates (built-in or edited) as JSON.
    Templates,
    /// A template as you are writing it (not saved), rendered on a fictional customer, as JSON: what the
    /// desktop's template editor previews.
    Draft {
        /// The template id (a step, thank_you or daily_report).
        #[arg(long)]
        id: String,
        #[arg(long, default_value = "fr")]
        lang: String,
        /// The subject; the saved (or built-in) one when absent.
        #[arg(long)]
        subject: Option<String>,
        /// A file holding the body; the saved (or built-in) one when absent.
        #[arg(long)]
        body_file: Option<std::path::PathBuf>,
    },
}

#[derive(Subcommand)]
pub enum DailyCommand {
    /// The daily report: yesterday's collections, today's agenda, broken promises, new disputes; --send emails it
    /// to the recipients of the email settings (for the OS scheduler).
    Daily {
        #[arg(long, value_parser = crate::date_arg)]
        as_of: Option<NaiveDate>,
        #[arg(long)]
        send: bool,
        #[arg(long)]
        json: bool,
        #[arg(long = "by", env = "ENCAISSE_USER", default_value = "")]
        by: String,
        /// One collector's portfolio (a login): their customers' collections, agenda, broken promises, disputes.
        #[arg(long)]
        collector: Option<String>,
        /// Send to this address instead of the email settings' recipients (repeatable; the collector's own).
        #[arg(long = "to", requires = "send")]
        to: Vec<String>,
    },
}

fn read_password() -> Result<String, AppError> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(io)?;
    let p = line.trim_end_matches(['\r', '\n']).to_string();
    if p.is_empty() {
        return Err(AppError::InvalidInput(
            "--password-stdin: standard input is empty".into(),
        ));
    }
    Ok(p)
}

pub fn run(app: &App, cmd: MailCommand, out: &mut impl Write) -> Result<(), AppError> {
    match cmd {
        MailCommand::Smtp(c) => run_smtp(app, c, out),
        MailCommand::Email(c) => run_email(app, c, out),
        MailCommand::Audit {
            from,
            to,
            json,
            format,
            out: file,
        } => {
            let format = if json { AuditFormat::Json } else { format };
            let sheet = match format {
                AuditFormat::Csv => Some(ExportFormat::Csv),
                AuditFormat::Xlsx => Some(ExportFormat::Xlsx),
                AuditFormat::Pdf => Some(ExportFormat::Pdf),
                AuditFormat::Table | AuditFormat::Json => None,
            };
            if let Some(sheet) = sheet {
                match file {
                    Some(path) => {
                        let done = app.export_audit(from, to, sheet, &path)?;
                        eprintln!("{}: {} events, {} bytes", done.path, done.rows, done.bytes);
                    }
                    None if sheet == ExportFormat::Csv => {
                        out.write_all(&app.audit_export(from, to, sheet)?.0).map_err(io)?;
                    }
                    None => {
                        return Err(AppError::InvalidInput(
                            "--format xlsx or pdf: give the file to write with --out".into(),
                        ))
                    }
                }
                return Ok(());
            }
            if let Some(path) = file {
                return Err(AppError::InvalidInput(format!(
                    "--out {}: only with --format csv, xlsx or pdf",
                    path.display()
                )));
            }
            for e in app.audit_trail(from, to)? {
                if format == AuditFormat::Json {
                    writeln!(out, "{}", to_json(&e)?).map_err(io)?;
                } else {
                    let date = e.date.map(|d| d.to_string()).unwrap_or_default();
                    writeln!(
                        out,
                        "{date}  {:<10} {:<14} {:<12} {:<12} {}",
                        e.user,
                        e.entity,
                        e.entity_id,
                        e.action,
                        e.after.as_deref().unwrap_or("")
                    )
                    .map_err(io)?;
                }
            }
            Ok(())
        }
    }
}

fn run_smtp(app: &App, cmd: SmtpCommand, out: &mut impl Write) -> Result<(), AppError> {
    match cmd {
        SmtpCommand::Set {
            host,
            port,
            security,
            user,
            allow_insecure_login,
            from_address,
            from_name,
            reply_to,
            password_stdin,
            by,
        } => {
            let password = if password_stdin {
                Some(read_password()?)
            } else {
                None
            };
            let saved = app.save_smtp(
                &SaveSmtp {
                    settings: encaisse_app::mail::SmtpSettings {
                        host,
                        port: port.unwrap_or(0),
                        security,
                        user,
                        allow_insecure_login,
                        from_address,
                        from_name,
                        reply_to,
                        has_password: false,
                        version: None,
                    },
                    password,
                },
                &by,
            )?;
            writeln!(out, "{}", to_json(&saved)?).map_err(io)?;
        }
        SmtpCommand::Show => writeln!(out, "{}", to_json(&app.smtp_settings()?)?).map_err(io)?,
        SmtpCommand::Test { to, by } => {
            app.send_test_email(&to, &by)?;
            writeln!(out, "test email sent to {}", to.trim()).map_err(io)?;
        }
    }
    Ok(())
}

fn run_email(app: &App, cmd: EmailCommand, out: &mut impl Write) -> Result<(), AppError> {
    match cmd {
        EmailCommand::Settings {
            language,
            contact_name,
            contact_email,
            contact_phone,
            payment_link,
            report_to,
            thank_you_days,
            report_time,
            collector_report,
            no_collector_reports,
            by,
        } => {
            let mut s: MailSettings = app.mail_settings()?;
            if no_collector_reports {
                s.collector_reports.clear();
            }
            if !collector_report.is_empty() {
                s.collector_reports = collector_report
                    .iter()
                    .map(|given| match given.split_once('=') {
                        Some((collector, address)) => Ok(CollectorReport {
                            collector: collector.to_string(),
                            address: address.to_string(),
                        }),
                        None => Err(AppError::InvalidInput(format!(
                            "--collector-report: '{given}' is not LOGIN=ADDRESS"
                        ))),
                    })
                    .collect::<Result<_, _>>()?;
            }
            let set = |field: &mut String, v: Option<String>| {
                if let Some(v) = v {
                    *field = v;
                }
            };
            set(&mut s.language, language);
            set(&mut s.contact_name, contact_name);
            set(&mut s.contact_email, contact_email);
            set(&mut s.contact_phone, contact_phone);
            set(&mut s.payment_link, payment_link);
            set(&mut s.report_time, report_time);
            if !report_to.is_empty() {
                s.report_recipients = report_to;
            }
            if thank_you_days.is_some() {
                s.thank_you_days = thank_you_days;
            }
            writeln!(out, "{}", to_json(&app.save_mail_settings(&s, &by)?)?).map_err(io)?;
        }
        EmailCommand::Preview {
            customer,
            template,
            as_of,
            lang,
            html,
            json,
        } => {
            let p = app.preview_email(&PreviewRequest {
                customer,
                template,
                as_of,
                lang,
                ..PreviewRequest::default()
            })?;
            if json {
                writeln!(out, "{}", to_json(&p)?).map_err(io)?;
            } else if html {
                write!(out, "{}", p.html).map_err(io)?;
            } else {
                writeln!(out, "To: {}", p.to.as_deref().unwrap_or("(no email address)")).map_err(io)?;
                writeln!(out, "Subject: {}\n", p.subject).map_err(io)?;
                write!(out, "{}", p.text).map_err(io)?;
            }
        }
        EmailCommand::Send {
            as_of,
            customers,
            dry_run,
            json,
            by,
        } => {
            let agenda = app.agenda(as_of)?;
            let chosen: Vec<String> = agenda
                .actions
                .iter()
                .filter(|a| a.channel.split('+').any(|c| c == "email"))
                .filter(|a| {
                    if customers.is_empty() {
                        !a.needs_validation
                    } else {
                        customers.iter().any(|c| c.trim() == a.customer)
                    }
                })
                .map(|a| a.customer.clone())
                .collect();
            for c in &customers {
                if !chosen.iter().any(|x| x == c.trim()) {
                    eprintln!(
                        "encaisse: {}: no email action on the agenda of {}",
                        c.trim(),
                        agenda.as_of
                    );
                }
            }
            if dry_run {
                for c in &chosen {
                    let p = app.preview_email(&PreviewRequest {
                        customer: c.clone(),
                        as_of: Some(agenda.as_of),
                        ..PreviewRequest::default()
                    })?;
                    if json {
                        writeln!(out, "{}", to_json(&p)?).map_err(io)?;
                    } else {
                        writeln!(
                            out,
                            "{}\t{}\t{}\t{}",
                            p.customer,
                            p.to.as_deref().unwrap_or("(no email address)"),
                            p.step.as_deref().unwrap_or(""),
                            p.subject
                        )
                        .map_err(io)?;
                    }
                }
                return Ok(());
            }
            let report = app.send_emails(
                &SendEmails {
                    as_of: Some(agenda.as_of),
                    customers: chosen,
                    user: by,
                },
                &mut |p| {
                    let status = p.error.as_deref().unwrap_or("sent");
                    eprintln!("[{}/{}] {}: {status}", p.done, p.total, p.customer);
                },
            )?;
            if json {
                writeln!(out, "{}", to_json(&report)?).map_err(io)?;
            } else {
                for s in &report.sent {
                    writeln!(out, "sent\t{}\t{}\t{}", s.customer, s.to, s.subject).map_err(io)?;
                }
                for f in &report.failed {
                    writeln!(out, "failed\t{}\t{}", f.customer, f.error).map_err(io)?;
                }
            }
            if !report.failed.is_empty() {
                return Err(AppError::Mail(format!(
                    "{} email(s) sent, {} failed",
                    report.sent.len(),
                    report.failed.len()
                )));
            }
        }
        EmailCommand::Thanks { as_of, send, by } => {
            for c in app.thank_you_candidates(as_of)? {
                if send && c.email.is_some() {
                    let s = app.send_thank_you(&c.customer, as_of, &by)?;
                    writeln!(out, "sent\t{}\t{}\t{}", s.customer, s.to, s.subject).map_err(io)?;
                } else {
                    writeln!(
                        out,
                        "{}\t{}\t{}\t{}\t{}",
                        c.customer,
                        c.email.as_deref().unwrap_or("(no email address)"),
                        c.invoices.join(","),
                        c.total,
                        c.paid_on
                    )
                    .map_err(io)?;
                }
            }
        }
        EmailCommand::Draft {
            id,
            lang,
            subject,
            body_file,
        } => {
            let saved = app.email_template(&id, &lang)?;
            let body = match body_file {
                Some(f) => {
                    std::fs::read_to_string(&f).map_err(|e| AppError::Io(format!("{}: {e}", f.display())))?
                }
                None => saved.body,
            };
            let preview = app.preview_template(&encaisse_app::mail::EmailTemplateInput {
                id,
                lang,
                subject: subject.unwrap_or(saved.subject),
                body,
                version: None,
            })?;
            writeln!(out, "{}", to_json(&preview)?).map_err(io)?;
        }
        EmailCommand::Templates => writeln!(out, "{}", to_json(&app.email_templates()?)?).map_err(io)?,
    }
    Ok(())
}

pub fn run_daily(app: &App, cmd: DailyCommand, out: &mut impl Write) -> Result<(), AppError> {
    let DailyCommand::Daily {
        as_of,
        send,
        json,
        by,
        collector,
        to,
    } = cmd;
    let report = if send {
        app.send_daily_report_of(as_of, &by, collector.as_deref(), &to)?
    } else {
        app.daily_report_of(as_of, collector.as_deref())?
    };
    if json {
        writeln!(out, "{}", to_json(&report)?).map_err(io)?;
    } else {
        writeln!(out, "Subject: {}\n", report.subject).map_err(io)?;
        write!(out, "{}", report.text).map_err(io)?;
        if send {
            writeln!(out, "\nsent to {}", report.sent_to.join(", ")).map_err(io)?;
        }
    }
    Ok(())
}
