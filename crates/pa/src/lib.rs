//! A client of the accredited platform's (PA) AFNOR XP Z12-013 Flow Service (flow-service-swagger.json 1.3.0):
//! an OAuth2 client-credentials token, `POST /v1/flows/search`, `GET /v1/flows/{flowId}` and `POST /v1/flows`.
//! It knows HTTP and the API's JSON only; what a flow means (a CDAR lifecycle message) is the app's business.
//!
//! A request refused with 401 while the client holds a token fetches a new token once and is sent again (the
//! token expired); a second 401, or a token endpoint that refuses the credentials, is [`PaError::Auth`].

use base64::Engine;
use serde::{Deserialize, Serialize};
use std::sync::Mutex;
use std::time::Duration;
use ureq::http::StatusCode;

/// The flow types of the swagger this client searches or submits.
pub const CUSTOMER_INVOICE_LC: &str = "CustomerInvoiceLC";

/// Where the platform is and who the client is. The secret lives only here, in memory, for the time of a run.
#[derive(Clone)]
pub struct Config {
    /// The Flow Service's root, e.g. `https://api.flow.example.com/flow-service` (`/v1/...` is appended).
    pub base_url: String,
    /// The OAuth2 token endpoint (client credentials).
    pub token_url: String,
    pub client_id: String,
    pub client_secret: String,
    /// Sent as the `Organization-Id` header when not empty (multi-tenancy).
    pub organization_id: String,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("base_url", &self.base_url)
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &"***")
            .field("organization_id", &self.organization_id)
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaError {
    /// The platform could not be reached (DNS, connection, TLS, timeout).
    #[error("the platform could not be reached at {url}: {reason}")]
    Unreachable { url: String, reason: String },
    /// The token endpoint refused the credentials, or the API refused a fresh token.
    #[error("the platform refused the credentials ({status}): {reason}")]
    Auth { status: u16, reason: String },
    /// Any other HTTP error, with the swagger's `Error` (errorCode, errorMessage) when the body has one.
    #[error("the platform answered {status} to {what}: {reason}")]
    Http {
        status: u16,
        what: String,
        reason: String,
    },
    /// A 2xx answer whose body is not what the swagger says.
    #[error("the platform's answer to {what} could not be read: {reason}")]
    Decode { what: String, reason: String },
}

impl PaError {
    /// The whole run cannot go on (authentication refused, the server unreachable, unavailable or throttling),
    /// as opposed to one request failing (a 404, a 500 on one flow…).
    pub fn is_fatal(&self) -> bool {
        match self {
            PaError::Unreachable { .. } | PaError::Auth { .. } => true,
            PaError::Http { status, .. } => matches!(*status, 403 | 429 | 503),
            PaError::Decode { .. } => false,
        }
    }
}

pub type Result<T> = std::result::Result<T, PaError>;

/// `SearchFlowFilters` (the subset used).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchFlowFilters {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_after: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flow_type: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flow_direction: Vec<String>,
}

/// `SearchFlowParams`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchFlowParams {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    #[serde(rename = "where")]
    pub filters: SearchFlowFilters,
}

/// `Acknowledgement` (status only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acknowledgement {
    pub status: String,
}

/// `Flow`: a search result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Flow {
    pub flow_id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub flow_syntax: String,
    #[serde(default)]
    pub flow_type: String,
    #[serde(default)]
    pub flow_direction: String,
    #[serde(default)]
    pub submitted_at: String,
    pub updated_at: String,
    #[serde(default)]
    pub tracking_id: Option<String>,
    #[serde(default)]
    pub acknowledgement: Option<Acknowledgement>,
}

/// `SearchFlowContent`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchFlowContent {
    #[serde(default)]
    pub next_cursor: Option<String>,
    #[serde(default)]
    pub results: Vec<Flow>,
}

/// `FlowInfo`: what a submitted file is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FlowInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracking_id: Option<String>,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub processing_rule: Option<String>,
    pub flow_syntax: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_profile: Option<String>,
}

/// `FullFlowInfo`: the answer to a submission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FullFlowInfo {
    pub flow_id: String,
    #[serde(default)]
    pub submitted_at: String,
    #[serde(default)]
    pub tracking_id: Option<String>,
}

/// The swagger's `Error` body.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ApiError {
    error_code: String,
    #[serde(default)]
    error_message: Option<String>,
}

#[derive(Deserialize)]
struct Token {
    access_token: String,
}

/// One platform, one set of credentials. Holds the current token; safe to share between threads.
pub struct Client {
    config: Config,
    agent: ureq::Agent,
    token: Mutex<Option<String>>,
}

fn unreachable(url: &str, e: ureq::Error) -> PaError {
    PaError::Unreachable {
        url: url.to_string(),
        reason: e.to_string(),
    }
}

/// What a non-2xx body says: the swagger's errorCode and errorMessage, an OAuth2 `error`, else its first words.
fn reason_of(body: &str) -> String {
    if let Ok(e) = serde_json::from_str::<ApiError>(body) {
        return match e.error_message {
            Some(m) if !m.is_empty() => format!("{}: {m}", e.error_code),
            _ => e.error_code,
        };
    }
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(body) {
        if let Some(e) = v.get("error").and_then(|e| e.as_str()) {
            return e.to_string();
        }
    }
    let text: String = body.chars().take(200).collect();
    if text.trim().is_empty() {
        "no details".into()
    } else {
        text.trim().to_string()
    }
}

/// A multipart/form-data body (RFC 7578) of `createFlow`: the `flowInfo` JSON part and the `file` part.
fn multipart(info: &FlowInfo, file_name: &str, file: &[u8], boundary: &str) -> Vec<u8> {
    let mut body = Vec::with_capacity(file.len() + 512);
    let info = serde_json::to_string(info).unwrap_or_default();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"flowInfo\"\r\nContent-Type: application/json\r\n\r\n{info}\r\n"
        )
        .as_bytes(),
    );
    let safe_name: String = file_name
        .chars()
        .map(|c| {
            if c == '"' || c == '\r' || c == '\n' {
                '_'
            } else {
                c
            }
        })
        .collect();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{safe_name}\"\r\nContent-Type: application/xml\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
}

impl Client {
    pub fn new(config: Config) -> Client {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        Client {
            config,
            agent,
            token: Mutex::new(None),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.config.base_url.trim_end_matches('/'))
    }

    /// A new access token from the token endpoint (client credentials, HTTP Basic).
    fn fetch_token(&self) -> Result<String> {
        let url = self.config.token_url.trim();
        let basic = base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{}", self.config.client_id, self.config.client_secret));
        let mut resp = self
            .agent
            .post(url)
            .header("Authorization", format!("Basic {basic}"))
            .header("Accept", "application/json")
            .send_form([("grant_type", "client_credentials")])
            .map_err(|e| unreachable(url, e))?;
        let status = resp.status();
        let body = resp.body_mut().read_to_string().unwrap_or_default();
        if status == StatusCode::UNAUTHORIZED
            || status == StatusCode::BAD_REQUEST
            || status == StatusCode::FORBIDDEN
        {
            return Err(PaError::Auth {
                status: status.as_u16(),
                reason: reason_of(&body),
            });
        }
        if !status.is_success() {
            return Err(PaError::Http {
                status: status.as_u16(),
                what: "the token request".into(),
                reason: reason_of(&body),
            });
        }
        let token: Token = serde_json::from_str(&body).map_err(|e| PaError::Decode {
            what: "the token request".into(),
            reason: e.to_string(),
        })?;
        Ok(token.access_token)
    }

    fn token(&self, renew: bool) -> Result<String> {
        let mut held = self.token.lock().unwrap_or_else(|p| p.into_inner());
        if renew || held.is_none() {
            *held = Some(self.fetch_token()?);
        }
        Ok(held.clone().unwrap_or_default())
    }

    /// Sends an authorized request; on 401 a new token once, then the request again.
    fn authorized(
        &self,
        what: &str,
        url: &str,
        send: impl Fn(&str) -> std::result::Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<ureq::http::Response<ureq::Body>> {
        let mut renewed = false;
        let mut token = self.token(false)?;
        loop {
            let mut resp = send(&format!("Bearer {token}")).map_err(|e| unreachable(url, e))?;
            let status = resp.status();
            if status.is_success() {
                return Ok(resp);
            }
            let body = resp.body_mut().read_to_string().unwrap_or_default();
            if status == StatusCode::UNAUTHORIZED {
                if !renewed {
                    renewed = true;
                    token = self.token(true)?;
                    continue;
                }
                return Err(PaError::Auth {
                    status: status.as_u16(),
                    reason: reason_of(&body),
                });
            }
            return Err(PaError::Http {
                status: status.as_u16(),
                what: what.to_string(),
                reason: reason_of(&body),
            });
        }
    }

    fn with_org<B>(&self, req: ureq::RequestBuilder<B>) -> ureq::RequestBuilder<B> {
        let org = self.config.organization_id.trim();
        if org.is_empty() {
            req
        } else {
            req.header("Organization-Id", org)
        }
    }

    /// `searchFlows`: one page.
    pub fn search(&self, params: &SearchFlowParams) -> Result<SearchFlowContent> {
        let url = self.url("/v1/flows/search");
        let what = "the flows search";
        let mut resp = self.authorized(what, &url, |auth| {
            self.with_org(self.agent.post(&url))
                .header("Authorization", auth)
                .header("Accept", "application/json")
                .send_json(params)
        })?;
        resp.body_mut()
            .read_json::<SearchFlowContent>()
            .map_err(|e| PaError::Decode {
                what: what.into(),
                reason: e.to_string(),
            })
    }

    /// `getFlow` with `docType=Original`: the file as the emitter sent it.
    pub fn download(&self, flow_id: &str) -> Result<Vec<u8>> {
        let url = self.url(&format!("/v1/flows/{}", encode_segment(flow_id)));
        let what = format!("the download of flow {flow_id}");
        let mut resp = self.authorized(&what, &url, |auth| {
            self.with_org(self.agent.get(&url))
                .header("Authorization", auth)
                .query("docType", "Original")
                .call()
        })?;
        resp.body_mut()
            .with_config()
            .limit(100 * 1024 * 1024)
            .read_to_vec()
            .map_err(|e| PaError::Decode {
                what,
                reason: e.to_string(),
            })
    }

    /// `createFlow`: submits one file with its `flowInfo`.
    pub fn submit(&self, info: &FlowInfo, file_name: &str, file: &[u8]) -> Result<FullFlowInfo> {
        let url = self.url("/v1/flows");
        let what = format!("the submission of {file_name}");
        let boundary = format!("encaisse-{:016x}", fnv(file));
        let body = multipart(info, file_name, file, &boundary);
        let mut resp = self.authorized(&what, &url, |auth| {
            self.with_org(self.agent.post(&url))
                .header("Authorization", auth)
                .header("Accept", "application/json")
                .content_type(format!("multipart/form-data; boundary={boundary}"))
                .send(&body[..])
        })?;
        resp.body_mut()
            .read_json::<FullFlowInfo>()
            .map_err(|e| PaError::Decode {
                what,
                reason: e.to_string(),
            })
    }
}

/// A boundary that the file's bytes are most unlikely to contain: a hash of them.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A path segment percent-encoded (RFC 3986 unreserved characters kept).
fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_never_shows_in_debug() {
        let c = Config {
            base_url: "https://pa".into(),
            token_url: "https://pa/token".into(),
            client_id: "id".into(),
            client_secret: "s3cr3t".into(),
            organization_id: String::new(),
        };
        assert!(!format!("{c:?}").contains("s3cr3t"));
    }

    #[test]
    fn a_flow_id_is_one_path_segment() {
        assert_eq!(encode_segment("a/b c"), "a%2Fb%20c");
        assert_eq!(encode_segment("F-1_2.x~"), "F-1_2.x~");
    }

    #[test]
    fn error_bodies_are_read_as_the_swagger_says() {
        assert_eq!(
            reason_of(r#"{"errorCode":"MISSING_TOKEN","errorMessage":null}"#),
            "MISSING_TOKEN"
        );
        assert_eq!(reason_of(r#"{"errorCode":"E1","errorMessage":"bad"}"#), "E1: bad");
        assert_eq!(reason_of(r#"{"error":"invalid_client"}"#), "invalid_client");
        assert_eq!(reason_of(""), "no details");
    }
}
