//! No lost edit on the settings, the email templates and a customer's chase: two desktops read the same version,
//! the first save wins, the second is refused naming who saved and when ("modifié par NOM à HH:MM — recharger"),
//! nothing of it written; reloaded, it goes through. The CLI (no version) saves whatever the version is.

use crate::workflow::{first_year, write_fec};
use encaisse_app::mail::settings::{EmailTemplateInput, MailSettings, SaveSmtp, SmtpSettings};
use encaisse_app::workflow::settings::CollectionSettingsInput;
use encaisse_app::{Actor, App, AppError, AppResult, FecImportOptions};
use encaisse_domain::FixedDateTime;
use std::fmt::Debug;

fn at(time: &str) -> Box<FixedDateTime> {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 2, 20).unwrap();
    Box::new(FixedDateTime(
        day.and_time(chrono::NaiveTime::parse_from_str(time, "%H:%M").unwrap()),
    ))
}

/// The second save's refusal names the first saver at its time.
fn refused_by<T: Debug>(result: AppResult<T>, who: &str, when: &str) {
    match result {
        Err(AppError::Conflict { by, at, message }) => {
            assert_eq!((by.as_str(), at.as_str()), (who, when), "{message}");
        }
        other => panic!("a save on an older version: {other:?}"),
    }
}

#[test]
fn two_desktops_changing_the_same_settings_the_second_is_told_who_changed_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e.db");
    let open = |who: &str, time: &str| {
        crate::backend::open(&path, at(time))
            .unwrap()
            .with_actor(Actor::named(who))
    };
    let marie: App = open("marie", "10:42");
    marie
        .import_fec(
            &write_fec(dir.path(), "v1", &first_year()),
            &FecImportOptions::default(),
            &mut |_| {},
        )
        .unwrap();
    marie.set_user_name("Marie Dupont").unwrap();
    let paul = open("paul", "10:45");
    let name = marie.user_profile().unwrap().name;

    // Collection settings: both read version 0.
    let read = paul.collection_settings().unwrap();
    assert_eq!(read.version, 0);
    let input = |gap: u32, version: Option<i64>| CollectionSettingsInput {
        min_gap_days: Some(gap),
        promise_grace_days: None,
        version,
    };
    let saved = marie.save_collection_settings(&input(7, Some(0)), "").unwrap();
    assert_eq!((saved.min_gap_days, saved.version), (7, 1));
    refused_by(
        paul.save_collection_settings(&input(9, Some(read.version)), ""),
        &name,
        "10:42",
    );
    assert_eq!(
        paul.collection_settings().unwrap().min_gap_days,
        7,
        "nothing written"
    );
    let reloaded = paul.collection_settings().unwrap();
    let saved = paul
        .save_collection_settings(&input(9, Some(reloaded.version)), "")
        .unwrap();
    assert_eq!((saved.min_gap_days, saved.version), (9, 2));
    // The CLI gives no version: it saves whatever it is.
    assert_eq!(
        marie
            .save_collection_settings(&input(4, None), "")
            .unwrap()
            .version,
        3
    );

    // Email settings: the version comes with what the screen read and goes back with the change.
    let marie_mail = marie.mail_settings().unwrap();
    let paul_mail = paul.mail_settings().unwrap();
    assert_eq!(paul_mail.version, Some(0));
    let saved = marie
        .save_mail_settings(
            &MailSettings {
                contact_name: "Marie Dupont".into(),
                ..marie_mail
            },
            "",
        )
        .unwrap();
    assert_eq!(saved.version, Some(1));
    let paul_change = MailSettings {
        contact_name: "Paul Martin".into(),
        ..paul_mail
    };
    refused_by(paul.save_mail_settings(&paul_change, ""), &name, "10:42");
    assert_eq!(paul.mail_settings().unwrap().contact_name, "Marie Dupont");
    // The stored settings do not carry the version: the audit shows the values only.
    let trail = marie.audit_trail(None, None).unwrap();
    let mail = trail.iter().rev().find(|e| e.entity == "mail_settings").unwrap();
    assert!(
        !mail.after.as_deref().unwrap_or_default().contains("version"),
        "{mail:?}"
    );

    // Letter settings.
    let marie_letters = marie.letter_settings().unwrap();
    let paul_letters = paul.letter_settings().unwrap();
    let saved = marie
        .save_letter_settings(
            &encaisse_app::letters::LetterSettings {
                place: Some("Lyon".into()),
                ..marie_letters
            },
            "",
        )
        .unwrap();
    assert_eq!(saved.version, paul_letters.version.map(|v| v + 1));
    refused_by(
        paul.save_letter_settings(
            &encaisse_app::letters::LetterSettings {
                place: Some("Villeurbanne".into()),
                ..paul_letters
            },
            "",
        ),
        &name,
        "10:42",
    );
    assert_eq!(paul.letter_settings().unwrap().place.as_deref(), Some("Lyon"));

    // The rates table of the penalties: a colleague saved it since it was read.
    let paul_rates = paul.rates().unwrap();
    marie.save_rates(&marie.rates().unwrap(), "").unwrap();
    refused_by(paul.save_rates(&paul_rates, ""), &name, "10:42");
    // Its reset too: on the version read before Marie's save it would throw her table away.
    refused_by(paul.reset_rates(paul_rates.version, ""), &name, "10:42");
    let reloaded = paul.rates().unwrap();
    assert!(!reloaded.builtin, "Marie's table is kept");
    assert_eq!(reloaded.version, paul_rates.version.map(|v| v + 1));
    let back = paul.reset_rates(reloaded.version, "").unwrap();
    assert!(back.builtin);
    assert_eq!(back.version, reloaded.version.map(|v| v + 1));
    // The CLI gives no version: it resets whatever it is.
    assert_eq!(
        marie.reset_rates(None, "").unwrap().version,
        back.version.map(|v| v + 1)
    );

    // The SMTP server: refused before the keyring is touched (no password stored for Paul's login).
    let paul_smtp = paul.smtp_settings().unwrap();
    let server = |host: &str, user: &str, s: SmtpSettings| SmtpSettings {
        host: host.into(),
        user: user.into(),
        from_address: "relances@atelier.test".into(),
        ..s
    };
    marie
        .save_smtp(
            &SaveSmtp {
                settings: server("smtp.atelier.test", "", marie.smtp_settings().unwrap()),
                password: None,
            },
            "",
        )
        .unwrap();
    refused_by(
        paul.save_smtp(
            &SaveSmtp {
                settings: server("smtp.autre.test", "paul", paul_smtp),
                password: Some("secret de paul".into()),
            },
            "",
        ),
        &name,
        "10:42",
    );
    let now = paul.smtp_settings().unwrap();
    assert_eq!(
        (now.host.as_str(), now.has_password),
        ("smtp.atelier.test", false)
    );

    // An email template: a save, then a reset on the version read before it.
    let template = |app: &App| app.email_template("reminder_1", "fr").unwrap();
    let paul_template = template(&paul);
    assert_eq!(paul_template.version, 0);
    let saved = marie
        .save_email_template(
            &EmailTemplateInput {
                id: "reminder_1".into(),
                lang: "fr".into(),
                subject: "Relance {{ customer_name }}".into(),
                body: "Madame, Monsieur,\n\n{{ invoice_table }}".into(),
                version: Some(0),
            },
            "",
        )
        .unwrap();
    assert_eq!((saved.edited, saved.version), (true, 1));
    refused_by(
        paul.reset_email_template("reminder_1", "fr", Some(paul_template.version), ""),
        &name,
        "10:42",
    );
    assert!(template(&paul).edited, "Marie's template is kept");
    let back = paul
        .reset_email_template("reminder_1", "fr", Some(template(&paul).version), "")
        .unwrap();
    assert_eq!((back.edited, back.version), (false, 2));

    // A customer's chase: Marie pauses C1 from its file while Paul's file of C1 still shows it running.
    let paul_file = paul.workflow_records("C1", None).unwrap();
    let marie_file = marie.workflow_records("C1", None).unwrap();
    assert_eq!(paul_file.chase_version, 0);
    marie
        .set_customer_paused("C1", true, "plan de paiement", Some(marie_file.chase_version))
        .unwrap();
    refused_by(
        paul.set_customer_scenario("C1", Some("default"), Some(paul_file.chase_version)),
        &name,
        "10:42",
    );
    let now = paul.workflow_records("C1", None).unwrap();
    assert!(now.paused);
    assert_eq!(now.chase_version, 1);
    paul.set_customer_paused("C1", false, "", Some(now.chase_version))
        .unwrap();
    assert!(!marie.workflow_records("C1", None).unwrap().paused);
}
