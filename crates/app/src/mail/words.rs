//! The workflow's words as the daily report's tables say them (the email is written here, not by the screens).
//! The same labels as the UI's translation table (`code.<Type>.<word>` in ui/src/lib/i18n/fr.json and en.json): a
//! test compares them, so that the two cannot drift.

use encaisse_domain::collections::{Channel, Department, DisputeKind, StepId};

fn pick(fr: bool, words: (&'static str, &'static str)) -> &'static str {
    if fr {
        words.0
    } else {
        words.1
    }
}

pub(crate) fn step(word: StepId, fr: bool) -> &'static str {
    pick(
        fr,
        match word {
            StepId::PreReminder => ("Pré-relance", "Pre-reminder"),
            StepId::Reminder1 => ("Relance 1", "Reminder 1"),
            StepId::Reminder2 => ("Relance 2", "Reminder 2"),
            StepId::Reminder3 => ("Relance 3", "Reminder 3"),
            StepId::PersonalLetter => ("Lettre personnelle + appel", "Personal letter + call"),
            StepId::FormalNotice => ("Mise en demeure", "Formal notice"),
        },
    )
}

pub(crate) fn channel(word: Channel, fr: bool) -> &'static str {
    pick(
        fr,
        match word {
            Channel::Email => ("E-mail", "Email"),
            Channel::Letter => ("Lettre", "Letter"),
            Channel::Call => ("Appel", "Call"),
            Channel::SmsTask => ("SMS", "SMS"),
        },
    )
}

pub(crate) fn dispute_kind(word: DisputeKind, fr: bool) -> &'static str {
    pick(
        fr,
        match word {
            DisputeKind::Price => ("Prix", "Price"),
            DisputeKind::Quantity => ("Quantité", "Quantity"),
            DisputeKind::Quality => ("Qualité", "Quality"),
            DisputeKind::Delivery => ("Livraison", "Delivery"),
            DisputeKind::InvoicingError => ("Erreur de facturation", "Invoicing error"),
            DisputeKind::MissingPurchaseOrder => ("Bon de commande manquant", "Missing purchase order"),
            DisputeKind::Duplicate => ("Doublon", "Duplicate"),
            DisputeKind::Other => ("Autre", "Other"),
        },
    )
}

pub(crate) fn department(word: Department, fr: bool) -> &'static str {
    pick(
        fr,
        match word {
            Department::Sales => ("Commercial", "Sales"),
            Department::Logistics => ("Logistique", "Logistics"),
            Department::Quality => ("Qualité", "Quality"),
            Department::Accounting => ("Comptabilité", "Accounting"),
        },
    )
}

/// A step id as words (a user scenario's own step stays as it is).
pub(crate) fn step_text(id: &str, fr: bool) -> String {
    id.parse::<StepId>()
        .map_or_else(|_| id.to_string(), |s| step(s, fr).to_string())
}

/// `letter+call` → "Lettre + appel".
pub(crate) fn channels_text(joined: &str, fr: bool) -> String {
    joined
        .split('+')
        .enumerate()
        .map(|(i, c)| {
            let text = c
                .trim()
                .parse::<Channel>()
                .map_or_else(|_| c.trim().to_string(), |c| channel(c, fr).to_string());
            if i == 0 {
                text
            } else {
                text.to_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn ui(lang: &str) -> HashMap<String, String> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("../../ui/src/lib/i18n/{lang}.json"));
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    /// Every word has the UI's label in both languages.
    #[test]
    fn the_labels_are_the_screens_ones() {
        for (lang, fr) in [("fr", true), ("en", false)] {
            let dict = ui(lang);
            let label = |kind: &str, word: &str| dict[&format!("code.{kind}.{word}")].clone();
            for s in StepId::ALL {
                assert_eq!(step(*s, fr), label("StepId", s.as_str()), "{lang}");
            }
            for c in Channel::ALL {
                assert_eq!(channel(c, fr), label("Channel", c.as_str()), "{lang}");
            }
            for k in DisputeKind::ALL {
                assert_eq!(dispute_kind(*k, fr), label("DisputeKind", k.as_str()), "{lang}");
            }
            for d in Department::ALL {
                assert_eq!(department(*d, fr), label("Department", d.as_str()), "{lang}");
            }
        }
        assert_eq!(channels_text("letter+call", true), "Lettre + appel");
        assert_eq!(step_text("relance_douce", true), "relance_douce");
    }
}
