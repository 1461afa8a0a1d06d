-- The aged balance of encaisse (default buckets: not_due, 1-30, 31-60, 61-90, 91+; due date = PieceDate, else
-- EcritureDate, + 30 days) computed by DuckDB straight over a raw FEC file, for BENCHMARKS.md.
-- Parameters (set by duckdb_aging.py): getvariable('fec') the file, getvariable('as_of') the date.
-- Rules (crates/analytics/src/open_items.rs): customer lines are accounts 411*, keyed by CompAuxNum (else the
-- account); lines of a lettering group (customer, trimmed EcritureLet) count as lettered only when every line of
-- the group exists and was lettered by the date; a lettered group netting to zero is closed, otherwise its credits
-- pay its debits, earliest due date first, and what is left stays open (credit left over is unapplied); every other
-- line existing at the date is an open invoice (debit) or an unapplied credit.
WITH raw AS (
    SELECT *
    FROM read_csv(getvariable('fec'), delim = '\t', header = true, all_varchar = true, quote = '')
),
line AS (
    SELECT
        coalesce(nullif(CompAuxNum, ''), CompteNum) AS customer,
        strptime(EcritureDate, '%Y%m%d')::DATE AS entry_date,
        coalesce(strptime(nullif(PieceDate, ''), '%Y%m%d')::DATE, strptime(EcritureDate, '%Y%m%d')::DATE) AS doc_date,
        nullif(trim(EcritureLet), '') AS letter,
        strptime(nullif(DateLet, ''), '%Y%m%d')::DATE AS letter_date,
        (replace(coalesce(nullif(Debit, ''), '0'), ',', '.')::DECIMAL(18, 2)
            - replace(coalesce(nullif(Credit, ''), '0'), ',', '.')::DECIMAL(18, 2)) AS amount
    FROM raw
    WHERE CompteNum LIKE '411%'
),
grp AS (
    SELECT customer, letter,
           bool_and(entry_date <= getvariable('as_of')
                    AND coalesce(letter_date, entry_date) <= getvariable('as_of')) AS lettered,
           sum(amount) AS total,
           -sum(CASE WHEN amount <= 0 THEN amount ELSE 0 END) AS credit,
           sum(CASE WHEN amount > 0 THEN amount ELSE 0 END) AS debit
    FROM line WHERE letter IS NOT NULL
    GROUP BY ALL
),
-- Lines that count one by one: unlettered, or in a group not lettered yet at the date.
loose AS (
    SELECT l.customer, l.doc_date, l.amount
    FROM line l LEFT JOIN grp g USING (customer, letter)
    WHERE l.entry_date <= getvariable('as_of') AND (l.letter IS NULL OR NOT g.lettered)
),
-- Debits of lettered groups that do not net to zero, paid by the group's credit in due-date order.
partial AS (
    SELECT l.customer, l.doc_date, l.amount, g.credit,
           coalesce(sum(l.amount) OVER (PARTITION BY l.customer, l.letter ORDER BY l.doc_date, l.entry_date
                                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
    FROM line l JOIN grp g USING (customer, letter)
    WHERE g.lettered AND g.total <> 0 AND l.amount > 0
),
open_item AS (
    SELECT customer, doc_date, amount AS residual FROM loose WHERE amount > 0
    UNION ALL
    SELECT customer, doc_date, amount - least(amount, greatest(credit - before, 0)) AS residual
    FROM partial
),
unapplied AS (
    SELECT customer, amount FROM loose WHERE amount <= 0
    UNION ALL
    SELECT customer, -greatest(credit - debit, 0) FROM grp WHERE lettered AND total <> 0
),
aged AS (
    SELECT customer,
           getvariable('as_of') - (doc_date + 30) AS days,
           residual
    FROM open_item WHERE residual > 0
)
SELECT
    (SELECT count(DISTINCT customer) FROM (SELECT customer FROM aged UNION ALL
                                           SELECT customer FROM unapplied WHERE amount <> 0)) AS customers,
    sum(residual) FILTER (WHERE days <= 0) AS not_due,
    sum(residual) FILTER (WHERE days BETWEEN 1 AND 30) AS "1-30",
    sum(residual) FILTER (WHERE days BETWEEN 31 AND 60) AS "31-60",
    sum(residual) FILTER (WHERE days BETWEEN 61 AND 90) AS "61-90",
    sum(residual) FILTER (WHERE days > 90) AS "91+",
    (SELECT sum(amount) FROM unapplied) AS unapplied,
    sum(residual) + (SELECT sum(amount) FROM unapplied) AS balance
FROM aged;
