//! The audit trail as a sheet (when, who, what, before/after) for the CSV and XLSX exports of the desktop and of
//! `encaisse audit --format csv|xlsx --out F`. Same writers as the reports (exports.rs).

use crate::export_file::{ExportDone, ExportFormat};
use crate::exports::{Cell, Sheet};
use crate::mail::AuditEvent;
use crate::{App, AppError, AppResult};
use chrono::NaiveDate;
use std::path::Path;

fn period(from: Option<NaiveDate>, to: Option<NaiveDate>) -> String {
    let d = |d: NaiveDate| encaisse_domain::format_date_fr(d);
    match (from, to) {
        (None, None) => String::new(),
        (Some(f), None) => format!(" depuis le {}", d(f)),
        (None, Some(t)) => format!(" jusqu'au {}", d(t)),
        (Some(f), Some(t)) => format!(" du {} au {}", d(f), d(t)),
    }
}

/// One row per event, oldest first, with French headers. The object and the action stay the stored codes (the
/// export is a record for an auditor or a spreadsheet, filtered by code), as do the before/after JSON.
pub fn audit_sheet(events: &[AuditEvent], from: Option<NaiveDate>, to: Option<NaiveDate>) -> Sheet {
    let opt = |s: &Option<String>| s.clone().map_or(Cell::Empty, Cell::Text);
    Sheet {
        title: format!("Journal d'audit{}", period(from, to)),
        headers: [
            "N°",
            "Date",
            "Heure",
            "Utilisateur",
            "Objet",
            "Référence",
            "Action",
            "Avant",
            "Après",
        ]
        .map(String::from)
        .to_vec(),
        rows: events
            .iter()
            .map(|e| {
                vec![
                    Cell::Int(e.id),
                    e.date.map_or(Cell::Empty, Cell::Date),
                    opt(&e.time),
                    Cell::Text(e.user.clone()),
                    Cell::Text(e.entity.clone()),
                    Cell::Text(e.entity_id.clone()),
                    Cell::Text(e.action.clone()),
                    opt(&e.before),
                    opt(&e.after),
                ]
            })
            .collect(),
    }
}

impl App {
    /// The audit trail between two days (inclusive) as CSV or XLSX bytes.
    pub fn audit_export(
        &self,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        format: ExportFormat,
    ) -> AppResult<(Vec<u8>, u32)> {
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                return Err(AppError::InvalidInput(format!("from: {f} is after to: {t}")));
            }
        }
        let sheet = audit_sheet(&self.audit_trail(from, to)?, from, to);
        let bytes = self.sheet_bytes(&sheet, format)?;
        Ok((bytes, u32::try_from(sheet.rows.len()).unwrap_or(u32::MAX)))
    }

    /// Writes the audit trail to `path` (the file the user chose).
    pub fn export_audit(
        &self,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        format: ExportFormat,
        path: &Path,
    ) -> AppResult<ExportDone> {
        let (bytes, rows) = self.audit_export(from, to, format)?;
        std::fs::write(path, &bytes).map_err(|e| AppError::Io(format!("{}: {e}", path.display())))?;
        Ok(ExportDone {
            path: path.display().to_string(),
            bytes: u32::try_from(bytes.len()).unwrap_or(u32::MAX),
            rows,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exports;

    #[test]
    fn each_event_is_a_row_with_its_before_and_after() {
        let e = AuditEvent {
            id: 7,
            date: Some(NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()),
            time: Some("14:32".into()),
            user: "anne".into(),
            entity: "collection_settings".into(),
            entity_id: String::new(),
            action: "update".into(),
            kind: crate::audit::AuditKind::CollectionSettingsChanged,
            facts: crate::audit::AuditFacts::default(),
            before: Some(r#"{"min_gap_days":5}"#.into()),
            after: Some(r#"{"min_gap_days":7}"#.into()),
        };
        let sheet = audit_sheet(std::slice::from_ref(&e), e.date, None);
        assert_eq!(sheet.title, "Journal d'audit depuis le 26/11/2026");
        let csv = String::from_utf8(exports::to_csv(&sheet).unwrap()).unwrap();
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(
            lines[0],
            "N°;Date;Heure;Utilisateur;Objet;Référence;Action;Avant;Après"
        );
        assert_eq!(
            lines[1],
            r#"7;26/11/2026;14:32;anne;collection_settings;;update;"{""min_gap_days"":5}";"{""min_gap_days"":7}""#
        );
    }
}
