//! A local SMTP server for tests: listens on 127.0.0.1 (a free port), speaks enough SMTP for lettre (EHLO, AUTH
//! PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT), keeps every message it accepts, refuses the recipients it is told to
//! refuse (550) and, when given credentials, the wrong ones (535). Used by the app's and the CLI's tests.
#![allow(dead_code)]

use base64::Engine;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    /// The raw message as sent after DATA (dot-unstuffed).
    pub data: String,
    /// The user and password of AUTH PLAIN, when the client authenticated.
    pub auth: Option<(String, String)>,
}

impl Received {
    pub fn parsed(&self) -> mail_parser::Message<'_> {
        mail_parser::MessageParser::default()
            .parse(self.data.as_bytes())
            .expect("a parsable message")
    }
    pub fn subject(&self) -> String {
        self.parsed().subject().unwrap_or_default().to_string()
    }
    pub fn text(&self) -> String {
        self.parsed()
            .body_text(0)
            .unwrap_or_default()
            .replace("\r\n", "\n")
    }
    pub fn html(&self) -> String {
        self.parsed().body_html(0).unwrap_or_default().to_string()
    }
}

#[derive(Clone, Default)]
struct Rules {
    refuse: Vec<String>,
    credentials: Option<(String, String)>,
}

pub struct Sink {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Sink {
    /// Accepts any recipient, no authentication.
    pub fn start() -> Sink {
        Self::with(Vec::new(), None)
    }

    /// Refuses these recipients; with credentials, offers AUTH PLAIN and requires these.
    pub fn with(refuse: Vec<String>, credentials: Option<(&str, &str)>) -> Sink {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let rules = Rules {
            refuse,
            credentials: credentials.map(|(u, p)| (u.to_string(), p.to_string())),
        };
        let store = received.clone();
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { break };
                let store = store.clone();
                let rules = rules.clone();
                thread::spawn(move || {
                    let _ = session(stream, &rules, &store);
                });
            }
        });
        Sink { port, received }
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

fn session(stream: TcpStream, rules: &Rules, store: &Mutex<Vec<Received>>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    let mut out = stream.try_clone()?;
    let mut input = BufReader::new(stream);
    let mut reply = |s: &str| out.write_all(format!("{s}\r\n").as_bytes());
    reply("220 sink.test ESMTP ready")?;
    let mut from = String::new();
    let mut to = Vec::new();
    let mut auth = None;
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let cmd = line.trim_end();
        let upper = cmd.to_ascii_uppercase();
        if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            if rules.credentials.is_some() {
                reply("250-sink.test\r\n250-8BITMIME\r\n250 AUTH PLAIN")?;
            } else {
                reply("250-sink.test\r\n250 8BITMIME")?;
            }
        } else if upper.starts_with("AUTH PLAIN") {
            let b64 = cmd[10..].trim();
            let raw = base64::engine::general_purpose::STANDARD
                .decode(b64)
                .unwrap_or_default();
            let parts: Vec<String> = raw
                .split(|b| *b == 0)
                .map(|p| String::from_utf8_lossy(p).into_owned())
                .collect();
            let given = (
                parts.get(1).cloned().unwrap_or_default(),
                parts.get(2).cloned().unwrap_or_default(),
            );
            if rules.credentials.as_ref() == Some(&given) {
                auth = Some(given);
                reply("235 2.7.0 Authentication successful")?;
            } else {
                reply("535 5.7.8 Authentication credentials invalid")?;
            }
        } else if upper.starts_with("MAIL FROM:") {
            if rules.credentials.is_some() && auth.is_none() {
                reply("530 5.7.0 Authentication required")?;
                continue;
            }
            from = address(&cmd[10..]);
            to.clear();
            reply("250 OK")?;
        } else if upper.starts_with("RCPT TO:") {
            let a = address(&cmd[8..]);
            if rules.refuse.contains(&a) {
                reply("550 5.1.1 No such user here")?;
            } else {
                to.push(a);
                reply("250 OK")?;
            }
        } else if upper == "DATA" {
            reply("354 End data with <CR><LF>.<CR><LF>")?;
            let mut data = String::new();
            loop {
                line.clear();
                if input.read_line(&mut line)? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                let l = line.strip_prefix('.').unwrap_or(&line);
                data.push_str(l);
            }
            store.lock().unwrap().push(Received {
                from: from.clone(),
                to: std::mem::take(&mut to),
                data,
                auth: auth.clone(),
            });
            reply("250 OK queued")?;
        } else if upper == "RSET" {
            to.clear();
            reply("250 OK")?;
        } else if upper == "NOOP" {
            reply("250 OK")?;
        } else if upper == "QUIT" {
            reply("221 Bye")?;
            return Ok(());
        } else {
            reply("502 Command not implemented")?;
        }
    }
}

fn address(s: &str) -> String {
    let s = s.trim();
    let s = s.split_whitespace().next().unwrap_or("");
    s.trim_start_matches('<').trim_end_matches('>').to_string()
}
