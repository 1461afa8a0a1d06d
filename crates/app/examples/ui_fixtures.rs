//! Writes the browser preview's sample answers (ui/src/lib/api/fixtures) for the DAF's views, from the real
//! backend on the demo company (seed 1, 300 customers, as of 2026-11-26 — the other fixtures' company):
//! `cargo run -p encaisse-app --example ui_fixtures -- ui/src/lib/api/fixtures`.

use chrono::NaiveDate;
use encaisse_app::reports::AgingOptions;
use encaisse_app::App;
use encaisse_app::DemoOptions;
use encaisse_domain::FixedClock;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

type Error = Box<dyn std::error::Error>;

fn write<T: serde::Serialize>(dir: &Path, name: &str, value: &T) -> Result<(), Error> {
    // Compact: the sample is large (every open invoice, every customer's analysis) and read only by the preview.
    let mut text = serde_json::to_string(value)?;
    text.push('\n');
    std::fs::write(dir.join(name), text)?;
    Ok(())
}

fn main() -> Result<(), Error> {
    let out = PathBuf::from(std::env::args().nth(1).ok_or("usage: ui_fixtures OUT_DIR")?);
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 26).ok_or("date")?;
    let dir = tempfile::tempdir()?;
    let app = App::open(&dir.path().join("demo.db"), Box::new(FixedClock(as_of)))?;
    app.create_demo(&DemoOptions {
        seed: Some(1),
        customers: Some(300),
        end: Some(as_of),
        replace: None,
    })?;
    let day = Some(as_of);
    let default = AgingOptions {
        as_of: day,
        ..AgingOptions::default()
    };

    let customers = app.customers_report(day)?;
    write(&out, "customers.json", &customers)?;

    // The files of customers the dashboard links to (the first top late payers and customers over their limit)
    // and of the first customers of the list.
    let dashboard = app.dashboard(day)?;
    let mut keys: Vec<String> = dashboard.top_late.iter().take(12).map(|c| c.id.clone()).collect();
    keys.extend(customers.limit_alerts.iter().take(4).map(|a| a.id.clone()));
    keys.extend(customers.customers.iter().take(4).map(|c| c.id.clone()));
    let files: BTreeMap<String, _> = keys
        .into_iter()
        .map(|k| app.customer_file(&k, day).map(|f| (k, f)))
        .collect::<Result<_, _>>()?;
    write(&out, "customer-files.json", &files)?;

    write(&out, "aging-invoices.json", &app.aging_invoices(&default, None)?)?;
    let grouped: BTreeMap<String, _> = [
        "customer",
        "segment",
        "category",
        "customer_segment",
        "collector",
        "risk_class",
    ]
    .into_iter()
    .map(|g| {
        app.aging_grouped(&AgingOptions {
            group_by: Some(g.into()),
            ..default.clone()
        })
        .map(|r| (g.to_string(), r))
    })
    .collect::<Result<_, _>>()?;
    write(&out, "aging-grouped.json", &grouped)?;
    write(&out, "dso-set.json", &app.dso_set(day, None)?)?;
    write(&out, "forecast.json", &app.forecast(day, None)?)?;
    write(
        &out,
        "forecast-accuracy.json",
        &app.forecast_accuracy(day, None, None)?,
    )?;
    let year_end = NaiveDate::from_ymd_opt(2025, 12, 31).ok_or("date")?;
    write(&out, "d441-6.json", &app.d441_6(year_end, None)?)?;
    // Two what-ifs, to check the preview's own computation against the backend's.
    let what_ifs = vec![
        app.what_if(day, None, 10, Decimal::new(45, 1))?,
        app.what_if(day, None, 7, Decimal::new(3, 0))?,
    ];
    write(&out, "what-if.json", &what_ifs)?;
    // Penalties on invoices paid late, payments since 1 October (the report's first period at that date).
    let penalties = app.penalties(&encaisse_app::penalties::PenaltiesQuery {
        as_of: day,
        from: NaiveDate::from_ymd_opt(2026, 10, 1),
        to: None,
        customer: None,
    })?;
    write(&out, "penalties.json", &penalties)?;
    Ok(())
}
