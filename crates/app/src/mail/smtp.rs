//! Sending through the user's SMTP server with lettre (blocking transport, rustls: no OpenSSL).

use crate::{AppError, AppResult};
use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use ts_rs::TS;

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Security {
    /// Plain connection upgraded with STARTTLS (port 587); refused when the server does not offer it.
    #[default]
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a server on this machine or a test server.
    None,
}

impl Security {
    pub fn default_port(self) -> u16 {
        match self {
            Security::Starttls => 587,
            Security::Tls => 465,
            Security::None => 25,
        }
    }
}

impl std::str::FromStr for Security {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "starttls" => Ok(Security::Starttls),
            "tls" | "ssl" => Ok(Security::Tls),
            "none" => Ok(Security::None),
            other => Err(format!(
                "'{other}' is not a security mode (starttls, tls or none)"
            )),
        }
    }
}

/// The server to send through; the password is not here: it is read from the credential store when sending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[ts(export)]
pub struct SmtpServer {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// Empty: no authentication.
    pub user: String,
    /// The user allowed the login and password to go over an unencrypted connection (security `none`).
    pub allow_insecure_login: bool,
}

/// A login over a connection without encryption, which only an explicit choice of the user allows: the message
/// names the settings' fields.
pub fn check_login_security(security: Security, user: &str, allowed: bool) -> AppResult<()> {
    if security == Security::None && !user.trim().is_empty() && !allowed {
        return Err(AppError::InvalidInput(
            "security: the SMTP login and password would be sent without encryption: choose STARTTLS or TLS, or \
             allow an unencrypted login explicitly"
                .into(),
        ));
    }
    Ok(())
}

/// A message ready to go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub from_address: String,
    pub from_name: String,
    pub reply_to: Option<String>,
    pub to: String,
    pub to_name: Option<String>,
    pub subject: String,
    pub text: String,
    pub html: String,
}

fn mailbox(field: &str, name: Option<&str>, address: &str) -> AppResult<Mailbox> {
    let address = address
        .trim()
        .parse()
        .map_err(|e| AppError::InvalidInput(format!("{field}: '{address}' is not an email address ({e})")))?;
    Ok(Mailbox::new(
        name.map(str::trim).filter(|n| !n.is_empty()).map(str::to_string),
        address,
    ))
}

/// Checks an address as the sender would.
pub fn check_address(field: &str, address: &str) -> AppResult<()> {
    mailbox(field, None, address).map(|_| ())
}

pub fn message(m: &Outgoing) -> AppResult<Message> {
    let mut b = Message::builder()
        .from(mailbox("from", Some(&m.from_name), &m.from_address)?)
        .to(mailbox("to", m.to_name.as_deref(), &m.to)?)
        .subject(m.subject.clone());
    if let Some(r) = m.reply_to.as_deref().filter(|r| !r.trim().is_empty()) {
        b = b.reply_to(mailbox("reply_to", None, r)?);
    }
    b.multipart(
        MultiPart::alternative()
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .body(m.text.clone()),
            )
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_HTML)
                    .body(m.html.clone()),
            ),
    )
    .map_err(|e| AppError::InvalidInput(format!("the message: {e}")))
}

/// A connection setup to one server, reused for a batch.
pub struct Mailer {
    transport: SmtpTransport,
}

impl Mailer {
    pub fn new(server: &SmtpServer, password: Option<&str>) -> AppResult<Mailer> {
        let host = server.host.trim();
        if host.is_empty() {
            return Err(AppError::InvalidInput("smtp host: empty".into()));
        }
        // Settings saved before the choice existed are refused here, before any connection.
        check_login_security(server.security, &server.user, server.allow_insecure_login)
            .map_err(|e| AppError::Mail(format!("{host}: {e}")))?;
        let refused = |e: lettre::transport::smtp::Error| AppError::Mail(format!("{host}: {e}"));
        let builder = match server.security {
            Security::Tls => SmtpTransport::relay(host).map_err(refused)?,
            Security::Starttls => SmtpTransport::starttls_relay(host).map_err(refused)?,
            Security::None => SmtpTransport::builder_dangerous(host),
        };
        let mut builder = builder.port(server.port).timeout(Some(Duration::from_secs(30)));
        if !server.user.trim().is_empty() {
            let password = password.ok_or_else(|| {
                AppError::Mail(format!(
                    "no password for {} in the credential store: save the SMTP settings with the password",
                    server.user.trim()
                ))
            })?;
            builder = builder.credentials(Credentials::new(
                server.user.trim().to_string(),
                password.to_string(),
            ));
        }
        Ok(Mailer {
            transport: builder.build(),
        })
    }

    /// Sends the message; its bytes as handed to the server (RFC 5322, as lettre formatted it: headers with the
    /// Date and Message-ID, the MIME parts), to keep as sent.
    pub fn send(&self, m: &Outgoing) -> AppResult<Vec<u8>> {
        let message = message(m)?;
        let bytes = message.formatted();
        self.transport
            .send_raw(message.envelope(), &bytes)
            .map(|_| bytes)
            .map_err(|e| AppError::Mail(e.to_string()))
    }
}
