//! One way to run the store's SQL on either backend: the embedded SQLite file (rusqlite) or a PostgreSQL server
//! (the synchronous `postgres` client). The store's modules write their SQL once, in the subset both dialects
//! share (`?N` placeholders, `ON CONFLICT`, `RETURNING`, `"user"` quoted, `CAST(… AS BIGINT)`), and read rows
//! through [`Row::get`], which converts what each backend returns (PostgreSQL's `BOOL` of `EXISTS`, `NUMERIC` of
//! `SUM`, dates stored as text) into the same Rust values.
//!
//! Transactions nest: the outermost is `BEGIN` (`BEGIN IMMEDIATE` on SQLite: it takes the write lock when it
//! begins, so none fails half-way for want of it), inner ones are savepoints; a [`Tx`] dropped without
//! [`Tx::commit`] rolls back what was done under it.
//!
//! What only SQLite has (the one-pass ledger reader, file backups) reaches the connection through
//! [`Conn::lite`], which refuses a server; what only a server has (binary COPY, array parameters) goes through
//! [`Conn::copy_in`] and [`Conn::query_server`], which refuse SQLite.

use crate::{Result, StoreError};
use chrono::NaiveDate;
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

/// A connection to one of the two backends.
pub(crate) struct Conn {
    backend: Backend,
    /// Transactions open on it (savepoints included).
    depth: Cell<u32>,
}

enum Backend {
    Lite(rusqlite::Connection),
    Pg(Box<Pg>),
}

pub(crate) struct Pg {
    client: RefCell<postgres::Client>,
    /// Statements prepared on the server, by their PostgreSQL text.
    statements: RefCell<HashMap<String, postgres::Statement>>,
}

/// Which backend a connection runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Conn {
    pub(crate) fn sqlite(conn: rusqlite::Connection) -> Conn {
        Conn {
            backend: Backend::Lite(conn),
            depth: Cell::new(0),
        }
    }

    pub(crate) fn postgres(client: postgres::Client) -> Conn {
        Conn {
            backend: Backend::Pg(Box::new(Pg {
                client: RefCell::new(client),
                statements: RefCell::new(HashMap::new()),
            })),
            depth: Cell::new(0),
        }
    }

    pub(crate) fn dialect(&self) -> Dialect {
        match self.backend {
            Backend::Lite(_) => Dialect::Sqlite,
            Backend::Pg(_) => Dialect::Postgres,
        }
    }

    /// The SQLite connection, for what only SQLite does; a server is refused with what was asked.
    pub(crate) fn lite(&self) -> Result<&rusqlite::Connection> {
        match &self.backend {
            Backend::Lite(c) => Ok(c),
            Backend::Pg(_) => Err(sqlite_only()),
        }
    }

    pub(crate) fn lite_mut(&mut self) -> Result<&mut rusqlite::Connection> {
        match &mut self.backend {
            Backend::Lite(c) => Ok(c),
            Backend::Pg(_) => Err(sqlite_only()),
        }
    }

    /// Whether a transaction is open on this connection.
    pub(crate) fn in_transaction(&self) -> bool {
        match &self.backend {
            Backend::Lite(c) => !c.is_autocommit(),
            Backend::Pg(_) => self.depth.get() > 0,
        }
    }

    pub(crate) fn execute(&self, sql: &str, params: impl Params) -> Result<usize> {
        self.prepare(sql)?.execute(params)
    }

    /// The order rows of a table without an id column were written in: SQLite's `rowid`; a server keeps no such
    /// order, so its rows come by their key (bank allocations by customer and invoice, platform flows by flow id).
    pub(crate) fn insertion_order(&self, table: &str) -> String {
        match (&self.backend, table) {
            (Backend::Lite(_), t) => format!("{t}.rowid"),
            (Backend::Pg(_), "pa_flow") => "pa_flow.flow_id".into(),
            (Backend::Pg(_), t) => format!("{t}.customer_key, {t}.invoice"),
        }
    }

    /// Several statements without parameters.
    pub(crate) fn execute_batch(&self, sql: &str) -> Result<()> {
        match &self.backend {
            Backend::Lite(c) => Ok(c.execute_batch(sql)?),
            Backend::Pg(pg) => pg
                .client
                .borrow_mut()
                .batch_execute(sql)
                .map_err(StoreError::from),
        }
    }

    /// The first row's `f`; no row: `QueryReturnedNoRows` ([`Optional::optional`] makes it `None`).
    pub(crate) fn query_row<T>(
        &self,
        sql: &str,
        params: impl Params,
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        self.prepare(sql)?.query_row(params, f)
    }

    /// A statement run several times (its text is prepared once per connection on both backends).
    pub(crate) fn prepare<'c>(&'c self, sql: &str) -> Result<Stmt<'c>> {
        Ok(match &self.backend {
            Backend::Lite(c) => Stmt::Lite(c.prepare_cached(sql)?),
            Backend::Pg(pg) => Stmt::Pg(pg, pg.statement(sql)?),
        })
    }

    /// Opens a transaction, or a savepoint inside the one open.
    pub(crate) fn transaction(&self) -> Result<Tx<'_>> {
        self.begin(false)
    }

    /// The outermost transaction of an import: on SQLite a busy file is reported as `Busy`.
    pub(crate) fn begin(&self, outermost_only: bool) -> Result<Tx<'_>> {
        let level = self.depth.get();
        if outermost_only && level > 0 {
            return Err(StoreError::Refused("a transaction is already open".into()));
        }
        let sql = match (level, &self.backend) {
            (0, Backend::Lite(_)) => "BEGIN IMMEDIATE".to_string(),
            (0, Backend::Pg(_)) => "BEGIN".to_string(),
            (n, _) => format!("SAVEPOINT encaisse_{n}"),
        };
        self.execute_batch(&sql)?;
        self.depth.set(level + 1);
        Ok(Tx {
            conn: self,
            level,
            done: false,
        })
    }
}

/// The type of a column a binary COPY sends: the schema's `BIGINT` or `TEXT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CopyType {
    Int,
    Text,
}

impl Conn {
    /// Rows loaded by one `COPY table (columns) FROM STDIN (FORMAT binary)`, on a server only: `fill` hands each
    /// row to [`CopyRows::write`]. An error of `fill` or of the server aborts the COPY, and the transaction it runs
    /// in is then failed as by any refused statement (the import's rolls back: nothing of it is written). Returns
    /// the rows loaded.
    pub(crate) fn copy_in(
        &self,
        table: &str,
        columns: &[(&str, CopyType)],
        fill: impl FnOnce(&mut CopyRows<'_>) -> Result<()>,
    ) -> Result<u64> {
        let Backend::Pg(pg) = &self.backend else {
            return Err(server_only());
        };
        let names: Vec<&str> = columns.iter().map(|c| c.0).collect();
        let types = copy_types(columns);
        let sql = format!("COPY {table} ({}) FROM STDIN (FORMAT binary)", names.join(", "));
        let mut client = pg.client.borrow_mut();
        let writer = client.copy_in(sql.as_str())?;
        let mut rows = CopyRows::new(writer, types);
        // Dropped unfinished on an error: the client sends CopyFail, the server refuses the whole COPY.
        fill(&mut rows)?;
        rows.finish()
    }

    /// A query with PostgreSQL's own parameters (arrays for `unnest`, `$N` placeholders), on a server only: every
    /// row's `f`.
    pub(crate) fn query_server<T>(
        &self,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
        mut f: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        let Backend::Pg(pg) = &self.backend else {
            return Err(server_only());
        };
        let stmt = pg.statement(sql)?;
        let rows = pg.client.borrow_mut().query(&stmt, params)?;
        rows.iter().map(|r| f(&Row::Pg(r))).collect()
    }
}

/// The server's types of a COPY's columns.
fn copy_types(columns: &[(&str, CopyType)]) -> Vec<postgres::types::Type> {
    use postgres::types::Type;
    columns
        .iter()
        .map(|c| match c.1 {
            CopyType::Int => Type::INT8,
            CopyType::Text => Type::TEXT,
        })
        .collect()
}

/// One row in PostgreSQL's binary COPY format, appended to `buf`: a value per column, in the columns' order (a
/// value of the wrong kind for its column is refused by the conversion, as for a statement's parameter).
fn encode_row(types: &[postgres::types::Type], buf: &mut bytes::BytesMut, row: &[Value<'_>]) -> Result<()> {
    use bytes::BufMut;
    use postgres::types::{IsNull, ToSql};
    if row.len() != types.len() {
        return Err(StoreError::Refused(format!(
            "a COPY row of {} values for {} columns",
            row.len(),
            types.len()
        )));
    }
    // Each field: its length (-1 for NULL), then its bytes.
    buf.put_i16(row.len() as i16);
    for (value, ty) in row.iter().zip(types) {
        let at = buf.len();
        buf.put_i32(0);
        let encoded = value
            .to_sql_checked(ty, buf)
            .map_err(|e| StoreError::Refused(format!("COPY: {e}")))?;
        let len = match encoded {
            IsNull::Yes => -1,
            IsNull::No => i32::try_from(buf.len() - at - 4)
                .map_err(|_| StoreError::Refused("a COPY value over 2 GB".into()))?,
        };
        buf[at..at + 4].copy_from_slice(&len.to_be_bytes());
    }
    Ok(())
}

/// Rows encoded for a later [`Conn::copy_in`] into a table of these columns ([`CopyRows::write_buffer`]): what
/// is read while the connection is busy with another COPY.
pub(crate) struct CopyBuffer {
    types: Vec<postgres::types::Type>,
    buf: bytes::BytesMut,
}

impl CopyBuffer {
    pub(crate) fn new(columns: &[(&str, CopyType)]) -> CopyBuffer {
        CopyBuffer {
            types: copy_types(columns),
            buf: bytes::BytesMut::new(),
        }
    }

    /// One row, as [`CopyRows::write`] takes it.
    pub(crate) fn write(&mut self, row: &[Value<'_>]) -> Result<()> {
        encode_row(&self.types, &mut self.buf, row)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }
}

/// The rows of one [`Conn::copy_in`], in PostgreSQL's binary COPY format: each value encoded by its type's
/// `ToSql` (the `postgres` crate's own encoders), the rows framed here and sent by chunks of [`COPY_CHUNK`]
/// bytes. (The crate's `BinaryCopyInWriter` frames them the same way but sends every 4 KiB through its runtime:
/// 17,000 sends for the 1,000,000-line FEC's 70 MB of lines, a fifth of the import's client CPU.)
pub(crate) struct CopyRows<'c> {
    writer: postgres::CopyInWriter<'c>,
    types: Vec<postgres::types::Type>,
    buf: bytes::BytesMut,
}

/// The bytes a COPY sends at once: large enough that sending costs little, small enough that the server loads
/// a batch while the rest of it is encoded.
const COPY_CHUNK: usize = 256 * 1024;

impl<'c> CopyRows<'c> {
    fn new(writer: postgres::CopyInWriter<'c>, types: Vec<postgres::types::Type>) -> CopyRows<'c> {
        use bytes::BufMut;
        let mut buf = bytes::BytesMut::with_capacity(COPY_CHUNK + 64 * 1024);
        // The format's signature, its flags (none) and the length of its header extension (none).
        buf.put_slice(b"PGCOPY\n\xff\r\n\0");
        buf.put_i32(0);
        buf.put_i32(0);
        CopyRows { writer, types, buf }
    }

    /// One row: a value per column, in the columns' order (a value of the wrong kind for its column is refused
    /// by the conversion, as for a statement's parameter).
    pub(crate) fn write(&mut self, row: &[Value<'_>]) -> Result<()> {
        encode_row(&self.types, &mut self.buf, row)?;
        if self.buf.len() >= COPY_CHUNK {
            self.send()?;
        }
        Ok(())
    }

    /// The rows of a buffer encoded for the same columns.
    pub(crate) fn write_buffer(&mut self, rows: &CopyBuffer) -> Result<()> {
        if rows.types != self.types {
            return Err(StoreError::Refused(
                "a COPY's rows encoded for other columns".into(),
            ));
        }
        for chunk in rows.buf.chunks(COPY_CHUNK) {
            self.buf.extend_from_slice(chunk);
            if self.buf.len() >= COPY_CHUNK {
                self.send()?;
            }
        }
        Ok(())
    }

    fn send(&mut self) -> Result<()> {
        use std::io::Write;
        self.writer
            .write_all(&self.buf)
            .map_err(|e| StoreError::Refused(format!("COPY: {e}")))?;
        self.buf.clear();
        Ok(())
    }

    /// The end of the rows, then the COPY's completion; returns the rows loaded.
    fn finish(mut self) -> Result<u64> {
        use bytes::BufMut;
        self.buf.put_i16(-1);
        self.send()?;
        Ok(self.writer.finish()?)
    }
}

fn server_only() -> StoreError {
    StoreError::Refused("this is a PostgreSQL server's (COPY, arrays): not for a SQLite file".into())
}

fn sqlite_only() -> StoreError {
    StoreError::Refused(
        "this needs the database file of a single computer (SQLite); a team's PostgreSQL server does not offer it yet"
            .into(),
    )
}

fn no_rows() -> StoreError {
    StoreError::Sqlite(rusqlite::Error::QueryReturnedNoRows)
}

/// A transaction (or savepoint): rolled back when dropped without [`Tx::commit`].
pub(crate) struct Tx<'c> {
    conn: &'c Conn,
    level: u32,
    done: bool,
}

impl<'c> Tx<'c> {
    /// The connection the transaction is open on, for as long as the transaction's borrow.
    pub(crate) fn conn(&self) -> &'c Conn {
        self.conn
    }

    pub(crate) fn commit(mut self) -> Result<()> {
        self.finish(true)
    }

    pub(crate) fn rollback(mut self) -> Result<()> {
        self.finish(false)
    }

    fn finish(&mut self, commit: bool) -> Result<()> {
        self.done = true;
        self.conn.depth.set(self.level);
        let sql = match (self.level, commit) {
            (0, true) => "COMMIT".to_string(),
            (0, false) => "ROLLBACK".to_string(),
            (n, true) => format!("RELEASE SAVEPOINT encaisse_{n}"),
            (n, false) => format!("ROLLBACK TO SAVEPOINT encaisse_{n}; RELEASE SAVEPOINT encaisse_{n}"),
        };
        if self.level == 0 && !self.conn.in_transaction_raw() {
            // SQLite already rolled the transaction back (an error that ends it): nothing left to end.
            return Ok(());
        }
        self.conn.execute_batch(&sql)
    }
}

impl Conn {
    /// Ends the outermost transaction, opened by [`Conn::begin`] and kept open by the write lock.
    pub(crate) fn end_outermost(&self, commit: bool) -> Result<()> {
        Tx {
            conn: self,
            level: 0,
            done: false,
        }
        .finish(commit)
    }

    /// Whether the backend itself has a transaction open (SQLite ends one by itself on some errors).
    fn in_transaction_raw(&self) -> bool {
        match &self.backend {
            Backend::Lite(c) => !c.is_autocommit(),
            Backend::Pg(_) => true,
        }
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if !self.done {
            // Nothing to report to: the connection is back where it was either way.
            let _ = self.finish(false);
        }
    }
}

impl std::ops::Deref for Tx<'_> {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        self.conn
    }
}

/// A statement to run several times: prepared once (SQLite keeps it compiled, PostgreSQL on the server).
pub(crate) enum Stmt<'c> {
    Lite(rusqlite::CachedStatement<'c>),
    Pg(&'c Pg, postgres::Statement),
}

impl Stmt<'_> {
    pub(crate) fn execute(&mut self, params: impl Params) -> Result<usize> {
        match self {
            Stmt::Lite(s) => {
                bind_lite(s, &params)?;
                Ok(s.raw_execute()?)
            }
            Stmt::Pg(pg, s) => pg.run(s, &params.list()),
        }
    }

    /// Every row's `f`, each as a `Result` (the form of rusqlite's `query_map`).
    pub(crate) fn query_map<T>(
        &mut self,
        params: impl Params,
        mut f: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<std::vec::IntoIter<Result<T>>> {
        let out: Vec<Result<T>> = match self {
            Stmt::Lite(s) => {
                bind_lite(s, &params)?;
                let mut rows = s.raw_query();
                let mut out = Vec::new();
                while let Some(r) = rows.next()? {
                    out.push(f(&Row::Lite(r)));
                }
                out
            }
            Stmt::Pg(pg, s) => pg
                .fetch(s, &params.list())?
                .iter()
                .map(|r| f(&Row::Pg(r)))
                .collect(),
        };
        Ok(out.into_iter())
    }

    pub(crate) fn query_row<T>(
        &mut self,
        params: impl Params,
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        match self {
            Stmt::Lite(s) => {
                bind_lite(s, &params)?;
                let mut rows = s.raw_query();
                match rows.next()? {
                    Some(r) => f(&Row::Lite(r)),
                    None => Err(no_rows()),
                }
            }
            Stmt::Pg(pg, s) => match pg.fetch(s, &params.list())?.first() {
                Some(r) => f(&Row::Pg(r)),
                None => Err(no_rows()),
            },
        }
    }
}

impl Pg {
    fn statement(&self, sql: &str) -> Result<postgres::Statement> {
        let text = placeholders(sql);
        if let Some(s) = self.statements.borrow().get(&text) {
            return Ok(s.clone());
        }
        let stmt = self.client.borrow_mut().prepare(&text)?;
        self.statements.borrow_mut().insert(text, stmt.clone());
        Ok(stmt)
    }

    fn run(&self, stmt: &postgres::Statement, params: &[&dyn Param]) -> Result<usize> {
        let values: Vec<Value<'_>> = params.iter().map(|p| p.value()).collect();
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = values.iter().map(|v| v as _).collect();
        let n = self.client.borrow_mut().execute(stmt, &refs)?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    fn fetch(&self, stmt: &postgres::Statement, params: &[&dyn Param]) -> Result<Vec<postgres::Row>> {
        let values: Vec<Value<'_>> = params.iter().map(|p| p.value()).collect();
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = values.iter().map(|v| v as _).collect();
        Ok(self.client.borrow_mut().query(stmt, &refs)?)
    }
}

/// SQLite's `?N` and `?` placeholders as PostgreSQL's `$N`, outside quoted text.
pub(crate) fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut next = 0u32;
    let mut quote: Option<char> = None;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), _) if c == q => {
                quote = None;
                out.push(c);
            }
            (Some(_), _) => out.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                out.push(c);
            }
            (None, '?') => {
                out.push('$');
                if chars.peek().is_some_and(char::is_ascii_digit) {
                    while let Some(d) = chars.next_if(char::is_ascii_digit) {
                        out.push(d);
                    }
                } else {
                    next += 1;
                    out.push_str(&next.to_string());
                }
            }
            (None, _) => out.push(c),
        }
    }
    out
}

// ----- values sent -----

/// A value bound to a placeholder.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Int(i64),
    Text(Cow<'a, str>),
    Blob(Cow<'a, [u8]>),
}

/// What can be bound to a placeholder.
pub trait Param {
    fn value(&self) -> Value<'_>;
}

impl<T: Param + ?Sized> Param for &T {
    fn value(&self) -> Value<'_> {
        (**self).value()
    }
}

impl<T: Param> Param for Option<T> {
    fn value(&self) -> Value<'_> {
        match self {
            Some(v) => v.value(),
            None => Value::Null,
        }
    }
}

impl Param for Value<'_> {
    fn value(&self) -> Value<'_> {
        match self {
            Value::Null => Value::Null,
            Value::Int(i) => Value::Int(*i),
            Value::Text(t) => Value::Text(Cow::Borrowed(t)),
            Value::Blob(b) => Value::Blob(Cow::Borrowed(b)),
        }
    }
}

macro_rules! int_param {
    ($($t:ty),*) => {$(
        impl Param for $t {
            fn value(&self) -> Value<'_> {
                Value::Int(i64::from(*self))
            }
        }
    )*};
}
int_param!(i64, i32, i16, i8, u32, u16, u8, bool);

impl Param for usize {
    fn value(&self) -> Value<'_> {
        Value::Int(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}

impl Param for u64 {
    fn value(&self) -> Value<'_> {
        Value::Int(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}

impl Param for str {
    fn value(&self) -> Value<'_> {
        Value::Text(Cow::Borrowed(self))
    }
}

impl Param for String {
    fn value(&self) -> Value<'_> {
        Value::Text(Cow::Borrowed(self))
    }
}

impl Param for [u8] {
    fn value(&self) -> Value<'_> {
        Value::Blob(Cow::Borrowed(self))
    }
}

impl Param for Vec<u8> {
    fn value(&self) -> Value<'_> {
        Value::Blob(Cow::Borrowed(self))
    }
}

impl Param for NaiveDate {
    fn value(&self) -> Value<'_> {
        Value::Text(Cow::Owned(self.format("%Y-%m-%d").to_string()))
    }
}

impl Param for crate::SqlDate {
    fn value(&self) -> Value<'_> {
        Value::Text(Cow::Borrowed(self.as_str()))
    }
}

/// The parameters of one statement: `params![…]`, an array of one type, or `[]`. Read by index, so SQLite binds
/// them without allocating (an import binds millions).
pub(crate) trait Params {
    fn count(&self) -> usize;
    fn at(&self, i: usize) -> &dyn Param;
    fn list(&self) -> Vec<&dyn Param> {
        (0..self.count()).map(|i| self.at(i)).collect()
    }
}

impl Params for &[&dyn Param] {
    fn count(&self) -> usize {
        self.len()
    }
    fn at(&self, i: usize) -> &dyn Param {
        self[i]
    }
}

impl Params for [&dyn Param; 0] {
    fn count(&self) -> usize {
        0
    }
    fn at(&self, i: usize) -> &dyn Param {
        self[i]
    }
}

macro_rules! array_params {
    ($($n:literal),*) => {$(
        impl<T: Param> Params for [T; $n] {
            fn count(&self) -> usize {
                $n
            }
            fn at(&self, i: usize) -> &dyn Param {
                &self[i]
            }
        }
    )*};
}
array_params!(1, 2, 3, 4, 5, 6, 7, 8);

/// Binds `params` to a SQLite statement, one by one (its count checked, as rusqlite's `execute` does).
fn bind_lite(s: &mut rusqlite::Statement<'_>, params: &impl Params) -> Result<()> {
    let n = params.count();
    if n != s.parameter_count() {
        return Err(rusqlite::Error::InvalidParameterCount(n, s.parameter_count()).into());
    }
    for i in 0..n {
        s.raw_bind_parameter(i + 1, params.at(i).value())?;
    }
    Ok(())
}

/// `params![a, b, …]`: values of different types for one statement.
macro_rules! params {
    () => {
        &[] as &[&dyn $crate::db::Param]
    };
    ($($p:expr),+ $(,)?) => {
        &[$(&$p as &dyn $crate::db::Param),+] as &[&dyn $crate::db::Param]
    };
}
pub(crate) use params;

impl rusqlite::ToSql for Value<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Int(i) => ValueRef::Integer(*i),
            Value::Text(t) => ValueRef::Text(t.as_bytes()),
            Value::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

impl postgres::types::ToSql for Value<'_> {
    fn to_sql(
        &self,
        ty: &postgres::types::Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        use postgres::types::Type;
        match self {
            Value::Null => Ok(postgres::types::IsNull::Yes),
            Value::Int(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                Type::NUMERIC => rust_decimal::Decimal::from(*i).to_sql(ty, out),
                // SQLite stores an integer bound to a text column as its digits.
                Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
                    i.to_string().as_str().to_sql(ty, out)
                }
                _ => Err(format!("an integer cannot be sent as {ty}").into()),
            },
            Value::Text(t) if <&str as postgres::types::ToSql>::accepts(ty) => t.as_ref().to_sql(ty, out),
            Value::Text(t) => Err(format!("text '{t}' cannot be sent as {ty}").into()),
            Value::Blob(b) => b.as_ref().to_sql(ty, out),
        }
    }

    fn accepts(_: &postgres::types::Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

// ----- values read -----

/// A value read, as both backends give it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Datum<'a> {
    Null,
    Int(i64),
    Text(&'a str),
    Blob(&'a [u8]),
}

/// One row of a result.
pub(crate) enum Row<'a> {
    Lite(&'a rusqlite::Row<'a>),
    Pg(&'a postgres::Row),
}

impl Row<'_> {
    /// The `i`-th column as `T` (the index's type is only there to keep rusqlite's `get::<_, T>` form).
    pub(crate) fn get<I: Idx, T: FromCell>(&self, i: I) -> Result<T> {
        let i = i.index();
        let cell = self.cell(i)?;
        T::from_cell(cell).map_err(|expected| StoreError::Corrupt {
            what: format!("column {i} (expected {expected})"),
            value: format!("{cell:?}"),
        })
    }

    pub(crate) fn cell(&self, i: usize) -> Result<Datum<'_>> {
        match self {
            Row::Lite(r) => {
                use rusqlite::types::ValueRef;
                Ok(match r.get_ref(i)? {
                    ValueRef::Null => Datum::Null,
                    ValueRef::Integer(n) => Datum::Int(n),
                    ValueRef::Text(t) => {
                        Datum::Text(std::str::from_utf8(t).map_err(|e| StoreError::Corrupt {
                            what: format!("column {i}"),
                            value: e.to_string(),
                        })?)
                    }
                    ValueRef::Blob(b) => Datum::Blob(b),
                    ValueRef::Real(_) => {
                        return Err(StoreError::Corrupt {
                            what: format!("column {i}"),
                            value: "a floating-point number".into(),
                        })
                    }
                })
            }
            Row::Pg(r) => pg_cell(r, i),
        }
    }
}

fn pg_cell(r: &postgres::Row, i: usize) -> Result<Datum<'_>> {
    use postgres::types::Type;
    let ty = r
        .columns()
        .get(i)
        .map(|c| c.type_().clone())
        .ok_or_else(|| StoreError::Corrupt {
            what: format!("column {i}"),
            value: "no such column".into(),
        })?;
    let cell = match ty {
        Type::INT8 => r.try_get::<_, Option<i64>>(i)?.map(Datum::Int),
        Type::INT4 => r.try_get::<_, Option<i32>>(i)?.map(|n| Datum::Int(n.into())),
        Type::INT2 => r.try_get::<_, Option<i16>>(i)?.map(|n| Datum::Int(n.into())),
        Type::BOOL => r.try_get::<_, Option<bool>>(i)?.map(|b| Datum::Int(b.into())),
        Type::NUMERIC => match r.try_get::<_, Option<rust_decimal::Decimal>>(i)? {
            None => None,
            Some(d) => {
                use rust_decimal::prelude::ToPrimitive;
                let whole = d.fract().is_zero().then(|| d.to_i64()).flatten();
                Some(Datum::Int(whole.ok_or_else(|| StoreError::Corrupt {
                    what: format!("column {i}"),
                    value: d.to_string(),
                })?))
            }
        },
        Type::BYTEA => r.try_get::<_, Option<&[u8]>>(i)?.map(Datum::Blob),
        _ => r.try_get::<_, Option<&str>>(i)?.map(Datum::Text),
    };
    Ok(cell.unwrap_or(Datum::Null))
}

/// A column's index (only `usize`: an integer literal is one).
pub(crate) trait Idx {
    fn index(self) -> usize;
}

impl Idx for usize {
    fn index(self) -> usize {
        self
    }
}

/// What a column converts into; the error names the type expected.
pub(crate) trait FromCell: Sized {
    fn from_cell(cell: Datum<'_>) -> std::result::Result<Self, &'static str>;
}

impl<T: FromCell> FromCell for Option<T> {
    fn from_cell(cell: Datum<'_>) -> std::result::Result<Self, &'static str> {
        match cell {
            Datum::Null => Ok(None),
            other => T::from_cell(other).map(Some),
        }
    }
}

macro_rules! int_cell {
    ($($t:ty),*) => {$(
        impl FromCell for $t {
            fn from_cell(cell: Datum<'_>) -> std::result::Result<Self, &'static str> {
                match cell {
                    Datum::Int(n) => <$t>::try_from(n).map_err(|_| stringify!($t)),
                    _ => Err(stringify!($t)),
                }
            }
        }
    )*};
}
int_cell!(i64, i32, u32, u16, u8, u64, usize);

impl FromCell for bool {
    fn from_cell(cell: Datum<'_>) -> std::result::Result<Self, &'static str> {
        match cell {
            Datum::Int(n) => Ok(n != 0),
            _ => Err("a boolean"),
        }
    }
}

impl FromCell for String {
    fn from_cell(cell: Datum<'_>) -> std::result::Result<Self, &'static str> {
        match cell {
            Datum::Text(t) => Ok(t.to_string()),
            // SQLite gives back what a text column holds as it was bound.
            Datum::Int(n) => Ok(n.to_string()),
            _ => Err("text"),
        }
    }
}

impl FromCell for Vec<u8> {
    fn from_cell(cell: Datum<'_>) -> std::result::Result<Self, &'static str> {
        match cell {
            Datum::Blob(b) => Ok(b.to_vec()),
            Datum::Text(t) => Ok(t.as_bytes().to_vec()),
            _ => Err("bytes"),
        }
    }
}

impl FromCell for NaiveDate {
    fn from_cell(cell: Datum<'_>) -> std::result::Result<Self, &'static str> {
        match cell {
            Datum::Text(t) => NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| "a date YYYY-MM-DD"),
            _ => Err("a date YYYY-MM-DD"),
        }
    }
}

/// `.optional()` on a single-row query: no row is `None`.
pub(crate) trait Optional<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> Optional<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(StoreError::Sqlite(rusqlite::Error::QueryReturnedNoRows)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_numbered_outside_quotes() {
        assert_eq!(
            placeholders("SELECT ?1, ?2 WHERE a = ?1"),
            "SELECT $1, $2 WHERE a = $1"
        );
        assert_eq!(
            placeholders("VALUES (?, ?, '?', \"a?\")"),
            "VALUES ($1, $2, '?', \"a?\")"
        );
        assert_eq!(
            placeholders("x = ?12 AND y = 'it''s ?'"),
            "x = $12 AND y = 'it''s ?'"
        );
    }

    #[test]
    fn nested_transactions_are_savepoints_and_roll_back_alone() {
        let conn = Conn::sqlite(rusqlite::Connection::open_in_memory().unwrap());
        conn.execute_batch("CREATE TABLE t (v INTEGER)").unwrap();
        let outer = conn.transaction().unwrap();
        outer.execute("INSERT INTO t VALUES (?1)", [1]).unwrap();
        {
            let inner = outer.transaction().unwrap();
            inner.execute("INSERT INTO t VALUES (?1)", [2]).unwrap();
        }
        let inner = outer.transaction().unwrap();
        inner.execute("INSERT INTO t VALUES (?1)", [3]).unwrap();
        inner.commit().unwrap();
        outer.commit().unwrap();
        let values = conn
            .prepare("SELECT v FROM t ORDER BY v")
            .unwrap()
            .query_map([], |r| r.get::<_, i64>(0))
            .unwrap()
            .collect::<Result<Vec<_>>>()
            .unwrap();
        assert_eq!(values, vec![1, 3]);
        assert!(!conn.in_transaction());
    }

    #[test]
    fn rows_convert_and_a_missing_row_is_none() {
        let conn = Conn::sqlite(rusqlite::Connection::open_in_memory().unwrap());
        let (n, text, day, none): (u32, String, NaiveDate, Option<String>) = conn
            .query_row(
                "SELECT ?1, ?2, ?3, NULL",
                params![7u32, "a", NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!(
            (n, text.as_str(), day.to_string().as_str(), none),
            (7, "a", "2026-12-03", None)
        );
        let missing = conn
            .query_row("SELECT 1 WHERE 0", [], |r| r.get::<_, i64>(0))
            .optional()
            .unwrap();
        assert_eq!(missing, None);
    }
}
