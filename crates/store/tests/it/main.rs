//! The store's integration tests, one binary: the book's round trip through the SQLite file, and the collections
//! workflow's records.

mod backend;
mod store;
mod workflow;
