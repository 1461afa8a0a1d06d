//! The collections workflow from a terminal: the day's agenda, actions, promises, disputes.

use chrono::NaiveDate;
use clap::{Subcommand, ValueEnum};
use encaisse_app::workflow::{
    ActionDto, ActionInput, DisputeDto, DisputeInput, PortfolioScope, PromiseChangeInput, PromiseDto,
    PromiseInput,
};
use encaisse_app::{App, AppError};
use std::io::Write;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Subcommand)]
pub enum WorkflowCommand {
    /// The day's collections agenda: per customer, one action at the highest step its open invoices reached.
    Agenda {
        /// YYYY-MM-DD; today by default.
        #[arg(long, value_parser = crate::date_arg)]
        as_of: Option<NaiveDate>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// The FEC alone: leave out the provisional receipts of bank statements (matched, on account).
        #[arg(long)]
        ledger_only: bool,
        /// One collector's portfolio (a login); by default the acting user's when they follow a customer, else
        /// the whole team's.
        #[arg(long, conflicts_with_all = ["mine", "team", "unassigned"])]
        collector: Option<String>,
        /// The acting user's portfolio (--user).
        #[arg(long)]
        mine: bool,
        /// Every collector's customers.
        #[arg(long, conflicts_with_all = ["mine", "unassigned"])]
        team: bool,
        /// The customers nobody follows.
        #[arg(long, conflicts_with = "mine")]
        unassigned: bool,
    },
    /// Record an action (email, letter, call, sms, note) or mark the day's step of a customer done.
    #[command(subcommand)]
    Action(ActionCommand),
    /// Record a promise to pay: the chase of its invoices waits until its date plus the grace period.
    #[command(subcommand)]
    Promise(PromiseCommand),
    /// Every promise's status (running, kept, broken) computed from the ledger as of a date.
    Promises {
        #[arg(long, value_parser = crate::date_arg)]
        as_of: Option<NaiveDate>,
        /// Save the statuses (the promises newly broken are listed once, as alerts).
        #[arg(long)]
        record: bool,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Open, close or comment a dispute: a disputed invoice leaves the chase until the dispute is closed.
    #[command(subcommand)]
    Dispute(DisputeCommand),
    /// The disputes board: every dispute, count and amount by kind and department, average resolution time.
    Disputes {
        #[arg(long, value_parser = crate::date_arg)]
        as_of: Option<NaiveDate>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// A customer's actions, promises and disputes (one invoice's with --invoice).
    History {
        #[arg(long)]
        customer: String,
        #[arg(long)]
        invoice: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Pause the chase of a customer (or resume it with --resume).
    Pause {
        #[arg(long)]
        customer: String,
        #[arg(long, default_value = "")]
        reason: String,
        #[arg(long)]
        resume: bool,
    },
}

#[derive(Subcommand)]
pub enum ActionCommand {
    /// Record what was done.
    Add {
        #[arg(long)]
        customer: String,
        /// email, letter, call, sms, note
        #[arg(long)]
        kind: String,
        /// An invoice number of the customer (repeatable).
        #[arg(long = "invoice")]
        invoices: Vec<String>,
        /// The scenario step carried out: done for these invoices.
        #[arg(long)]
        step: Option<String>,
        /// promise, dispute, no_answer, wrong_contact, says_paid, call_back
        #[arg(long)]
        outcome: Option<String>,
        /// YYYY-MM-DD; today by default.
        #[arg(long, value_parser = crate::date_arg)]
        date: Option<NaiveDate>,
        /// The next thing to do (call back on…).
        #[arg(long, value_parser = crate::date_arg)]
        next: Option<NaiveDate>,
        #[arg(long, env = "ENCAISSE_USER", default_value = "")]
        user: String,
        #[arg(long, default_value = "")]
        body: String,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Mark a customer's action of the day done (its step, for every invoice it listed).
    Done {
        #[arg(long)]
        customer: String,
        #[arg(long, value_parser = crate::date_arg)]
        as_of: Option<NaiveDate>,
        #[arg(long, env = "ENCAISSE_USER", default_value = "")]
        user: String,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

#[derive(Subcommand)]
pub enum PromiseCommand {
    Add {
        #[arg(long)]
        customer: String,
        /// An invoice number of the customer (repeatable, at least one).
        #[arg(long = "invoice", required = true)]
        invoices: Vec<String>,
        /// The day the customer will pay (YYYY-MM-DD).
        #[arg(long, value_parser = crate::date_arg)]
        date: NaiveDate,
        /// 1234.50
        #[arg(long)]
        amount: String,
        /// Days after the date before the chase resumes (the setting, 3 by default).
        #[arg(long)]
        grace_days: Option<u32>,
        /// The day it was made; today by default.
        #[arg(long, value_parser = crate::date_arg)]
        made_on: Option<NaiveDate>,
        #[arg(long, env = "ENCAISSE_USER", default_value = "")]
        user: String,
        #[arg(long, default_value = "")]
        comment: String,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Change a promise's date, amount, grace or comment (what is not given stays); with --version, refused when
    /// someone changed it since that version (the JSON's `version`).
    Change {
        #[arg(long)]
        id: i64,
        #[arg(long, value_parser = crate::date_arg)]
        date: Option<NaiveDate>,
        #[arg(long)]
        amount: Option<String>,
        #[arg(long)]
        grace_days: Option<u32>,
        #[arg(long)]
        comment: Option<String>,
        #[arg(long)]
        version: Option<i64>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

#[derive(Subcommand)]
pub enum DisputeCommand {
    Open {
        #[arg(long)]
        customer: String,
        #[arg(long = "invoice", required = true)]
        invoices: Vec<String>,
        /// price, quantity, quality, delivery, invoicing_error, missing_purchase_order, duplicate, other
        #[arg(long)]
        kind: String,
        /// sales, logistics, quality, accounting
        #[arg(long)]
        department: String,
        /// What is disputed; the open amount of the invoices by default.
        #[arg(long)]
        amount: Option<String>,
        /// The opening day; today by default.
        #[arg(long, value_parser = crate::date_arg)]
        date: Option<NaiveDate>,
        #[arg(long, env = "ENCAISSE_USER", default_value = "")]
        user: String,
        #[arg(long, default_value = "")]
        comment: String,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    Close {
        id: i64,
        #[arg(long, value_parser = crate::date_arg)]
        date: Option<NaiveDate>,
        #[arg(long, default_value = "")]
        resolution: String,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    Comment {
        id: i64,
        body: String,
        #[arg(long, env = "ENCAISSE_USER", default_value = "")]
        user: String,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

fn io(e: std::io::Error) -> AppError {
    AppError::Io(e.to_string())
}

/// The agenda's portfolio from its flags; none: the app's default (the acting user's, else the team's).
fn scope_of(collector: Option<String>, mine: bool, team: bool, unassigned: bool) -> Option<PortfolioScope> {
    if let Some(login) = collector {
        Some(PortfolioScope::Collector(login))
    } else if mine {
        Some(PortfolioScope::Mine)
    } else if team {
        Some(PortfolioScope::Team)
    } else if unassigned {
        Some(PortfolioScope::Unassigned)
    } else {
        None
    }
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, AppError> {
    serde_json::to_string(v).map_err(|e| AppError::Io(e.to_string()))
}

pub fn run(app: &App, cmd: WorkflowCommand, out: &mut impl Write) -> Result<(), AppError> {
    if let WorkflowCommand::Agenda { ledger_only, .. } = &cmd {
        app.set_ledger_only(*ledger_only);
    }
    match cmd {
        WorkflowCommand::Agenda {
            as_of,
            format,
            collector,
            mine,
            team,
            unassigned,
            ..
        } => match format {
            Format::Json => {
                let scope = scope_of(collector, mine, team, unassigned);
                writeln!(out, "{}", json(&app.agenda_in(as_of, scope)?)?).map_err(io)?
            }
            Format::Table => {
                let view = app.agenda_for(as_of, scope_of(collector, mine, team, unassigned))?;
                let whose = match &view.portfolio.shown {
                    PortfolioScope::Team | PortfolioScope::Mine => "the whole team".to_string(),
                    PortfolioScope::Unassigned => "the customers nobody follows".to_string(),
                    PortfolioScope::Collector(login) => format!("{login}'s portfolio"),
                };
                writeln!(
                    out,
                    "Agenda of {} ({whose}): {} action(s)",
                    view.as_of,
                    view.items.len()
                )
                .map_err(io)?;
                writeln!(
                    out,
                    "{:<10} {:<30} {:<16} {:<12} {:>12} {:>12} {:>12} {:<8} {:<12} invoices",
                    "customer",
                    "name",
                    "step",
                    "channel",
                    "overdue",
                    "not_due",
                    "unapplied",
                    "validate",
                    "collector"
                )
                .map_err(io)?;
                for i in &view.items {
                    let a = &i.action;
                    writeln!(
                        out,
                        "{:<10} {:<30} {:<16} {:<12} {:>12} {:>12} {:>12} {:<8} {:<12} {}",
                        a.customer,
                        i.name.chars().take(30).collect::<String>(),
                        a.step,
                        a.channel,
                        i.overdue_amount,
                        i.not_due_amount,
                        a.unapplied,
                        if a.needs_validation { "yes" } else { "no" },
                        i.collector.as_deref().unwrap_or("-"),
                        a.invoices.join(", ")
                    )
                    .map_err(io)?;
                }
                if !view.announced.is_empty() {
                    writeln!(
                        out,
                        "\nPayments announced by the e-invoicing platform (211), not chased meanwhile: {}",
                        view.announced.len()
                    )
                    .map_err(io)?;
                    for p in &view.announced {
                        writeln!(
                            out,
                            "{:<10} {:<30} {:<16} {:>12} announced {} expected {} held until {}",
                            p.customer,
                            p.name.chars().take(30).collect::<String>(),
                            p.invoice,
                            p.amount,
                            p.announced_on,
                            p.expected_on,
                            p.hold_until
                        )
                        .map_err(io)?;
                    }
                }
            }
        },
        WorkflowCommand::Action(ActionCommand::Add {
            customer,
            kind,
            invoices,
            step,
            outcome,
            date,
            next,
            user,
            body,
            format,
        }) => {
            let a = app.record_action(&ActionInput {
                customer,
                kind,
                invoices,
                step,
                outcome,
                date,
                user,
                next_action_date: next,
                body,
                ..ActionInput::default()
            })?;
            action_out(&a, format, out)?;
        }
        WorkflowCommand::Action(ActionCommand::Done {
            customer,
            as_of,
            user,
            format,
        }) => {
            app.set_actor(encaisse_app::Actor::named(user));
            action_out(&app.mark_done(&customer, as_of)?, format, out)?
        }
        WorkflowCommand::Promise(PromiseCommand::Add {
            customer,
            invoices,
            date,
            amount,
            grace_days,
            made_on,
            user,
            comment,
            format,
        }) => {
            let p = app.add_promise(&PromiseInput {
                customer,
                invoices,
                date,
                amount,
                grace_days,
                made_on,
                action_id: None,
                user,
                comment,
            })?;
            match format {
                Format::Json => writeln!(out, "{}", json(&p)?).map_err(io)?,
                Format::Table => promise_line(&p, out).map_err(io)?,
            }
        }
        WorkflowCommand::Promise(PromiseCommand::Change {
            id,
            date,
            amount,
            grace_days,
            comment,
            version,
            format,
        }) => {
            let current = app
                .check_promises(None, false)?
                .promises
                .into_iter()
                .find(|p| p.id == id)
                .ok_or_else(|| AppError::InvalidInput(format!("--id: no promise {id}")))?;
            let p = app.change_promise(&PromiseChangeInput {
                id,
                version,
                date: date.unwrap_or(current.date),
                amount: amount.unwrap_or(current.amount),
                grace_days: grace_days.unwrap_or(current.grace_days),
                comment: comment.unwrap_or(current.comment),
            })?;
            match format {
                Format::Json => writeln!(out, "{}", json(&p)?).map_err(io)?,
                Format::Table => promise_line(&p, out).map_err(io)?,
            }
        }
        WorkflowCommand::Promises {
            as_of,
            record,
            format,
        } => {
            let check = app.check_promises(as_of, record)?;
            match format {
                Format::Json => writeln!(out, "{}", json(&check)?).map_err(io)?,
                Format::Table => {
                    writeln!(
                        out,
                        "Promises as of {}: {} running, {} kept, {} broken",
                        check.as_of, check.running, check.kept, check.broken
                    )
                    .map_err(io)?;
                    for p in &check.promises {
                        promise_line(p, out).map_err(io)?;
                    }
                    for p in &check.newly_broken {
                        writeln!(out, "ALERT: promise {} of {} is broken", p.id, p.customer).map_err(io)?;
                    }
                }
            }
        }
        WorkflowCommand::Dispute(DisputeCommand::Open {
            customer,
            invoices,
            kind,
            department,
            amount,
            date,
            user,
            comment,
            format,
        }) => {
            let d = app.open_dispute(&DisputeInput {
                customer,
                invoices,
                kind,
                department,
                amount,
                opened_on: date,
                user,
                comment,
            })?;
            dispute_out(&d, format, out)?;
        }
        WorkflowCommand::Dispute(DisputeCommand::Close {
            id,
            date,
            resolution,
            format,
        }) => dispute_out(&app.close_dispute(id, date, &resolution)?, format, out)?,
        WorkflowCommand::Dispute(DisputeCommand::Comment {
            id,
            body,
            user,
            format,
        }) => {
            app.set_actor(encaisse_app::Actor::named(user));
            dispute_out(&app.comment_dispute(id, &body)?, format, out)?
        }
        WorkflowCommand::Disputes { as_of, format } => {
            let board = app.disputes_board(as_of)?;
            match format {
                Format::Json => writeln!(out, "{}", json(&board)?).map_err(io)?,
                Format::Table => {
                    writeln!(
                        out,
                        "Disputes as of {}: {} open ({}), {} closed ({}), average resolution {}",
                        board.as_of,
                        board.open.count,
                        board.open.amount,
                        board.closed.count,
                        board.closed.amount,
                        board
                            .average_resolution_days
                            .map_or_else(|| "n/a".to_string(), |d| format!("{d:.1} days"))
                    )
                    .map_err(io)?;
                    for t in board.by_kind.iter().chain(&board.by_department) {
                        if t.count > 0 {
                            writeln!(out, "  {:<24} {:>4} {:>14}", t.key, t.count, t.amount).map_err(io)?;
                        }
                    }
                    for d in &board.disputes {
                        dispute_line(d, out).map_err(io)?;
                    }
                }
            }
        }
        WorkflowCommand::History {
            customer,
            invoice,
            format,
        } => {
            let r = app.workflow_records(&customer, invoice.as_deref())?;
            match format {
                Format::Json => writeln!(out, "{}", json(&r)?).map_err(io)?,
                Format::Table => {
                    writeln!(
                        out,
                        "{}{}: scenario {}{}",
                        r.customer,
                        r.invoice.as_deref().map(|i| format!(" {i}")).unwrap_or_default(),
                        r.scenario,
                        if r.paused { " (paused)" } else { "" }
                    )
                    .map_err(io)?;
                    for a in &r.actions {
                        action_line(a, out).map_err(io)?;
                    }
                    for p in &r.promises {
                        promise_line(p, out).map_err(io)?;
                    }
                    for d in &r.disputes {
                        dispute_line(d, out).map_err(io)?;
                    }
                }
            }
        }
        WorkflowCommand::Pause {
            customer,
            reason,
            resume,
        } => {
            app.set_customer_paused(&customer, !resume, &reason, None)?;
            let state = if resume { "resumed" } else { "paused" };
            writeln!(out, "{customer}: chase {state}").map_err(io)?;
        }
    }
    Ok(())
}

fn action_out(a: &ActionDto, format: Format, out: &mut impl Write) -> Result<(), AppError> {
    match format {
        Format::Json => writeln!(out, "{}", json(a)?).map_err(io),
        Format::Table => action_line(a, out).map_err(io),
    }
}

fn dispute_out(d: &DisputeDto, format: Format, out: &mut impl Write) -> Result<(), AppError> {
    match format {
        Format::Json => writeln!(out, "{}", json(d)?).map_err(io),
        Format::Table => dispute_line(d, out).map_err(io),
    }
}

fn action_line(a: &ActionDto, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(
        out,
        "action {} {} {} {}{}{} [{}] {}",
        a.id,
        a.date,
        a.customer,
        a.kind.as_str(),
        a.step
            .as_deref()
            .map(|s| format!(" step {s}"))
            .unwrap_or_default(),
        a.outcome
            .map(|o| format!(" outcome {}", o.as_str()))
            .unwrap_or_default(),
        a.invoices.join(", "),
        a.body
    )
}

fn promise_line(p: &PromiseDto, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(
        out,
        "promise {} {} {} on {} (until {}) {} [{}]",
        p.id,
        p.customer,
        p.amount,
        p.date,
        p.deadline,
        p.status.as_str(),
        p.invoices.join(", ")
    )
}

fn dispute_line(d: &DisputeDto, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(
        out,
        "dispute {} {} {} {}/{} {} opened {}{} [{}]",
        d.id,
        d.customer,
        d.status.as_str(),
        d.kind.as_str(),
        d.department.as_str(),
        d.amount,
        d.opened_on,
        d.closed_on.map(|c| format!(" closed {c}")).unwrap_or_default(),
        d.invoices.join(", ")
    )
}
