//! The Flow Service client against the local server of `tests/pa_server`, which checks each request.

#[path = "../pa_server/mod.rs"]
mod pa_server;

use encaisse_pa::{
    Client, Config, FlowInfo, PaError, SearchFlowFilters, SearchFlowParams, CUSTOMER_INVOICE_LC,
};
use pa_server::{PaServer, CLIENT_ID, CLIENT_SECRET, ORGANIZATION};

fn client(server: &PaServer, secret: &str) -> Client {
    Client::new(Config {
        base_url: server.base_url.clone(),
        token_url: server.token_url.clone(),
        client_id: CLIENT_ID.into(),
        client_secret: secret.into(),
        organization_id: ORGANIZATION.into(),
    })
}

fn lifecycle_since(after: Option<&str>, cursor: Option<String>) -> SearchFlowParams {
    SearchFlowParams {
        limit: Some(100),
        cursor,
        filters: SearchFlowFilters {
            updated_after: after.map(str::to_string),
            flow_type: vec![CUSTOMER_INVOICE_LC.into()],
            flow_direction: Vec::new(),
        },
    }
}

#[test]
fn searches_pages_with_the_cursor_and_downloads_the_original_file() {
    let server = PaServer::start();
    server.add_flow("F1", "2026-12-01T08:00:00Z", b"<one/>");
    server.add_flow("F2", "2026-12-01T09:00:00Z", b"<two/>");
    server.add_flow("F3", "2026-12-02T09:00:00Z", b"<three/>");
    let c = client(&server, CLIENT_SECRET);
    let first = c.search(&lifecycle_since(None, None)).unwrap();
    assert_eq!(first.results.len(), 2, "the server's pages hold two flows");
    let next = first.next_cursor.clone().expect("a second page");
    let second = c.search(&lifecycle_since(None, Some(next))).unwrap();
    assert_eq!(second.results.len(), 1);
    assert_eq!(second.results[0].flow_id, "F3");
    assert!(second.next_cursor.is_none());
    let since = c
        .search(&lifecycle_since(Some("2026-12-01T09:00:00Z"), None))
        .unwrap();
    assert_eq!(
        since
            .results
            .iter()
            .map(|f| f.flow_id.as_str())
            .collect::<Vec<_>>(),
        ["F3"],
        "updatedAfter is strict"
    );
    assert_eq!(c.download("F2").unwrap(), b"<two/>");
    server.assert_no_faults();
    assert_eq!(server.state().tokens_issued, 1, "one token for the whole run");
}

#[test]
fn an_expired_token_is_renewed_once_and_the_request_sent_again() {
    let server = PaServer::start();
    server.add_flow("F1", "2026-12-01T08:00:00Z", b"<one/>");
    let c = client(&server, CLIENT_SECRET);
    c.search(&lifecycle_since(None, None)).unwrap();
    server.state().expire_token = true;
    assert_eq!(c.download("F1").unwrap(), b"<one/>");
    let st = server.state();
    assert_eq!(st.tokens_issued, 2);
    let downloads: Vec<_> = st.requests.iter().filter(|r| r.method == "GET").collect();
    assert_eq!(downloads.len(), 2, "refused once, then sent again");
    assert_eq!(downloads[1].header("Authorization"), Some("Bearer token-2"));
    drop(st);
    server.assert_no_faults();
}

#[test]
fn refused_credentials_are_an_auth_error_that_stops_the_run() {
    let server = PaServer::start();
    let c = client(&server, "wrong");
    let e = c.search(&lifecycle_since(None, None)).unwrap_err();
    assert!(matches!(e, PaError::Auth { status: 401, .. }), "{e:?}");
    assert!(e.is_fatal());
    assert!(e.to_string().contains("invalid_client"), "{e}");
    assert!(!e.to_string().contains("wrong"), "the secret never shows: {e}");
}

#[test]
fn a_server_that_is_down_is_unreachable() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let c = Client::new(Config {
        base_url: format!("http://127.0.0.1:{port}"),
        token_url: format!("http://127.0.0.1:{port}/token"),
        client_id: "id".into(),
        client_secret: "secret".into(),
        organization_id: String::new(),
    });
    let e = c.download("F1").unwrap_err();
    assert!(matches!(e, PaError::Unreachable { .. }), "{e:?}");
    assert!(e.is_fatal());
}

#[test]
fn a_failing_download_names_the_flow_and_does_not_stop_the_run() {
    let server = PaServer::start();
    server.add_flow("F1", "2026-12-01T08:00:00Z", b"<one/>");
    server.state().broken_downloads.insert("F1".into());
    let e = client(&server, CLIENT_SECRET).download("F1").unwrap_err();
    assert!(e.to_string().contains("flow F1"), "{e}");
    assert!(e.to_string().contains("INTERNAL_ERROR"), "{e}");
    let missing = client(&server, CLIENT_SECRET).download("F9").unwrap_err();
    assert!(matches!(missing, PaError::Http { status: 404, .. }));
    assert!(!missing.is_fatal());
}

#[test]
fn submits_a_flow_as_multipart_with_its_flow_info() {
    let server = PaServer::start();
    let c = client(&server, CLIENT_SECRET);
    let info = FlowInfo {
        tracking_id: Some("ENC-212-C1-F1".into()),
        name: "ENC-212-C1-F1.xml".into(),
        processing_rule: None,
        flow_syntax: "CDAR".into(),
        flow_profile: None,
    };
    let done = c.submit(&info, "ENC-212-C1-F1.xml", b"<cdar/>").unwrap();
    assert_eq!(done.flow_id, "OUT-1");
    server.assert_no_faults();
    let st = server.state();
    assert_eq!(st.submitted.len(), 1);
    assert_eq!(st.submitted[0].0["trackingId"], "ENC-212-C1-F1");
    assert_eq!(st.submitted[0].0["flowSyntax"], "CDAR");
    assert_eq!(st.submitted[0].1, b"<cdar/>");
}
