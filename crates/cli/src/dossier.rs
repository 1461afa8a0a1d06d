//! `encaisse dossier`: the litigation file (dossier contentieux) of a customer as one zip, for the lawyer, the
//! court or the collection agency.

use chrono::NaiveDate;
use encaisse_app::{App, AppError};
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct DossierArgs {
    /// The customer's key (as in `encaisse aging`).
    #[arg(long)]
    customer: String,
    /// YYYY-MM-DD; today by default. The claim is computed and the files dated at this day.
    #[arg(long, value_parser = crate::date_arg)]
    as_of: Option<NaiveDate>,
    /// Where to write the zip.
    #[arg(long)]
    out: PathBuf,
    /// Print the manifest (every file with its SHA-256 and size) as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(app: &App, args: DossierArgs, out: &mut impl Write) -> Result<(), AppError> {
    let io = |e: std::io::Error| AppError::Io(e.to_string());
    let dossier = app.dossier(&args.customer, args.as_of)?;
    std::fs::write(&args.out, &dossier.zip)
        .map_err(|e| AppError::Io(format!("{}: {e}", args.out.display())))?;
    let m = &dossier.manifest;
    if args.json {
        let json = serde_json::to_string_pretty(m).map_err(|e| AppError::Io(e.to_string()))?;
        writeln!(out, "{json}").map_err(io)?;
        return Ok(());
    }
    let rebuilt = m.files.iter().filter(|f| f.reconstituted).count();
    writeln!(
        out,
        "litigation file of {} ({}) as of {}: {} files ({rebuilt} reconstituted) and manifest.json in {}",
        m.customer,
        m.name,
        m.as_of,
        m.files.len(),
        args.out.display()
    )
    .map_err(io)?;
    for f in &m.files {
        writeln!(out, "  {}  {}  {}", f.sha256, f.size, f.name).map_err(io)?;
    }
    Ok(())
}
