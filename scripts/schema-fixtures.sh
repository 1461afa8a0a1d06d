#!/usr/bin/env bash
# Writes crates/app/tests/fixtures/schema/vN.sql: for each earlier schema version, a database written by the
# `encaisse` CLI of the last commit of main that had that version (built from the git history), with what a user
# does with that version's commands, dumped as SQL (+ its schema version). crates/app/tests/it/upgrade.rs opens each
# with today's Encaisse and checks that nothing is lost. Run it by hand when a migration is added (add the new
# "version:commit" pair below: the last commit before the migration); it takes a few minutes per version.
#   bash scripts/schema-fixtures.sh            every version
#   bash scripts/schema-fixtures.sh 6 7        some
# Needs git history, cargo, sqlite3 and jq. Builds in a temporary worktree and target folder of its own
# (SCHEMA_FIXTURES_TARGET to reuse one; SCHEMA_FIXTURES_BIN_DIR with encaisse-COMMIT binaries to skip the builds).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD
out=$repo/crates/app/tests/fixtures/schema
samples=$repo/../shared/samples/fec
mkdir -p "$out"

# version:commit — the last commit of main at each schema version (history went 3 → 5: 0005 landed before 0004
# for one commit, so no commit had exactly version 4; upgrade.rs builds it from version 3).
versions="1:521af1b 2:2a60e6e 3:028a740 5:ae0a58a 6:5484a72 7:5bcf7a8 8:e6e07ab 10:f5777ca 11:ab71bc1 12:f228e18 14:83135bb"
wanted=("$@")

work=$(mktemp -d)
target=${SCHEMA_FIXTURES_TARGET:-$work/target}
trap 'git -C "$repo" worktree remove --force "$work/src" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

# The day the fixtures were written: the demo's history ends before it; every command sees the same "today".
export ENCAISSE_TODAY=2026-06-30 ENCAISSE_USER=marie
unset ENCAISSE_DB

demo() { "$cli" --db "$db" demo --customers 6 --seed 7 --end 2026-06-30 >/dev/null; }
fec() { "$cli" --db "$db" import fec "$samples/111111111FEC20221231.TXT" >/dev/null; }
customers_file() {
  printf 'Code client;Raison sociale;Email;Délai de paiement;Plafond de crédit\n' >"$work/clients.csv"
  printf '41101590;E.LECLERC CARPENTRAS;compta@leclerc-carpentras.example;45;20000\n' >>"$work/clients.csv"
  printf '41104752;U EXPRESS MONTEUX;;30;5000\n' >>"$work/clients.csv"
  "$cli" --db "$db" import customers "$work/clients.csv" >/dev/null
}
# What a credit manager types: a category, a call with its outcome, a promise, a dispute with a comment, a pause.
workflow() {
  local agenda first_c4 first_c6
  agenda=$("$cli" --db "$db" agenda --format json)
  first_c4=$(jq -r '.actions[] | select(.customer == "C00004") | .invoices[0]' <<<"$agenda")
  first_c6=$(jq -r '.actions[] | select(.customer == "C00006") | .invoices[0]' <<<"$agenda")
  "$cli" --db "$db" category C00004 key_account >/dev/null
  "$cli" --db "$db" action add --customer C00004 --kind call --invoice "$first_c4" --outcome promise \
    --body "Comptable jointe : virement la semaine prochaine" >/dev/null
  "$cli" --db "$db" promise add --customer C00004 --invoice "$first_c4" --date 2026-07-10 --amount 1000.00 \
    --comment "Virement promis par Mme Garnier" >/dev/null
  "$cli" --db "$db" dispute open --customer C00006 --invoice "$first_c6" --kind price --department sales \
    --comment "Remise de 5 % non appliquée" >/dev/null
  "$cli" --db "$db" dispute comment 1 "Avoir demandé au service commercial" >/dev/null
  "$cli" --db "$db" pause --customer C00003 --reason "Client en redressement judiciaire" >/dev/null
}
# Version 6 and later: the sender's settings (no password: the credential store is not the database's).
mail_settings() {
  "$cli" --db "$db" smtp set --host smtp.example.fr --port 587 --user relances@atelier-lumiere.example \
    --from relances@atelier-lumiere.example --from-name "Service relances" >/dev/null
  "$cli" --db "$db" email settings --contact-name "Marie Martin" --contact-email relances@atelier-lumiere.example \
    --contact-phone "01 23 45 67 89" >/dev/null
  "$cli" --db "$db" settings collections --min-gap 7 --grace 5 >/dev/null
}

# Version 10 and later: a waiver of late-payment penalties, with its reason.
penalty_waiver() {
  local first
  first=$("$cli" --db "$db" penalties --from 2026-01-01 --format json 2>/dev/null |
    jq -r '.customers[0] | "\(.id) \(.invoices[0].invoice)"')
  "$cli" --db "$db" penalties waive --customer "${first% *}" --invoice "${first#* }" \
    --reason "Geste commercial : client fidèle depuis 2015" >/dev/null
}

# Version 11 and later: a bank statement (camt.053) paying an overdue invoice, matched, and one payment kept on a
# customer's account by the user.
bank_statement() {
  local first customer number amount
  first=$("$cli" --db "$db" aging --invoices --format json | jq -c '[.invoices[] | select(.days > 0)][0]')
  customer=$(jq -r .customer_id <<<"$first") number=$(jq -r .piece_ref <<<"$first") amount=$(jq -r .residual <<<"$first")
  local total
  total=$(jq -rn --arg a "$amount" '($a | tonumber) + 50 | . * 100 | round / 100 | tostring')
  cat >"$work/releve.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>FIX-1</MsgId><CreDtTm>2026-06-30T06:00:00</CreDtTm></GrpHdr>
<Stmt><Id>FIX-1</Id><FrToDt><FrDtTm>2026-06-29T00:00:00</FrDtTm><ToDtTm>2026-06-29T23:59:59</ToDtTm></FrToDt>
<Acct><Id><IBAN>FR7630004005680001234567890</IBAN></Id><Ccy>EUR</Ccy></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-06-29</Dt></Dt></Bal>
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">$total</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-06-29</Dt></Dt></Bal>
<Ntry><Amt Ccy="EUR">$amount</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-06-29</Dt></BookgDt><AcctSvcrRef>FIX-E1</AcctSvcrRef><NtryDtls><TxDtls><RmtInf><Ustrd>VIR FACTURE $number</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
<Ntry><Amt Ccy="EUR">50.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-06-29</Dt></BookgDt><AcctSvcrRef>FIX-E2</AcctSvcrRef><NtryDtls><TxDtls><RmtInf><Ustrd>ACOMPTE</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
</Stmt></BkToCstmrStmt></Document>
XML
  "$cli" --db "$db" import bank "$work/releve.xml" >/dev/null
  "$cli" --db "$db" bank on-account "ref:FR7630004005680001234567890:FIX-E2" --customer "$customer" >/dev/null
}

# Version 12 and later: the e-invoicing platform's lifecycle statuses (CDAR): a 207 En litige on an open invoice
# (a dispute opened by the platform) and a 211 Paiement transmis on another.
einvoice_statuses() {
  local open first second date1 date2
  open=$("$cli" --db "$db" aging --invoices --format json | jq -c '[.invoices[] | select(.residual != "0.00")]')
  first=$(jq -r '.[0].piece_ref' <<<"$open") date1=$(jq -r '.[0].invoice_date' <<<"$open" | tr -d -)
  second=$(jq -r '.[1].piece_ref' <<<"$open") date2=$(jq -r '.[1].invoice_date' <<<"$open" | tr -d -)
  sed -e "s/F2026-0104/$first/g" -e "s/F2026-0101/$second/g" \
    -e "0,/20261015/s//$date2/" -e "s/20261015/$date1/g" \
    -e 's#<ram:ProcessConditionCode>204</ram:ProcessConditionCode>#<ram:ProcessConditionCode>211</ram:ProcessConditionCode>#' \
    -e 's#<ram:RecipientTradeParty><ram:GlobalID schemeID="0009">73282932000074</ram:GlobalID><ram:RoleCode>BY</ram:RoleCode></ram:RecipientTradeParty>##' \
    "$repo/crates/import/tests/fixtures/cdar/statuses.xml" >"$work/statuts.xml"
  "$cli" --db "$db" import status "$work/statuts.xml" >/dev/null
}

for pair in $versions; do
  version=${pair%%:*} commit=${pair#*:}
  if [ ${#wanted[@]} -gt 0 ] && [[ ! " ${wanted[*]} " == *" $version "* ]]; then continue; fi
  echo "schema version $version: the CLI of $commit"
  cli=$work/encaisse-v$version
  if [ -x "${SCHEMA_FIXTURES_BIN_DIR:-/nonexistent}/encaisse-$commit" ]; then
    # Already built (SCHEMA_FIXTURES_BIN_DIR holds encaisse-COMMIT binaries).
    cp "$SCHEMA_FIXTURES_BIN_DIR/encaisse-$commit" "$cli"
  else
    git worktree remove --force "$work/src" >/dev/null 2>&1 || true
    git worktree add --detach "$work/src" "$commit" >/dev/null
    # One target for every version: cargo would take the previous version's workspace crates as fresh.
    rm -rf "$target"/debug/.fingerprint/encaisse-* "$target"/debug/deps/*encaisse_* "$target"/debug/deps/encaisse-*
    (cd "$work/src" && CARGO_TARGET_DIR=$target cargo build --quiet -p encaisse-cli --bin encaisse)
    cp "$target/debug/encaisse" "$cli"
  fi
  db=$work/v$version.db
  rm -f "$db"
  case $version in
    1) demo ;;
    2) fec ;;
    3) fec; customers_file ;;
    5) demo; workflow ;;
    6 | 7 | 8) demo; workflow; mail_settings ;;
    10) demo; workflow; mail_settings; penalty_waiver ;;
    11) demo; workflow; mail_settings; penalty_waiver; bank_statement ;;
    12 | 14) demo; workflow; mail_settings; penalty_waiver; bank_statement; einvoice_statuses ;;
  esac
  found=$(sqlite3 "$db" 'PRAGMA user_version')
  [ "$found" = "$version" ] || { echo "v$version: the database says version $found" >&2; exit 1; }
  {
    echo "-- Written by the encaisse CLI of commit $commit (schema version $version) by scripts/schema-fixtures.sh."
    sqlite3 "$db" .dump
    echo "PRAGMA user_version = $version;"
  } >"$out/v$version.sql"
  echo "  $out/v$version.sql: $(wc -c <"$out/v$version.sql") bytes"
done
