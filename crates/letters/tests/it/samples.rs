//! Sample PDFs for a person to look at.

use crate::support::{notice, reminder};
use encaisse_letters::{render_notice, render_reminder, Lang};
use rust_decimal_macros::dec;

#[test]
#[ignore = "writes the sample PDFs to LETTERS_OUT for a person to look at"]
fn write_samples() {
    let out = std::path::PathBuf::from(std::env::var("LETTERS_OUT").unwrap_or_else(|_| "/tmp".into()));
    std::fs::write(out.join("notice-sample.pdf"), render_notice(&notice(3))).unwrap();
    std::fs::write(out.join("notice-long-sample.pdf"), render_notice(&notice(60))).unwrap();
    let mut credited = notice(3);
    credited.credits = dec!(500);
    std::fs::write(out.join("notice-credits-sample.pdf"), render_notice(&credited)).unwrap();
    std::fs::write(
        out.join("reminder-sample.pdf"),
        render_reminder(&reminder(3, Lang::Fr)),
    )
    .unwrap();
    std::fs::write(
        out.join("reminder-long-sample.pdf"),
        render_reminder(&reminder(70, Lang::En)),
    )
    .unwrap();
}
