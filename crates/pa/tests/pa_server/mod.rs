//! A local AFNOR XP Z12-013 Flow Service for the tests (shared with the app's and the CLI's tests, which include
//! it by this path): the token endpoint (client credentials), `POST /v1/flows/search`, `GET /v1/flows/{flowId}`
//! and `POST /v1/flows`, each request CHECKED against the swagger (flow-service-swagger.json 1.3.0): a request
//! that breaks it gets a 400 and its fault is kept in `State::faults` for the test to assert empty.
#![allow(dead_code)]

use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex, MutexGuard};

pub const CLIENT_ID: &str = "encaisse-client";
pub const CLIENT_SECRET: &str = "s3cr3t-of-the-pa";
pub const ORGANIZATION: &str = "ORG-123";

const FLOW_TYPES: &[&str] = &[
    "CustomerInvoice",
    "SupplierInvoice",
    "CustomerInvoiceLC",
    "SupplierInvoiceLC",
    "StateCustomerInvoiceLC",
    "StateSupplierInvoiceLC",
    "AggregatedCustomerTransactionReport",
    "UnitaryCustomerTransactionReport",
    "AggregatedCustomerPaymentReport",
    "UnitaryCustomerPaymentReport",
    "UnitarySupplierTransactionReport",
    "MultiFlowReport",
    "StateCustomerInvoice",
    "StateSupplierInvoice",
    "StateTransactionReport",
    "StateTransactionReportLC",
    "StatePaymentReport",
    "StatePaymentReportLC",
    "Undefined",
];
const SYNTAXES: &[&str] = &["CII", "UBL", "Factur-X", "CDAR", "FRR"];
const DOC_TYPES: &[&str] = &["Metadata", "Original", "Converted", "ReadableView"];

/// A flow the platform holds.
#[derive(Debug, Clone)]
pub struct MockFlow {
    pub id: String,
    pub flow_type: String,
    /// RFC 3339, UTC.
    pub updated_at: String,
    pub name: String,
    pub file: Vec<u8>,
}

/// A request as received.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Default)]
pub struct State {
    pub flows: Vec<MockFlow>,
    /// Flows submitted with `createFlow`: (flowInfo, file).
    pub submitted: Vec<(serde_json::Value, Vec<u8>)>,
    pub requests: Vec<Seen>,
    /// What broke the swagger or the expected credentials.
    pub faults: Vec<String>,
    /// The token the API accepts now; tokens issued so far.
    pub token: String,
    pub tokens_issued: u32,
    /// The next API call with the current token is refused with 401 (the token expired), once.
    pub expire_token: bool,
    /// Downloads of these flows answer 500.
    pub broken_downloads: HashSet<String>,
    /// The token endpoint refuses every request.
    pub refuse_credentials: bool,
    /// Results per search page (the client's `limit` when smaller).
    pub page_size: usize,
}

pub struct PaServer {
    pub base_url: String,
    pub token_url: String,
    state: Arc<Mutex<State>>,
}

impl PaServer {
    pub fn start() -> PaServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(Mutex::new(State {
            page_size: 2,
            ..State::default()
        }));
        let shared = state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let state = shared.clone();
                std::thread::spawn(move || serve(stream, &state));
            }
        });
        PaServer {
            base_url: format!("http://127.0.0.1:{port}/flow-service"),
            token_url: format!("http://127.0.0.1:{port}/auth/token"),
            state,
        }
    }

    pub fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap()
    }

    pub fn add_flow(&self, id: &str, updated_at: &str, file: &[u8]) {
        self.state().flows.push(MockFlow {
            id: id.into(),
            flow_type: "CustomerInvoiceLC".into(),
            updated_at: updated_at.into(),
            name: format!("{id}.xml"),
            file: file.to_vec(),
        });
    }

    /// Asserts that no request broke the swagger.
    pub fn assert_no_faults(&self) {
        let faults = self.state().faults.clone();
        assert!(faults.is_empty(), "requests broke the swagger: {faults:#?}");
    }
}

fn serve(mut stream: TcpStream, state: &Mutex<State>) {
    let Some(seen) = read_request(&mut stream) else {
        return;
    };
    let (status, content_type, body) = {
        let mut st = state.lock().unwrap();
        st.requests.push(seen.clone());
        answer(&mut st, &seen)
    };
    let head = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
    let _ = stream.flush();
}

fn read_request(stream: &mut TcpStream) -> Option<Seen> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut req = httparse::Request::new(&mut headers);
        if let httparse::Status::Complete(head_len) = req.parse(&buf).ok()? {
            let headers: Vec<(String, String)> = req
                .headers
                .iter()
                .map(|h| (h.name.to_string(), String::from_utf8_lossy(h.value).into_owned()))
                .collect();
            let length: usize = headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| v.trim().parse().ok())
                .unwrap_or(0);
            let target = req.path.unwrap_or("").to_string();
            let method = req.method.unwrap_or("").to_string();
            while buf.len() < head_len + length {
                let n = stream.read(&mut chunk).ok()?;
                if n == 0 {
                    return None;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            let (path, query) = target.split_once('?').unwrap_or((&target, ""));
            return Some(Seen {
                method,
                path: path.to_string(),
                query: query.to_string(),
                headers,
                body: buf[head_len..head_len + length].to_vec(),
            });
        }
    }
}

type Answer = (u16, &'static str, Vec<u8>);

fn json(status: u16, v: serde_json::Value) -> Answer {
    (status, "application/json", v.to_string().into_bytes())
}

fn error(st: &mut State, status: u16, code: &str, fault: Option<String>) -> Answer {
    if let Some(f) = fault {
        st.faults.push(f);
    }
    json(
        status,
        serde_json::json!({"errorCode": code, "errorMessage": null}),
    )
}

fn bad(st: &mut State, seen: &Seen, why: &str) -> Answer {
    let fault = format!("{} {}: {why}", seen.method, seen.path);
    error(st, 400, "BAD_REQUEST", Some(fault))
}

/// RFC 3339 date-time, as `format: date-time` requires.
fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 20
        && b[4] == b'-'
        && b[7] == b'-'
        && (b[10] == b'T' || b[10] == b't')
        && b[13] == b':'
        && b[16] == b':'
        && (s.ends_with('Z') || s.ends_with('z') || s[19..].contains('+') || s[19..].contains('-'))
}

fn answer(st: &mut State, seen: &Seen) -> Answer {
    if seen.path == "/auth/token" {
        return token(st, seen);
    }
    let Some(api) = seen.path.strip_prefix("/flow-service") else {
        return error(st, 404, "NOT_FOUND", Some(format!("unknown path {}", seen.path)));
    };
    // Every API call: a bearer token, the Organization-Id header.
    let auth = seen.header("Authorization").unwrap_or("");
    let Some(bearer) = auth.strip_prefix("Bearer ") else {
        return error(
            st,
            401,
            "MISSING_TOKEN",
            Some(format!("{} without a bearer token", seen.path)),
        );
    };
    if seen.header("Organization-Id") != Some(ORGANIZATION) {
        return bad(st, seen, "the Organization-Id header is missing or wrong");
    }
    if bearer != st.token || st.token.is_empty() {
        return error(st, 401, "INVALID_TOKEN", None);
    }
    if st.expire_token {
        st.expire_token = false;
        st.token = String::new();
        return error(st, 401, "TOKEN_EXPIRED", None);
    }
    match (seen.method.as_str(), api) {
        ("POST", "/v1/flows/search") => search(st, seen),
        ("POST", "/v1/flows") => create(st, seen),
        ("GET", path) if path.starts_with("/v1/flows/") => download(st, seen, &path["/v1/flows/".len()..]),
        _ => error(
            st,
            404,
            "NOT_FOUND",
            Some(format!("unexpected {} {}", seen.method, seen.path)),
        ),
    }
}

fn token(st: &mut State, seen: &Seen) -> Answer {
    if seen.method != "POST" {
        return bad(st, seen, "the token endpoint takes POST");
    }
    let ctype = seen.header("Content-Type").unwrap_or("");
    if !ctype.starts_with("application/x-www-form-urlencoded") {
        return bad(st, seen, "the token request is not a form");
    }
    let form = String::from_utf8_lossy(&seen.body).into_owned();
    if !form.split('&').any(|kv| kv == "grant_type=client_credentials") {
        return bad(st, seen, "grant_type is not client_credentials");
    }
    let expected = format!(
        "Basic {}",
        base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            format!("{CLIENT_ID}:{CLIENT_SECRET}")
        )
    );
    if st.refuse_credentials || seen.header("Authorization") != Some(expected.as_str()) {
        return json(401, serde_json::json!({"error": "invalid_client"}));
    }
    st.tokens_issued += 1;
    st.token = format!("token-{}", st.tokens_issued);
    json(
        200,
        serde_json::json!({"access_token": st.token, "token_type": "Bearer", "expires_in": 3600}),
    )
}

fn search(st: &mut State, seen: &Seen) -> Answer {
    if !seen
        .header("Content-Type")
        .unwrap_or("")
        .starts_with("application/json")
    {
        return bad(st, seen, "the search body is not JSON");
    }
    let Ok(body) = serde_json::from_slice::<serde_json::Value>(&seen.body) else {
        return bad(st, seen, "the search body is not JSON");
    };
    let Some(obj) = body.as_object() else {
        return bad(st, seen, "SearchFlowParams is an object");
    };
    if let Some(k) = obj
        .keys()
        .find(|k| !["limit", "cursor", "where"].contains(&k.as_str()))
    {
        return bad(st, seen, &format!("SearchFlowParams has no property {k}"));
    }
    let Some(filters) = obj.get("where").and_then(|w| w.as_object()) else {
        return bad(st, seen, "SearchFlowParams.where is required");
    };
    if filters.is_empty() {
        return bad(st, seen, "at least one criterion is required");
    }
    let known = [
        "updatedAfter",
        "updatedBefore",
        "processingRule",
        "flowType",
        "flowDirection",
        "trackingId",
        "ackStatus",
    ];
    if let Some(k) = filters.keys().find(|k| !known.contains(&k.as_str())) {
        return bad(st, seen, &format!("SearchFlowFilters has no property {k}"));
    }
    let limit = match obj.get("limit") {
        None => 25,
        Some(l) => match l.as_u64() {
            Some(n) if n <= 100 => n as usize,
            _ => return bad(st, seen, "limit is an integer up to 100"),
        },
    };
    let offset = match obj.get("cursor") {
        None => 0,
        Some(c) => match c
            .as_str()
            .and_then(|c| c.strip_prefix("page-"))
            .and_then(|n| n.parse().ok())
        {
            Some(n) => n,
            None => return bad(st, seen, "cursor is not one this server gave"),
        },
    };
    let types: Vec<String> = match filters.get("flowType") {
        None => Vec::new(),
        Some(t) => match t.as_array() {
            Some(a)
                if a.iter()
                    .all(|x| x.as_str().is_some_and(|s| FLOW_TYPES.contains(&s))) =>
            {
                a.iter().map(|x| x.as_str().unwrap().to_string()).collect()
            }
            _ => return bad(st, seen, "flowType is an array of FlowType"),
        },
    };
    let after = match filters.get("updatedAfter") {
        None => None,
        Some(a) => match a.as_str() {
            Some(s) if is_date_time(s) => Some(s.to_string()),
            _ => return bad(st, seen, "updatedAfter is a date-time"),
        },
    };
    let mut matching: Vec<&MockFlow> = st
        .flows
        .iter()
        .filter(|f| types.is_empty() || types.contains(&f.flow_type))
        // Strict, as the swagger says (the tests' timestamps share one format: text order is time order).
        .filter(|f| after.as_deref().is_none_or(|a| f.updated_at.as_str() > a))
        .collect();
    matching.sort_by(|a, b| a.updated_at.cmp(&b.updated_at).then(a.id.cmp(&b.id)));
    let page = limit.min(st.page_size.max(1));
    let results: Vec<serde_json::Value> = matching
        .iter()
        .skip(offset)
        .take(page)
        .map(|f| {
            serde_json::json!({
                "flowId": f.id,
                "name": f.name,
                "flowSyntax": "CDAR",
                "flowProfile": "CIUS",
                "processingRule": "B2B",
                "submittedAt": f.updated_at,
                "updatedAt": f.updated_at,
                "flowType": f.flow_type,
                "processingRuleSource": "Computed",
                "flowDirection": "In",
                "acknowledgement": {"status": "Ok"},
            })
        })
        .collect();
    let mut content = serde_json::json!({"limit": limit, "filters": filters, "results": results});
    if offset + page < matching.len() {
        content["nextCursor"] = serde_json::json!(format!("page-{}", offset + page));
    }
    json(200, content)
}

fn download(st: &mut State, seen: &Seen, id: &str) -> Answer {
    let doc_type = seen
        .query
        .split('&')
        .find_map(|kv| kv.strip_prefix("docType="))
        .unwrap_or("Metadata");
    if !DOC_TYPES.contains(&doc_type) {
        return bad(st, seen, "docType is not one of the swagger's");
    }
    if doc_type != "Original" {
        return bad(st, seen, "the client should download the Original file");
    }
    if st.broken_downloads.contains(id) {
        return error(st, 500, "INTERNAL_ERROR", None);
    }
    match st.flows.iter().find(|f| f.id == id) {
        Some(f) => (200, "application/octet-stream", f.file.clone()),
        None => error(st, 404, "NOT_FOUND", None),
    }
}

fn create(st: &mut State, seen: &Seen) -> Answer {
    let ctype = seen.header("Content-Type").unwrap_or("").to_string();
    let Some(boundary) = ctype
        .strip_prefix("multipart/form-data; boundary=")
        .map(str::to_string)
    else {
        return bad(st, seen, "createFlow takes multipart/form-data");
    };
    let parts = split_multipart(&seen.body, &boundary);
    let info = parts
        .iter()
        .find(|(h, _)| h.contains("name=\"flowInfo\""))
        .filter(|(h, _)| h.to_ascii_lowercase().contains("content-type: application/json"));
    let file = parts.iter().find(|(h, _)| h.contains("name=\"file\""));
    let (Some((_, info)), Some((_, file))) = (info, file) else {
        return bad(st, seen, "createFlow needs the parts flowInfo (JSON) and file");
    };
    let Ok(info) = serde_json::from_slice::<serde_json::Value>(info) else {
        return bad(st, seen, "flowInfo is not JSON");
    };
    let name_ok = info["name"]
        .as_str()
        .is_some_and(|n| !n.is_empty() && n.len() <= 255);
    let syntax_ok = info["flowSyntax"].as_str().is_some_and(|s| SYNTAXES.contains(&s));
    if !name_ok || !syntax_ok {
        return bad(st, seen, "flowInfo needs a name and a FlowSyntax");
    }
    if info["trackingId"].as_str().is_some_and(|t| t.len() > 64) {
        return bad(st, seen, "trackingId is at most 64 characters");
    }
    let id = format!("OUT-{}", st.submitted.len() + 1);
    let tracking = info["trackingId"].clone();
    st.submitted.push((info, file.clone()));
    json(
        202,
        serde_json::json!({"flowId": id, "submittedAt": "2026-12-03T10:00:00Z", "trackingId": tracking,
            "name": "x.xml", "flowSyntax": "CDAR"}),
    )
}

/// The parts of a multipart body: (headers, content).
fn split_multipart(body: &[u8], boundary: &str) -> Vec<(String, Vec<u8>)> {
    let delimiter = format!("--{boundary}");
    let text = body;
    let mut parts = Vec::new();
    let positions: Vec<usize> = (0..text.len().saturating_sub(delimiter.len()) + 1)
        .filter(|&i| text[i..].starts_with(delimiter.as_bytes()))
        .collect();
    for w in positions.windows(2) {
        let part = &text[w[0] + delimiter.len()..w[1]];
        let part = part.strip_prefix(b"\r\n").unwrap_or(part);
        let part = part.strip_suffix(b"\r\n").unwrap_or(part);
        if let Some(split) = part.windows(4).position(|x| x == b"\r\n\r\n") {
            parts.push((
                String::from_utf8_lossy(&part[..split]).into_owned(),
                part[split + 4..].to_vec(),
            ));
        }
    }
    parts
}
