//! Email (issue 5): SMTP settings (the password goes from the UI to the OS credential store through `save_smtp`
//! and never comes back), templates, previews, sending the agenda's validated emails with progress, the thank-you,
//! the daily report and the audit trail. Thin adapters to `encaisse_app::App`.

use super::{off_ui, parse_as_of};
use crate::Backend;
use encaisse_app::mail::{
    AuditEvent, DailyReport, EmailPreview, EmailTemplate, EmailTemplateInput, MailSettings, PreviewRequest,
    SaveSmtp, SendEmails, SendProgress, SendReport, SentEmail, SmtpSettings, ThankYouCandidate,
};
use encaisse_app::AppResult;
use tauri::ipc::Channel;
use tauri::State;

/// Who acted, for the audit trail: ENCAISSE_USER, else the OS login name.
pub(crate) fn session_user() -> String {
    ["ENCAISSE_USER", "USER", "USERNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_default()
}

#[tauri::command]
pub async fn smtp_settings(backend: State<'_, Backend>) -> AppResult<SmtpSettings> {
    off_ui(&backend, |app| app.smtp_settings()).await
}

/// The only way the password travels: UI → here → the credential store. The reply never holds it.
#[tauri::command]
pub async fn save_smtp(backend: State<'_, Backend>, input: SaveSmtp) -> AppResult<SmtpSettings> {
    let user = session_user();
    off_ui(&backend, move |app| app.save_smtp(&input, &user)).await
}

#[tauri::command]
pub async fn test_smtp(backend: State<'_, Backend>, to: String) -> AppResult<()> {
    let user = session_user();
    off_ui(&backend, move |app| app.send_test_email(&to, &user)).await
}

#[tauri::command]
pub async fn mail_settings(backend: State<'_, Backend>) -> AppResult<MailSettings> {
    off_ui(&backend, |app| app.mail_settings()).await
}

#[tauri::command]
pub async fn save_mail_settings(
    backend: State<'_, Backend>,
    settings: MailSettings,
) -> AppResult<MailSettings> {
    let user = session_user();
    off_ui(&backend, move |app| app.save_mail_settings(&settings, &user)).await
}

#[tauri::command]
pub async fn email_templates(backend: State<'_, Backend>) -> AppResult<Vec<EmailTemplate>> {
    off_ui(&backend, |app| app.email_templates()).await
}

#[tauri::command]
pub async fn save_email_template(
    backend: State<'_, Backend>,
    input: EmailTemplateInput,
) -> AppResult<EmailTemplate> {
    let user = session_user();
    off_ui(&backend, move |app| app.save_email_template(&input, &user)).await
}

#[tauri::command]
pub async fn reset_email_template(
    backend: State<'_, Backend>,
    id: String,
    lang: String,
) -> AppResult<EmailTemplate> {
    let user = session_user();
    off_ui(&backend, move |app| app.reset_email_template(&id, &lang, &user)).await
}

#[tauri::command]
pub async fn preview_email(backend: State<'_, Backend>, request: PreviewRequest) -> AppResult<EmailPreview> {
    off_ui(&backend, move |app| app.preview_email(&request)).await
}

/// Sends the validated customers' emails; progress after each customer through the channel.
#[tauri::command]
pub async fn send_emails(
    backend: State<'_, Backend>,
    mut request: SendEmails,
    on_progress: Channel<SendProgress>,
) -> AppResult<SendReport> {
    if request.user.trim().is_empty() {
        request.user = session_user();
    }
    off_ui(&backend, move |app| {
        app.send_emails(&request, &mut |p| {
            // A closed window only loses the progress, not the sending.
            let _ = on_progress.send(p.clone());
        })
    })
    .await
}

#[tauri::command]
pub async fn thank_you_candidates(
    backend: State<'_, Backend>,
    as_of: Option<String>,
) -> AppResult<Vec<ThankYouCandidate>> {
    let date = parse_as_of(as_of)?;
    off_ui(&backend, move |app| app.thank_you_candidates(date)).await
}

#[tauri::command]
pub async fn send_thank_you(
    backend: State<'_, Backend>,
    customer: String,
    as_of: Option<String>,
) -> AppResult<SentEmail> {
    let date = parse_as_of(as_of)?;
    let user = session_user();
    off_ui(&backend, move |app| app.send_thank_you(&customer, date, &user)).await
}

#[tauri::command]
pub async fn daily_report(
    backend: State<'_, Backend>,
    as_of: Option<String>,
    send: bool,
) -> AppResult<DailyReport> {
    let date = parse_as_of(as_of)?;
    let user = session_user();
    off_ui(&backend, move |app| {
        if send {
            app.send_daily_report(date, &user)
        } else {
            app.daily_report(date)
        }
    })
    .await
}

#[tauri::command]
pub async fn audit_trail(
    backend: State<'_, Backend>,
    from: Option<String>,
    to: Option<String>,
) -> AppResult<Vec<AuditEvent>> {
    let (from, to) = (parse_as_of(from)?, parse_as_of(to)?);
    off_ui(&backend, move |app| app.audit_trail(from, to)).await
}
