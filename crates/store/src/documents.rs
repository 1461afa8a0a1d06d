//! Documents kept as sent: a letter's PDF, an email's RFC 5322 message, stored once by the SHA-256 of their bytes
//! (the same bytes sent twice are one row). Never changed nor deleted: an action names its document by hash.

use crate::db::{params, Optional, Tx};
use crate::{Result, Store};
use chrono::NaiveDate;
use sha2::{Digest, Sha256};

/// A document to keep with the action that sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocument<'a> {
    /// "application/pdf", "message/rfc822".
    pub media_type: &'a str,
    pub bytes: &'a [u8],
    /// The day it is kept (the app's clock).
    pub created_on: NaiveDate,
}

/// A kept document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub sha256: String,
    pub media_type: String,
    pub bytes: Vec<u8>,
    pub created_on: NaiveDate,
}

/// The lower-case hex SHA-256 of the bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Stores the document unless the same bytes are already kept; its hash.
pub(crate) fn keep_document(tx: &Tx<'_>, d: &NewDocument<'_>) -> Result<String> {
    let sha = sha256_hex(d.bytes);
    tx.execute(
        "INSERT INTO document (sha256, media_type, bytes, created_on) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (sha256) DO NOTHING",
        params![sha, d.media_type, d.bytes, d.created_on],
    )?;
    Ok(sha)
}

impl Store {
    /// The document kept under this hash.
    pub fn document(&self, sha256: &str) -> Result<Option<Document>> {
        self.conn
            .query_row(
                "SELECT sha256, media_type, bytes, created_on FROM document WHERE sha256 = ?1",
                [sha256],
                |r| {
                    Ok(Document {
                        sha256: r.get(0)?,
                        media_type: r.get(1)?,
                        bytes: r.get(2)?,
                        created_on: r.get(3)?,
                    })
                },
            )
            .optional()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_bytes() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
