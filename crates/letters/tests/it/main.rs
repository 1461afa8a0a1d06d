//! The letters as PDF files, read back as a person and a machine read them: the text pdftotext extracts holds
//! every mandatory mention and the computed numbers, the bytes are the same for the same data, the pages are A4
//! and counted per letter. One test binary for the crate; a module per document.

mod aging;
mod batch;
mod kinds;
mod long_values;
mod notice;
mod reminder;
mod samples;
mod support;
mod typeset;
