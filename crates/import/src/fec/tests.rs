use super::*;
use rust_decimal_macros::dec;

#[test]
fn amounts_as_exporters_write_them() {
    assert_eq!(parse_amount("0000000074,70"), Ok(dec!(74.70)));
    assert_eq!(parse_amount("  1234,5 "), Ok(dec!(1234.5)));
    assert_eq!(parse_amount("-12.30"), Ok(dec!(-12.30)));
    assert_eq!(parse_amount(""), Ok(dec!(0)));
    assert_eq!(parse_amount("1,000"), Ok(dec!(1)));
    assert!(parse_amount("1 234,56").is_err());
    assert!(parse_amount("12,34,5").is_err());
    assert!(parse_amount("abc").is_err());
    assert!(parse_amount("1,234").is_err());
    assert!(parse_amount("--1").is_err());
}

#[test]
fn dates_and_directions() {
    assert_eq!(parse_date("20260131"), Ok(NaiveDate::from_ymd_opt(2026, 1, 31)));
    assert_eq!(parse_date(" "), Ok(None));
    assert!(parse_date("20260231").is_err());
    assert!(parse_date("31/01/2026").is_err());
    assert_eq!(sens_sign("d"), Ok(Decimal::ONE));
    assert_eq!(sens_sign("-1"), Ok(Decimal::NEGATIVE_ONE));
    assert!(sens_sign("X").is_err());
}

#[test]
fn file_names() {
    let n = parse_file_name("/x/123456789FEC20251231.txt").unwrap();
    assert_eq!(n.siren, "123456789");
    assert_eq!(n.closing_date, NaiveDate::from_ymd_opt(2025, 12, 31).unwrap());
    assert!(parse_file_name("ledger.txt").is_none());
}

fn lines_of(bytes: &[u8]) -> (Scan, Vec<(usize, String)>) {
    let scan = scan(bytes).unwrap();
    let mut lines = Lines::new(bytes, &scan);
    let mut out = Vec::new();
    while let Some((n, l)) = lines.next_line().unwrap() {
        out.push((n, l.to_string()));
    }
    (scan, out)
}

#[test]
fn line_endings() {
    let (s, l) = lines_of(b"h\r\r\nx\r\r\n");
    assert_eq!(s.line_ending, "CR CR LF");
    assert_eq!(l, vec![(1, "h".to_string()), (2, "x".to_string())]);
    assert_eq!(lines_of(b"a\r\nb").0.line_ending, "CRLF");
    assert_eq!(lines_of(b"a\nb").0.line_ending, "LF");
    let (s, l) = lines_of(b"a\rb\r");
    assert_eq!(s.line_ending, "CR");
    assert_eq!(l, vec![(1, "a".to_string()), (2, "b".to_string())]);
}

#[test]
fn legacy_encodings() {
    let (s, l) = lines_of(b"Soci\xe9t\xe9 \xa4");
    assert_eq!(s.encoding, Encoding::Iso885915);
    assert_eq!(l[0].1, "Société €");
    let (s, l) = lines_of(b"\x80 caf\xe9");
    assert_eq!(s.encoding, Encoding::Windows1252);
    assert_eq!(l[0].1, "€ café");
    let (s, l) = lines_of(b"\xEF\xBB\xBFabc");
    assert_eq!(s.encoding, Encoding::Utf8Bom);
    assert_eq!(l[0].1, "abc");
}

#[test]
fn utf8_split_across_read_chunks_is_still_utf8() {
    // A reader that hands out one byte at a time cuts every multi-byte character.
    struct OneByte<'a>(&'a [u8]);
    impl Read for OneByte<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            match self.0.split_first() {
                Some((b, rest)) => {
                    buf[0] = *b;
                    self.0 = rest;
                    Ok(1)
                }
                None => Ok(0),
            }
        }
    }
    let text = "Société Générale – 1 234,56 €\n";
    assert_eq!(scan(OneByte(text.as_bytes())).unwrap().encoding, Encoding::Utf8);
    // Cut inside the final "€": not UTF-8 any more.
    assert_ne!(
        scan(OneByte(&text.as_bytes()[..text.len() - 2]))
            .unwrap()
            .encoding,
        Encoding::Utf8
    );
}

/// The scan of a file on two threads gives what the one-pass scan gives: fingerprint, size, encoding, line
/// ending, and the refusal of what is not text.
#[test]
fn the_scan_of_a_file_on_two_threads_is_the_one_pass_scan() {
    let dir = tempfile::tempdir().unwrap();
    let mut long = Vec::new();
    for i in 0..20_000 {
        long.extend_from_slice(format!("VE\t{i}\t20260105\tSociété Générale – 1 234,56 €\r\n").as_bytes());
    }
    let mut cp1252 = long.clone();
    cp1252.extend_from_slice(b"fin \x80\r\n");
    let samples: [(&str, Vec<u8>); 6] = [
        ("empty", Vec::new()),
        (
            "utf8 with BOM",
            b"\xEF\xBB\xBFJournalCode\tEcritureNum\n".to_vec(),
        ),
        ("long utf8 CRLF", long),
        ("cp1252 at the end", cp1252),
        ("latin-9", b"Soci\xe9t\xe9\rG\xe9n\xe9rale\r".to_vec()),
        ("utf-16", b"\xFF\xFEJ\0o\0u\0".to_vec()),
    ];
    for (name, bytes) in samples {
        let path = dir.path().join("f.txt");
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(
            scan_file(&path).unwrap(),
            scan(bytes.as_slice()).unwrap(),
            "{name}"
        );
    }
    assert!(scan_file(&dir.path().join("missing.txt")).is_err());
}

/// Batches given back by the sink are written over for the next lines (their strings reused): the lines handed
/// over are those of a reader that makes every line anew, lettered or not, over several batches.
#[test]
fn batches_given_back_are_written_over_with_the_same_lines_as_new_ones() {
    let mut text = String::from(
        "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\t\
         PieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise\n",
    );
    for i in 0..(BATCH_LINES * 2 + 300) {
        // Lettered one line in three, with letters of different lengths.
        let (letter, letter_date) = match i % 3 {
            0 => (format!("L{}", "A".repeat(i % 7)), "20260301"),
            _ => (String::new(), ""),
        };
        text.push_str(&format!(
            "VE\tVentes\t{i}\t20260105\t411000\tClients\tC{}\tClient {}\tF{i}\t20260104\tFacture {i} {}\t{},00\t0,00\t{letter}\t{letter_date}\t20260105\t\t\n\
             VE\tVentes\t{i}\t20260105\t706000\tVentes\t\t\tF{i}\t20260104\tFacture {i}\t0,00\t{},00\t\t\t20260105\t\t\n",
            i % 50,
            i % 50,
            "x".repeat(i % 11),
            100 + i,
            100 + i
        ));
    }
    let bytes = text.as_bytes();
    let scan = scan(bytes).unwrap();
    let expected = read_fec_from("f.txt", bytes, &scan, &FecOptions::default(), &mut |_, _| {}).unwrap();
    let (mut lines, mut numbers, mut given) = (Vec::new(), Vec::new(), 0);
    read_fec_stream(
        "f.txt",
        bytes,
        &scan,
        &FecOptions::default(),
        &mut |_, _| {},
        &mut |batch| {
            lines.extend(batch.lines.iter().cloned());
            numbers.extend(batch.line_numbers.iter().copied());
            given += 1;
            Some(batch)
        },
    )
    .unwrap();
    assert!(given >= 3, "{given} batches");
    assert_eq!(lines.len(), BATCH_LINES * 2 + 300);
    assert_eq!(lines, expected.lines);
    assert_eq!(numbers, expected.line_numbers);
}

/// Lines are read in the reader's buffer when it holds them whole and copied when they run over its end: the
/// same lines and the same count of bytes whatever the buffer's size.
#[test]
fn lines_that_run_over_the_reader_buffer_are_read_whole() {
    for text in [
        "a\tb\r\nccc\tdddd\r\n\r\nSociété\tlast",
        "x\ry\r\rzz\r",
        "\u{feff}h1\th2\n1\t2\n",
    ] {
        let bytes = text.as_bytes();
        let (scan, expected) = lines_of(bytes);
        for capacity in [1, 2, 3, 5, 8, 64] {
            let mut lines = Lines::new(io::BufReader::with_capacity(capacity, bytes), &scan);
            let mut read = Vec::new();
            while let Some((n, line)) = lines.next_line().unwrap() {
                read.push((n, line.to_string()));
            }
            assert_eq!(read, expected, "{text:?} in a buffer of {capacity}");
            assert_eq!(lines.consumed, bytes.len() as u64);
        }
    }
}

/// The record-level shortcut of the text checks skips only records without any byte the checks look at: a tab
/// inside a field of a file separated by '|', or a control character in a tab-separated one, is still refused
/// at its field.
#[test]
fn a_control_character_is_refused_whatever_the_separator() {
    let header =
        "JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|PieceRef|\
                  PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise";
    let record = |label: &str| {
        format!(
            "VE|Ventes|1|20260105|411000|Clients|C1|Client|F1|20260104|{label}|10,00|0,00||||||\n\
                 VE|Ventes|1|20260105|706000|Ventes|||F1|20260104|Facture|0,00|10,00||||||\n"
        )
    };
    for (separator, label) in [('|', "Facture\tJanvier"), ('\t', "Facture\u{1}Janvier")] {
        let text = format!("{header}\n{}", record(label)).replace('|', &separator.to_string());
        let errors = read_fec("f.txt", text.as_bytes(), &FecOptions::default())
            .unwrap_err()
            .0;
        assert!(
            errors
                .iter()
                .any(|e| e.line == 2 && e.field == "EcritureLib" && e.reason.contains("control character")),
            "{separator:?}: {errors:?}"
        );
    }
    let clean = format!("{header}\n{}", record("Facture Janvier"));
    assert!(read_fec("f.txt", clean.as_bytes(), &FecOptions::default()).is_ok());
}

proptest::proptest! {
    /// The fast path of `trimmed` keeps `str::trim`'s result, whatever the text (ASCII, controls, non-breaking
    /// and other Unicode spaces at either end).
    #[test]
    fn trimmed_is_str_trim(s in "[ \t\r\u{a0}\u{2009}\u{3000}a-z0-9,;|\u{e9}\u{1f600}]{0,12}") {
        proptest::prop_assert_eq!(trimmed(&s), s.trim());
    }

    /// `each_separator` finds every separator and only those, in order, at any offset of the eight-byte words
    /// (the bytes include 0x80-0xFF and the bytes around the separator, where a carry would show).
    #[test]
    fn each_separator_finds_what_memchr_finds(
        bytes in proptest::collection::vec(proptest::prop_oneof![
            proptest::prelude::Just(b'\t'), proptest::prelude::Just(b'|'), proptest::prelude::Just(0x08u8),
            proptest::prelude::Just(0x0Au8), proptest::prelude::Just(0x7Cu8 ^ 0x80), proptest::prelude::Just(0u8),
            proptest::prelude::any::<u8>(),
        ], 0..70),
        sep in proptest::prop_oneof![proptest::prelude::Just(b'\t'), proptest::prelude::Just(b'|')],
    ) {
        let mut found = Vec::new();
        each_separator(&bytes, sep, |i| found.push(i));
        proptest::prop_assert_eq!(found, memchr::memchr_iter(sep, &bytes).collect::<Vec<_>>());
    }
}

#[test]
fn a_record_split_on_its_separators_with_fields_trimmed() {
    let record = "VE\tVentes\t1\t20260308\t411000\t Clients \t\u{a0}C002100\t\t";
    let mut fields = Vec::new();
    let mut start = 0;
    each_separator(record.as_bytes(), b'\t', |end| {
        fields.push(trimmed(&record[start..end]));
        start = end + 1;
    });
    fields.push(trimmed(&record[start..]));
    assert_eq!(
        fields,
        ["VE", "Ventes", "1", "20260308", "411000", "Clients", "C002100", "", ""]
    );
}
