//! The fixed words the backend sends (the domain's and the app's string unions), written for the UI as one module
//! of const arrays (`ui/src/lib/api/bindings/codes.ts`): a UI test checks every word has a label in both languages,
//! so that a new word cannot ship untranslated.

#[cfg(test)]
mod tests {
    use ts_rs::{Config, TS};

    /// A string union's words, read from its TypeScript type (the one the bindings declare).
    fn words<T: TS>() -> (String, Vec<String>) {
        let cfg = Config::default();
        let inline = T::inline(&cfg);
        let words: Vec<String> = inline
            .split('|')
            .map(|w| w.trim().trim_matches('"').to_string())
            .collect();
        assert!(
            inline.split('|').all(|w| w.trim().starts_with('"')),
            "{}: not a union of strings: {inline}",
            T::name(&cfg)
        );
        (T::name(&cfg), words)
    }

    fn module() -> String {
        use encaisse_domain::collections::*;
        use encaisse_domain::customer::{BehaviourSegment, Category, DebtorKind};
        let lists = [
            words::<ActionKind>(),
            words::<AssignBy>(),
            words::<crate::audit::AuditKind>(),
            words::<crate::backups::BackupReason>(),
            words::<crate::bank::BankStatus>(),
            words::<BehaviourSegment>(),
            words::<Category>(),
            words::<Channel>(),
            words::<DebtorKind>(),
            words::<Department>(),
            words::<DisputeKind>(),
            words::<DisputeStatus>(),
            words::<crate::imports::EInvoiceWarningCode>(),
            words::<crate::export_file::ExportFormat>(),
            words::<crate::imports::FileKind>(),
            words::<Outcome>(),
            words::<crate::ProblemCode>(),
            words::<PromiseStatus>(),
            words::<crate::mail::Security>(),
            words::<StepId>(),
            // The e-invoicing lifecycle statuses, by code (`code.EinvoiceStatus.210` → "Refusée" / "Refused").
            (
                "EinvoiceStatus".to_string(),
                (200..=501u16)
                    .filter(|c| !crate::einvoice_status::status_label(*c).is_empty())
                    .map(|c| c.to_string())
                    .collect(),
            ),
        ];
        let mut out = String::from(
            "// Generated from crates/app/src/codes.rs by `cargo test -p encaisse-app`; do not edit.\n\
             // Every fixed word the backend sends, by type: the screens show each through its label\n\
             // (`code.<Type>.<word>` in ui/src/lib/i18n/fr.json and en.json).\n\n\
             export const CODES = {\n",
        );
        for (name, words) in &lists {
            let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
            out.push_str(&format!("\t{name}: [{}],\n", quoted.join(", ")));
        }
        out.push_str("} as const;\n\nexport type CodeKind = keyof typeof CODES;\n");
        out
    }

    /// Writes the module; CI fails when the committed file differs.
    #[test]
    fn export_the_code_lists() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/api/bindings/codes.ts");
        let text = module();
        assert!(text.contains("\tStepId: ['pre_reminder', 'reminder_1'"), "{text}");
        assert!(text.contains("\tAuditKind: ['email_sent', "), "{text}");
        std::fs::write(path, text).unwrap();
    }
}
