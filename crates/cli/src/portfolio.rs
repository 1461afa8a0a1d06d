//! `encaisse portfolio list|assign|unassign|reassign`: which collector follows which customers (by hand, by
//! segment, by category), each change in the audit trail; on a team's server only managers may change them.

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use encaisse_app::{App, AppError};
use std::io::Write;

#[derive(Subcommand)]
pub enum PortfolioCommand {
    /// Each collector's customers, balance and overdue; the rules and the customers given by hand.
    List {
        #[arg(long, value_parser = crate::date_arg)]
        as_of: Option<NaiveDate>,
        #[arg(long, value_enum, default_value_t = crate::workflow::Format::Table)]
        format: crate::workflow::Format,
    },
    /// Give a customer, or every customer of a segment or category, to a collector (a login).
    Assign {
        #[command(flatten)]
        what: Target,
        /// The collector's login (on a team's server, the user's sign-in).
        #[arg(long)]
        to: String,
    },
    /// Take an assignment back (a customer then follows its category's or segment's collector, if any).
    Unassign {
        #[command(flatten)]
        what: Target,
    },
    /// Hand everything a collector follows over to another (someone leaving the team).
    Reassign {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
    },
}

/// One customer, or every customer of a segment or category.
#[derive(Args)]
#[group(required = true, multiple = false)]
pub struct Target {
    /// A customer key.
    #[arg(long)]
    customer: Option<String>,
    /// A segment of the customers file (customer.segment).
    #[arg(long)]
    segment: Option<String>,
    /// key_account, occasional, private_person or public_body.
    #[arg(long)]
    category: Option<String>,
}

impl Target {
    fn by(&self) -> (&'static str, &str) {
        match (&self.customer, &self.segment, &self.category) {
            (Some(c), _, _) => ("customer", c),
            (_, Some(s), _) => ("segment", s),
            (_, _, Some(c)) => ("category", c),
            _ => unreachable!("clap requires one of --customer, --segment, --category"),
        }
    }
}

fn io(e: std::io::Error) -> AppError {
    AppError::Io(e.to_string())
}

pub fn run(app: &App, cmd: PortfolioCommand, out: &mut impl Write) -> Result<(), AppError> {
    match cmd {
        PortfolioCommand::List { as_of, format } => {
            let p = app.portfolios(as_of)?;
            if format == crate::workflow::Format::Json {
                let text = serde_json::to_string(&p).map_err(|e| AppError::Io(e.to_string()))?;
                return writeln!(out, "{text}").map_err(io);
            }
            writeln!(out, "Portfolios as of {} ({})", p.as_of, p.currency).map_err(io)?;
            writeln!(
                out,
                "{:<16} {:<24} {:<10} {:>9} {:>6} {:>14} {:>14}",
                "collector", "name", "role", "customers", "open", "balance", "overdue"
            )
            .map_err(io)?;
            let unassigned = ("-".to_string(), "(nobody)".to_string(), None, &p.unassigned);
            let rows = p
                .collectors
                .iter()
                .map(|c| (c.login.clone(), c.name.clone(), c.role.clone(), &c.totals))
                .chain(std::iter::once(unassigned));
            for (login, name, role, t) in rows {
                writeln!(
                    out,
                    "{:<16} {:<24} {:<10} {:>9} {:>6} {:>14} {:>14}",
                    login,
                    name.chars().take(24).collect::<String>(),
                    role.as_deref().unwrap_or("-"),
                    t.customers,
                    t.open_customers,
                    t.balance,
                    t.overdue
                )
                .map_err(io)?;
            }
            for r in &p.rules {
                writeln!(out, "rule: {} {} -> {}", r.by.as_str(), r.value, r.collector).map_err(io)?;
            }
            for c in &p.by_hand {
                writeln!(out, "by hand: {} {} -> {}", c.customer, c.name, c.collector).map_err(io)?;
            }
            Ok(())
        }
        PortfolioCommand::Assign { what, to } => {
            let (by, value) = what.by();
            app.assign_portfolio(by, value, Some(&to))?;
            writeln!(out, "{by} {value}: followed by {}", to.trim()).map_err(io)
        }
        PortfolioCommand::Unassign { what } => {
            let (by, value) = what.by();
            app.assign_portfolio(by, value, None)?;
            writeln!(out, "{by} {value}: assignment removed").map_err(io)
        }
        PortfolioCommand::Reassign { from, to } => {
            let r = app.reassign_portfolio(&from, &to)?;
            writeln!(
                out,
                "{} customer(s) and {} rule(s) of {} now followed by {}",
                r.customers, r.rules, r.from, r.to
            )
            .map_err(io)
        }
    }
}
