//! The store's integration tests, one binary: the book's round trip through the SQLite file, the bulk import
//! (COPY and the checks made once on a server), and the collections workflow's records.

mod backend;
mod import;
mod store;
mod workflow;
