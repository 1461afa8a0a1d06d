//! The notice's wording by the debtor's kind, read back with pdftotext: a professional's cites the Code de commerce
//! and the injonction de payer; a public body's the Code de la commande publique and the référé-provision before the
//! administrative court; a private person's neither penalty nor EUR 40, the legal interest from the notice.

use crate::support::{notice, pdftotext};
use encaisse_dunning::claims::{claim, Basis, DatedRate, RateTable};
use encaisse_letters::{render_notice, Notice};
use rust_decimal_macros::dec;

fn with_basis(basis: Basis, table: &RateTable) -> Notice {
    let n = notice(2);
    let invoices: Vec<_> = n.claim.invoices.iter().map(|l| l.invoice.clone()).collect();
    Notice {
        claim: claim(&invoices, n.claim.as_of, table, basis).unwrap(),
        ..n
    }
}

fn read(n: &Notice, name: &str) -> Option<String> {
    pdftotext(&render_notice(n), name)
}

/// A public body, by hand: FA-0042 (1,234.56) due 9 June 2026, interest began 10 June (2026 H1, ECB 2.15): 10.15 %
/// for its 170 days: 1234.56 × 10.15 × 170 / 36,500 = 58.3625… → 58.36; FA-0107 (1,000.00) due 1 October, 2026 H2
/// (ECB 2.15): 10.15 % × 56 days = 15.5726… → 15.57. 2,234.56 + 73.93 + 2 × 40 = 2,388.49.
#[test]
fn a_public_body_is_claimed_under_the_code_de_la_commande_publique() {
    let n = with_basis(Basis::PublicBody, &RateTable::builtin());
    assert_eq!(n.claim.invoices[0].interest, dec!(58.36));
    assert_eq!(n.claim.invoices[1].interest, dec!(15.57));
    assert_eq!(n.claim.total, dec!(2388.49));
    let Some(text) = read(&n, "public.pdf") else {
        return;
    };
    for needle in [
        "total réclamé 2 388,49 €",
        "Intérêts moratoires (art. R2192-31 CCP)",
        "Indemnités forfaitaires (art. D2192-35 CCP)",
        "majoré de 8 points (article R2192-31 du Code de la commande publique)",
        "10,15 % (taux du semestre du 01/01/2026 au 30/06/2026)",
        "10,15 % (taux du semestre du 01/07/2026 au 31/12/2026)",
        "article L2192-13 du Code de la commande publique",
        "D2192-35",
        "40 €",
        "juge des référés du tribunal administratif",
        "référé-provision",
        "73,93 €",
        "2 388,49 €",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    for absent in ["injonction de payer", "L441-10", "D441-5", "Code de commerce"] {
        assert!(
            !text.contains(absent),
            "{absent:?} in a public body's notice:\n{text}"
        );
    }
}

/// A private person: the principal only (2,234.56), no penalty or indemnity column or total; the legal interest runs
/// from the notice at the half-year's rate, cited from the Code civil; the injonction de payer before the tribunal
/// judiciaire.
#[test]
fn a_private_person_owes_the_legal_interest_from_the_notice_only() {
    // 2026 H2's legal rate is not in the built-in table: the letter says the rate runs by half-year, without a figure.
    let n = with_basis(Basis::Civil, &RateTable::builtin());
    assert_eq!(n.claim.total, dec!(2234.56));
    let Some(text) = read(&n, "private.pdf") else {
        return;
    };
    for needle in [
        "total réclamé 2 234,56 €",
        "Principal restant dû 2 234,56 €",
        "Total réclamé 2 234,56 €",
        "articles 1231-6 et 1344-1 du Code civil",
        "au taux de l’intérêt légal à compter de la présente mise en demeure, au taux de chaque semestre",
        "tribunal judiciaire",
        "injonction de payer",
        "la somme de 2 234,56 € dans un délai de 8 jours à compter de la réception de la présente.",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    for absent in [
        "Pénalités",
        "Indemnit",
        "40,00 €",
        "L441-10",
        "D441-5",
        "R2192-31",
        "administratif",
    ] {
        assert!(
            !text.contains(absent),
            "{absent:?} in a private person's notice:\n{text}"
        );
    }
    // With the half-year's rate in the table, the letter gives it.
    let mut table = RateTable::builtin();
    table
        .legal_interest
        .push(DatedRate::confirmed(crate::support::d("2026-07-01"), dec!(3.10)));
    let n = with_basis(Basis::Civil, &table);
    let Some(text) = read(&n, "private-rate.pdf") else {
        return;
    };
    assert!(
        text.contains("à compter de la présente mise en demeure, soit 3,10 % pour le semestre du 01/07/2026 au 31/12/2026"),
        "{text}"
    );
}

/// A professional's notice keeps the Code de commerce and the injonction de payer, never the public route.
#[test]
fn a_professional_keeps_the_code_de_commerce() {
    let n = with_basis(Basis::Statutory, &RateTable::builtin());
    let Some(text) = read(&n, "professional.pdf") else {
        return;
    };
    for needle in [
        "Pénalités de retard (art. L441-10 C. com.)",
        "Indemnités forfaitaires (art. D441-5 C. com.)",
        "injonction de payer",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    for absent in ["R2192-31", "administratif", "1231-6"] {
        assert!(!text.contains(absent), "{absent:?} in:\n{text}");
    }
}
