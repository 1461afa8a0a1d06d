//! The import crate's integration tests, one binary: the real FEC samples, e-invoices (Factur-X, CII, UBL) and the
//! customers / open-invoices files.

mod cdar;
mod einvoice;
mod fec_samples;
mod fuzz;
mod strict;
mod tabular;
