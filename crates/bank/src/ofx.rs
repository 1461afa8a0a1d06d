//! OFX 1.x (SGML: leaf elements without end tags, a plain-text header) and 2.x (XML) bank and credit-card
//! statements, read by one small tag reader: an element followed by text is a leaf (its end tag optional), an
//! element followed by another tag is an aggregate closed by its end tag.
//! Read: STMTRS/CCSTMTRS → CURDEF, BANKACCTFROM/CCACCTFROM (BANKID, BRANCHID, ACCTID), BANKTRANLIST (DTSTART,
//! DTEND, STMTTRN: DTPOSTED, DTUSER, TRNAMT, FITID, NAME, MEMO, CHECKNUM, REFNUM), LEDGERBAL (BALAMT, DTASOF).

use crate::{entry, err, Format, Statement};
use chrono::NaiveDate;
use encaisse_import::{ImportError, ImportErrors};
use rust_decimal::Decimal;
use std::str::FromStr;

/// An element: its name, line, text (leaves) and children (aggregates).
#[derive(Debug, Default)]
struct El {
    name: String,
    line: usize,
    text: Option<String>,
    children: Vec<El>,
}

impl El {
    fn get(&self, name: &str) -> Option<&El> {
        self.children.iter().find(|c| c.name == name)
    }

    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a El> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    fn text_of(&self, name: &str) -> Option<String> {
        self.get(name)
            .and_then(|e| e.text.as_deref())
            .map(crate::text::collapse_spaces)
            .filter(|t| !t.is_empty())
    }

    /// Every descendant of that name, depth first.
    fn find_all<'a>(&'a self, name: &str, out: &mut Vec<&'a El>) {
        for c in &self.children {
            if c.name == name {
                out.push(c);
            } else {
                c.find_all(name, out);
            }
        }
    }
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// Parses the body from `<OFX>` on into a tree.
fn parse(file: &str, text: &str) -> Result<El, ImportError> {
    let start = text
        .find("<OFX>")
        .ok_or_else(|| err(file, 1, "OFX", "no <OFX> element"))?;
    let lines = encaisse_import::LineIndex::new(text);
    let line_at = |pos: usize| lines.line_of(pos);
    let mut stack: Vec<El> = vec![El {
        name: "#root".into(),
        ..El::default()
    }];
    let mut pos = start;
    let bytes = text.as_bytes();
    while pos < bytes.len() {
        let Some(lt) = text[pos..].find('<').map(|i| pos + i) else {
            break;
        };
        let gt = text[lt..]
            .find('>')
            .map(|i| lt + i)
            .ok_or_else(|| err(file, line_at(lt), "OFX", "a tag is not closed ('>' missing)"))?;
        let tag = text[lt + 1..gt].trim();
        pos = gt + 1;
        if tag.starts_with('?') || tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim().to_ascii_uppercase();
            // Close up to the matching open element (SGML leaves opened in between close with it).
            if !stack.iter().any(|e| e.name == name) {
                return Err(err(
                    file,
                    line_at(lt),
                    &name,
                    format!("</{name}> closes no open element"),
                ));
            }
            while let Some(mut top) = stack.pop() {
                let done = top.name == name;
                let parent = stack.last_mut().expect("the root is never closed");
                if done {
                    parent.children.push(top);
                    break;
                }
                // An SGML element left open (an empty leaf): what followed it belongs to its parent.
                let children = std::mem::take(&mut top.children);
                parent.children.push(top);
                parent.children.extend(children);
            }
            continue;
        }
        let self_closing = tag.ends_with('/');
        let name = tag
            .trim_end_matches('/')
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let next_lt = text[pos..].find('<').map_or(bytes.len(), |i| pos + i);
        let value = text[pos..next_lt].trim();
        let el = El {
            name: name.clone(),
            line: line_at(lt),
            ..El::default()
        };
        if self_closing {
            stack.last_mut().expect("root").children.push(el);
        } else if !value.is_empty() {
            // A leaf: its text, and its end tag if the next tag is it (XML).
            let mut leaf = el;
            leaf.text = Some(unescape(value));
            pos = next_lt;
            let end = format!("</{name}>");
            if bytes.len() - pos >= end.len()
                && bytes[pos..pos + end.len()].eq_ignore_ascii_case(end.as_bytes())
            {
                pos += end.len();
            }
            stack.last_mut().expect("root").children.push(leaf);
        } else {
            stack.push(el);
        }
    }
    while stack.len() > 1 {
        let top = stack.pop().expect("len > 1");
        if top.name == "OFX" || !top.children.is_empty() {
            // An aggregate never closed: refused (a cut file), but SGML leaves without text are tolerated.
            return Err(err(
                file,
                top.line,
                &top.name,
                format!("<{}> is never closed: the file is cut", top.name),
            ));
        }
        stack.last_mut().expect("root").children.push(top);
    }
    stack.pop().ok_or_else(|| err(file, 1, "OFX", "empty"))
}

fn date(file: &str, el: &El, name: &str) -> Result<Option<NaiveDate>, ImportError> {
    let Some(v) = el.text_of(name) else {
        return Ok(None);
    };
    let line = el.get(name).map_or(el.line, |e| e.line);
    v.get(..8)
        .filter(|d| d.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y%m%d").ok())
        .map(Some)
        .ok_or_else(|| err(file, line, name, format!("'{v}' is not an OFX date (YYYYMMDD…)")))
}

/// An OFX amount: sign, digits, a decimal point (or the comma some French banks write).
fn amount(file: &str, el: &El, name: &str) -> Result<Option<Decimal>, ImportError> {
    let Some(v) = el.text_of(name) else {
        return Ok(None);
    };
    let line = el.get(name).map_or(el.line, |e| e.line);
    let t = if v.contains('.') {
        v.clone()
    } else {
        v.replace(',', ".")
    };
    let body = t.trim_start_matches(['-', '+']);
    let ok = !body.is_empty()
        && body.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && body.matches('.').count() <= 1
        && t.matches(['-', '+']).count() <= 1;
    match Decimal::from_str(t.trim_start_matches('+')) {
        Ok(d) if ok => Ok(Some(d)),
        _ => Err(err(file, line, name, format!("'{v}' is not an amount"))),
    }
}

pub fn read(file: &str, bytes: &[u8]) -> Result<Vec<Statement>, ImportErrors> {
    let text = crate::decode(bytes);
    let root = parse(file, &text).map_err(|e| ImportErrors(vec![e]))?;
    let mut rs = Vec::new();
    root.find_all("STMTRS", &mut rs);
    root.find_all("CCSTMTRS", &mut rs);
    let mut errors = Vec::new();
    let mut statements = Vec::new();
    for st in rs {
        match statement(file, st) {
            Ok(s) => statements.push(s),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if statements.is_empty() && errors.is_empty() {
        errors.push(err(
            file,
            1,
            "STMTRS",
            "the file holds no bank or card statement (STMTRS, CCSTMTRS)",
        ));
    }
    if errors.is_empty() {
        Ok(statements)
    } else {
        Err(ImportErrors(errors))
    }
}

fn statement(file: &str, st: &El) -> Result<Statement, Vec<ImportError>> {
    let mut errors = Vec::new();
    let acct = st.get("BANKACCTFROM").or_else(|| st.get("CCACCTFROM"));
    let account = acct.and_then(|a| {
        let id = a.text_of("ACCTID")?;
        Some(match (a.text_of("BANKID"), a.text_of("BRANCHID")) {
            (Some(b), Some(g)) => format!("{b} {g} {id}"),
            (Some(b), None) => format!("{b} {id}"),
            _ => id,
        })
    });
    let Some(account) = account else {
        return Err(vec![err(
            file,
            st.line,
            "ACCTID",
            "no account (BANKACCTFROM/ACCTID)",
        )]);
    };
    let list = st.get("BANKTRANLIST");
    let mut entries = Vec::new();
    for tr in list.iter().flat_map(|l| l.all("STMTTRN")) {
        let posted = date(file, tr, "DTPOSTED");
        let user = date(file, tr, "DTUSER");
        let amt = amount(file, tr, "TRNAMT");
        let (posted, user, amt) = match (posted, user, amt) {
            (Ok(p), Ok(u), Ok(a)) => (p, u, a),
            (p, u, a) => {
                errors.extend(p.err().into_iter().chain(u.err()).chain(a.err()));
                continue;
            }
        };
        let Some(posted) = posted else {
            errors.push(err(file, tr.line, "DTPOSTED", "no posting date"));
            continue;
        };
        let Some(amt) = amt else {
            errors.push(err(file, tr.line, "TRNAMT", "no amount"));
            continue;
        };
        let mut e = entry(tr.line, posted, amt);
        e.value_date = user;
        let name = tr
            .text_of("NAME")
            .or_else(|| tr.get("PAYEE").and_then(|p| p.text_of("NAME")));
        let memo = tr.text_of("MEMO");
        e.label = name.clone().or_else(|| memo.clone()).unwrap_or_default();
        e.counterparty_name = name;
        e.remittance.extend(memo);
        e.references.extend(tr.text_of("CHECKNUM"));
        e.references.extend(tr.text_of("REFNUM"));
        e.bank_reference = tr.text_of("FITID");
        entries.push(e);
    }
    let start = list.map(|l| date(file, l, "DTSTART")).transpose();
    let end = list.map(|l| date(file, l, "DTEND")).transpose();
    let bal = st.get("LEDGERBAL");
    let closing = bal.map(|b| amount(file, b, "BALAMT")).transpose();
    let asof = bal.map(|b| date(file, b, "DTASOF")).transpose();
    let (start, end, closing, asof) = match (start, end, closing, asof) {
        (Ok(s), Ok(e), Ok(c), Ok(a)) => (s.flatten(), e.flatten(), c.flatten(), a.flatten()),
        (s, e, c, a) => {
            errors.extend(s.err().into_iter().chain(e.err()).chain(c.err()).chain(a.err()));
            (None, None, None, None)
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let from = start
        .or_else(|| entries.iter().map(|e| e.booking_date).min())
        .or(asof);
    let to = end
        .or(asof)
        .or_else(|| entries.iter().map(|e| e.booking_date).max())
        .or(from);
    let (Some(from), Some(to)) = (from, to) else {
        return Err(vec![err(
            file,
            st.line,
            "DTSTART",
            "the statement's period is nowhere (DTSTART, DTEND, DTASOF or a transaction's date)",
        )]);
    };
    Ok(Statement {
        format: Format::Ofx,
        account,
        statement_id: None,
        currency: st.text_of("CURDEF").unwrap_or_else(|| "EUR".to_string()),
        from,
        to,
        opening: None,
        closing,
        entries,
        line: st.line,
    })
}
