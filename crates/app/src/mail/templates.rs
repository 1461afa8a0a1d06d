//! Email templates: the defaults (French and English) for each step of the standard scenario, the thank-you and
//! the daily report, and their rendering with minijinja into a subject, a text part and an HTML part.
//!
//! A template is plain text with `{{ placeholders }}` (and Jinja `{% if %}` / `{% for %}` for those who want them).
//! Values are HTML-escaped in the HTML part; tables (`{{ invoice_table }}` …) are laid out as aligned text in the
//! text part and as an HTML `<table>` in the HTML part. The text the user wrote around the placeholders goes into
//! the HTML part as written, blank lines making paragraphs.
//!
//! Over 600 lines on purpose: the rendering engine, the default texts it renders and their unit tests are read
//! together (a default text's placeholders are the engine's context); about 200 of the lines are the tests.

use chrono::NaiveDate;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// The languages templates exist in.
pub const LANGUAGES: [&str; 2] = ["fr", "en"];

/// Template ids with a built-in default: the standard scenario's steps, the thank-you, the daily report.
pub const TEMPLATE_IDS: [&str; 8] = [
    "pre_reminder",
    "reminder_1",
    "reminder_2",
    "reminder_3",
    "personal_letter",
    "formal_notice",
    THANK_YOU,
    DAILY_REPORT,
];
pub const THANK_YOU: &str = "thank_you";
pub const DAILY_REPORT: &str = "daily_report";

/// Bounds the work of one rendering (a user's template with a runaway loop stops with an error), beyond what
/// writing the context's values costs: minijinja charges every byte written, so the fuel of a rendering is this
/// plus [`FUEL_PER_BYTE`] times the size of the values (a daily report of a thousand agenda rows, or of the longest
/// names, is written whole).
const FUEL: u64 = 200_000;
const FUEL_PER_BYTE: u64 = 4;

/// A plain-text table's cells are cut beyond this many characters, with an ellipsis (a 500-character name would
/// widen every row of its column; the HTML part keeps the whole value).
pub const TEXT_CELL_MAX: usize = 80;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub subject: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// A table of the message (invoices, actions…): text columns, some aligned right.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    pub headers: Vec<String>,
    /// Columns aligned right (amounts, days).
    pub right: Vec<bool>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Aligned columns separated by two spaces; widths in characters.
    pub fn to_text(&self) -> String {
        let cut = |cell: &String| -> String {
            match cell.char_indices().nth(TEXT_CELL_MAX - 1) {
                Some((end, _)) if cell.chars().count() > TEXT_CELL_MAX => format!("{}…", &cell[..end]),
                _ => cell.clone(),
            }
        };
        let rows: Vec<Vec<String>> = self.rows.iter().map(|r| r.iter().map(cut).collect()).collect();
        let cols = self.headers.len();
        let mut width: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &rows {
            for (i, cell) in row.iter().enumerate().take(cols) {
                width[i] = width[i].max(cell.chars().count());
            }
        }
        let line = |cells: &[String]| {
            let mut out = String::new();
            for (i, cell) in cells.iter().enumerate().take(cols) {
                let pad = width[i] - cell.chars().count();
                let last = i + 1 == cols;
                if self.right.get(i).copied().unwrap_or(false) {
                    out.push_str(&" ".repeat(pad));
                    out.push_str(cell);
                } else {
                    out.push_str(cell);
                    if !last {
                        out.push_str(&" ".repeat(pad));
                    }
                }
                if !last {
                    out.push_str("  ");
                }
            }
            out.trim_end().to_string()
        };
        let mut lines = vec![line(&self.headers)];
        lines.push(
            width
                .iter()
                .map(|w| "-".repeat(*w))
                .collect::<Vec<_>>()
                .join("  "),
        );
        lines.extend(rows.iter().map(|r| line(r)));
        lines.join("\n")
    }

    /// One line of HTML (no newline, so that the paragraphs around it are not broken), every cell escaped.
    pub fn to_html(&self) -> String {
        let cell = |tag: &str, i: usize, v: &str| {
            let align = if self.right.get(i).copied().unwrap_or(false) {
                "right"
            } else {
                "left"
            };
            format!(
                "<{tag} style=\"text-align:{align};padding:4px 8px;border-bottom:1px solid #ddd\">{}</{tag}>",
                escape_html(v)
            )
        };
        let mut out = String::from("<table style=\"border-collapse:collapse\"><thead><tr>");
        for (i, h) in self.headers.iter().enumerate() {
            out.push_str(&cell("th", i, h));
        }
        out.push_str("</tr></thead><tbody>");
        for row in &self.rows {
            out.push_str("<tr>");
            for (i, v) in row.iter().enumerate() {
                out.push_str(&cell("td", i, v));
            }
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table>");
        out
    }
}

pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Every placeholder by its French name (what the default templates and the editor use), with its English name,
/// kept as an alias so that templates saved before the French names keep working. Both names render the same value.
pub const PLACEHOLDERS: [(&str, &str); 36] = [
    ("raison_sociale", "company_name"),
    ("nom_contact", "contact_name"),
    ("email_contact", "contact_email"),
    ("telephone_contact", "contact_phone"),
    ("lien_paiement", "payment_link"),
    ("iban", "iban"),
    ("bic", "bic"),
    ("titulaire_compte", "account_holder"),
    ("reference_paiement", "payment_reference"),
    ("date", "date"),
    ("nom_client", "customer_name"),
    ("code_client", "customer_id"),
    ("total_du", "total"),
    ("nb_factures", "invoice_count"),
    ("plus_ancienne_echeance", "oldest_due_date"),
    ("etape", "step"),
    ("factures", "invoices"),
    ("tableau_factures", "invoice_table"),
    ("tableau_a_echoir", "not_due_table"),
    ("nb_a_echoir", "not_due_count"),
    ("total_echu", "overdue_total"),
    ("total_a_echoir", "not_due_total"),
    ("relance_precedente", "previous_reminder"),
    ("delai_jours", "deadline_days"),
    ("mentions_retard", "late_payment_terms"),
    ("serveur", "host"),
    ("hier", "yesterday"),
    ("total_encaisse", "collections_total"),
    ("nb_reglements", "collections_count"),
    ("nb_actions", "agenda_count"),
    ("montant_a_relancer", "agenda_amount"),
    ("tableau_agenda", "agenda_table"),
    ("nb_promesses_non_tenues", "broken_count"),
    ("tableau_promesses_non_tenues", "broken_table"),
    ("nb_litiges", "disputes_count"),
    ("tableau_litiges", "disputes_table"),
];

/// The French name of a placeholder given by either name (a name the table does not know is its own).
pub fn french_name(name: &str) -> &str {
    PLACEHOLDERS
        .iter()
        .find(|(fr, en)| *fr == name || *en == name)
        .map_or(name, |(fr, _)| fr)
}

/// The English alias of a placeholder given by either name.
fn english_name(name: &str) -> &str {
    PLACEHOLDERS
        .iter()
        .find(|(fr, en)| *fr == name || *en == name)
        .map_or(name, |(_, en)| en)
}

/// What a template can use: plain values (strings, numbers, lists of records for loops) and tables.
#[derive(Debug, Clone, Default)]
pub struct Context {
    values: BTreeMap<String, Value>,
    tables: BTreeMap<String, Table>,
}

impl Context {
    pub fn set(&mut self, key: &str, value: impl Into<Value>) -> &mut Self {
        self.values.insert(key.to_string(), value.into());
        self
    }

    /// A list of records (e.g. the invoices, for `{% for i in invoices %}`).
    pub fn set_list<T: Serialize>(&mut self, key: &str, items: &[T]) -> &mut Self {
        self.values
            .insert(key.to_string(), Value::from(minijinja::value::Serde(items)));
        self
    }

    pub fn set_table(&mut self, key: &str, table: Table) -> &mut Self {
        self.tables.insert(key.to_string(), table);
        self
    }

    /// The placeholders a template can use, for the editor: their French names, sorted.
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self
            .values
            .keys()
            .chain(self.tables.keys())
            .map(|k| french_name(k).to_string())
            .collect();
        keys.sort();
        keys.dedup();
        keys
    }

    /// Every value under its French name and its English alias.
    fn value(&self, html: bool) -> Value {
        let mut map = BTreeMap::new();
        let mut put = |k: &str, v: Value| {
            map.insert(french_name(k).to_string(), v.clone());
            map.insert(english_name(k).to_string(), v);
        };
        for (k, v) in &self.values {
            put(k, v.clone());
        }
        for (k, t) in &self.tables {
            let v = if html {
                Value::from_safe_string(t.to_html())
            } else {
                Value::from(t.to_text())
            };
            put(k, v);
        }
        Value::from(map)
    }
}

fn environment(html: bool, fuel: u64) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
    env.set_fuel(Some(fuel));
    env.set_auto_escape_callback(move |_| if html { AutoEscape::Html } else { AutoEscape::None });
    env
}

fn render_one(source: &str, ctx: &Context, html: bool) -> Result<String, String> {
    let value = ctx.value(html);
    // The values' size as written: their text (JSON is a close bound of it for lists and maps).
    let size = ctx
        .values
        .values()
        .map(|v| v.as_str().map_or_else(|| v.to_string().len(), str::len))
        .chain(ctx.tables.values().map(|t| {
            if html {
                t.to_html().len()
            } else {
                t.to_text().len()
            }
        }))
        .sum::<usize>();
    let fuel = FUEL.saturating_add(FUEL_PER_BYTE.saturating_mul(u64::try_from(size).unwrap_or(u64::MAX)));
    environment(html, fuel)
        .render_str(source, value)
        .map_err(|e| match e.line() {
            Some(line) => format!("line {line}: {}", e.kind_and_detail()),
            None => e.kind_and_detail(),
        })
}

trait KindAndDetail {
    fn kind_and_detail(&self) -> String;
}

impl KindAndDetail for minijinja::Error {
    fn kind_and_detail(&self) -> String {
        match self.detail() {
            Some(d) => format!("{}: {d}", self.kind()),
            None => self.kind().to_string(),
        }
    }
}

/// No more than one blank line in a row, no trailing spaces, no blank lines at the ends (what `{% if %}` blocks on
/// lines of their own leave behind).
fn tidy(text: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim_end) {
        if line.is_empty() && out.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

/// Blank lines make paragraphs, line breaks `<br>`; a table stands alone.
fn html_document(body: &str) -> String {
    let mut out = String::from(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head>\
         <body style=\"font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.4\">\n",
    );
    for block in body.split("\n\n").map(str::trim).filter(|b| !b.is_empty()) {
        if block.starts_with("<table") && block.ends_with("</table>") {
            out.push_str(block);
        } else {
            out.push_str("<p>");
            out.push_str(&block.lines().collect::<Vec<_>>().join("<br>\n"));
            out.push_str("</p>");
        }
        out.push('\n');
    }
    out.push_str("</body></html>\n");
    out
}

/// Renders a template: the subject on one line, the text part, the HTML part.
pub fn render(t: &Template, ctx: &Context) -> Result<Rendered, String> {
    let subject = render_one(&t.subject, ctx, false).map_err(|e| format!("subject: {e}"))?;
    let subject = subject.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = tidy(&render_one(&t.body, ctx, false).map_err(|e| format!("body: {e}"))?);
    let html = html_document(&tidy(
        &render_one(&t.body, ctx, true).map_err(|e| format!("body: {e}"))?,
    ));
    Ok(Rendered {
        subject,
        text: text + "\n",
        html,
    })
}

// ---------------------------------------------------------------------------------------------------------------
// Formats

/// "1 234,56 €" in French (no-break spaces), "€1,234.56" in English: the domain's formats.
pub fn money(amount: Decimal, lang: &str) -> String {
    let lang = if lang == "fr" {
        encaisse_domain::Lang::Fr
    } else {
        encaisse_domain::Lang::En
    };
    encaisse_domain::format_money(amount, lang)
}

/// 26/11/2026 in both languages (day first, as in France and the UK).
pub fn date(d: NaiveDate) -> String {
    encaisse_domain::format_date_fr(d)
}

/// One invoice as templates see it (`{% for i in invoices %}{{ i.number }}…`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvoiceLine {
    pub number: String,
    pub invoice_date: String,
    pub due_date: String,
    /// The invoice's full amount.
    pub amount: String,
    /// What is left to pay.
    pub residual: String,
    /// Days past due; negative before the due date.
    pub days_late: i64,
}

/// The invoice table: number, date, due date, amount, left to pay, days late.
pub fn invoice_table(lines: &[InvoiceLine], lang: &str) -> Table {
    let fr = lang == "fr";
    let headers: [&str; 6] = if fr {
        ["Facture", "Date", "Échéance", "Montant", "Reste dû", "Retard"]
    } else {
        [
            "Invoice",
            "Date",
            "Due date",
            "Amount",
            "Left to pay",
            "Days late",
        ]
    };
    Table {
        headers: headers.iter().map(|h| h.to_string()).collect(),
        right: vec![false, false, false, true, true, true],
        rows: lines
            .iter()
            .map(|l| {
                vec![
                    l.number.clone(),
                    l.invoice_date.clone(),
                    l.due_date.clone(),
                    l.amount.clone(),
                    l.residual.clone(),
                    if l.days_late > 0 {
                        format!("{} {}", l.days_late, if fr { "j" } else { "d" })
                    } else {
                        String::new()
                    },
                ]
            })
            .collect(),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Defaults

// The customer's creditor reference ("RF…") comes back with the transfer that quotes it: the bank matching reads it.
const PAYMENT_FR: &str = "{% if lien_paiement %}Vous pouvez régler en ligne : {{ lien_paiement }}\n{% endif %}\
{% if iban %}Par virement : {{ titulaire_compte }} – IBAN {{ iban }}{% if bic %} – BIC {{ bic }}{% endif %}\n{% endif %}\
{% if reference_paiement %}Référence à rappeler avec votre règlement : {{ reference_paiement }}\n{% endif %}";
const PAYMENT_EN: &str = "{% if lien_paiement %}You can pay online: {{ lien_paiement }}\n{% endif %}\
{% if iban %}By bank transfer: {{ titulaire_compte }} – IBAN {{ iban }}{% if bic %} – BIC {{ bic }}{% endif %}\n{% endif %}\
{% if reference_paiement %}Reference to quote with your payment: {{ reference_paiement }}\n{% endif %}";
// The person's name, then the company's once (the name is left out when nobody is known).
const SIGNATURE_FR: &str = "Cordialement,\n\n{% if nom_contact %}{{ nom_contact }}\n{% endif %}{{ raison_sociale }}\
{% if telephone_contact %}\nTél. {{ telephone_contact }}{% endif %}{% if email_contact %}\n{{ email_contact }}{% endif %}";
const SIGNATURE_EN: &str = "Kind regards,\n\n{% if nom_contact %}{{ nom_contact }}\n{% endif %}{{ raison_sociale }}\
{% if telephone_contact %}\nPhone {{ telephone_contact }}{% endif %}{% if email_contact %}\n{{ email_contact }}{% endif %}";

// The invoices not yet due listed with overdue ones: their own table, never called unpaid.
const NOT_DUE_FR: &str =
    "{% if nb_a_echoir %}À échoir (pour information, ces factures ne sont pas encore exigibles) :\n\n\
{{ tableau_a_echoir }}\n\nMontant à échoir : {{ total_a_echoir }}.\n\n{% endif %}";
const NOT_DUE_EN: &str =
    "{% if nb_a_echoir %}Not yet due (for information, these invoices are not payable yet):\n\n\
{{ tableau_a_echoir }}\n\nAmount not yet due: {{ total_a_echoir }}.\n\n{% endif %}";

fn compose(opening: &str, after_table: &str, lang: &str) -> String {
    let (payment, signature, not_due) = if lang == "fr" {
        (PAYMENT_FR, SIGNATURE_FR, NOT_DUE_FR)
    } else {
        (PAYMENT_EN, SIGNATURE_EN, NOT_DUE_EN)
    };
    format!("{opening}\n\n{{{{ tableau_factures }}}}\n\n{after_table}\n\n{not_due}{payment}\n{signature}\n")
}

/// The built-in template of an id and language (None for an unknown id or language).
pub fn default_template(id: &str, lang: &str) -> Option<Template> {
    let fr = match lang {
        "fr" => true,
        "en" => false,
        _ => return None,
    };
    let t = |subject: &str, body: String| {
        Some(Template {
            subject: subject.to_string(),
            body,
        })
    };
    let total_fr = "Montant total : {{ total_du }}.";
    let total_en = "Total: {{ total_du }}.";
    // Reminders: what is overdue (what is coming due has its own table and total).
    let overdue_fr = "Montant échu : {{ total_echu }}.";
    let overdue_en = "Amount overdue: {{ total_echu }}.";
    match (id, fr) {
        ("pre_reminder", true) => t(
            "{{ raison_sociale }} – échéance prochaine de vos factures",
            compose(
                "Bonjour,\n\nNous vous informons que les factures suivantes arrivent bientôt à échéance :",
                &format!("{total_fr}\nSi votre règlement est déjà programmé, merci de ne pas tenir compte de ce message."),
                lang,
            ),
        ),
        ("pre_reminder", false) => t(
            "{{ raison_sociale }} – invoices falling due soon",
            compose(
                "Hello,\n\nThis is a friendly reminder that the following invoices will soon fall due:",
                &format!("{total_en}\nIf your payment is already scheduled, please disregard this message."),
                lang,
            ),
        ),
        ("reminder_1", true) => t(
            "{{ raison_sociale }} – factures échues",
            compose(
                "Bonjour,\n\nSauf erreur de notre part, les factures suivantes, échues, restent impayées à ce jour :",
                &format!("{overdue_fr}\nNous vous remercions de bien vouloir procéder à leur règlement. Si celui-ci est déjà parti, merci de ne pas tenir compte de ce message."),
                lang,
            ),
        ),
        ("reminder_1", false) => t(
            "{{ raison_sociale }} – overdue invoices",
            compose(
                "Hello,\n\nUnless we are mistaken, the following invoices are overdue and still unpaid:",
                &format!("{overdue_en}\nWe would be grateful if you could settle them. If your payment is already on its way, please disregard this message."),
                lang,
            ),
        ),
        ("reminder_2", true) => t(
            "{{ raison_sociale }} – deuxième relance : factures impayées",
            compose(
                "Bonjour,\n\n{% if relance_precedente %}Malgré notre précédent message, nous n'avons pas reçu{% else %}Sauf erreur de notre part, nous n'avons pas reçu{% endif %} le règlement des factures échues suivantes :",
                &format!("{overdue_fr}\n{{{{ mentions_retard }}}}\nMerci de procéder à leur règlement sous {{{{ delai_jours }}}} jours à compter de la réception du présent message, ou de nous signaler toute difficulté concernant ces factures."),
                lang,
            ),
        ),
        ("reminder_2", false) => t(
            "{{ raison_sociale }} – second reminder: unpaid invoices",
            compose(
                "Hello,\n\n{% if relance_precedente %}Despite our previous message, we{% else %}Unless we are mistaken, we{% endif %} have not received payment of the following overdue invoices:",
                &format!("{overdue_en}\n{{{{ mentions_retard }}}}\nPlease pay them within {{{{ delai_jours }}}} days of receiving this message, or tell us about any issue with these invoices."),
                lang,
            ),
        ),
        ("reminder_3", true) => t(
            "{{ raison_sociale }} – dernière relance avant mise en demeure",
            compose(
                "Bonjour,\n\n{% if relance_precedente %}Les factures échues suivantes restent impayées malgré nos relances :{% else %}Sauf erreur de notre part, les factures échues suivantes restent impayées :{% endif %}",
                &format!("{overdue_fr}\nSans règlement de votre part sous {{{{ delai_jours }}}} jours à compter de la réception du présent message, nous serons contraints d'engager la procédure de recouvrement. {{{{ mentions_retard }}}}"),
                lang,
            ),
        ),
        ("reminder_3", false) => t(
            "{{ raison_sociale }} – final reminder before formal notice",
            compose(
                "Hello,\n\n{% if relance_precedente %}The following overdue invoices remain unpaid despite our reminders:{% else %}Unless we are mistaken, the following overdue invoices remain unpaid:{% endif %}",
                &format!("{overdue_en}\nWithout payment within {{{{ delai_jours }}}} days of receiving this message, we will have to start collection proceedings. {{{{ mentions_retard }}}}"),
                lang,
            ),
        ),
        ("personal_letter", true) => t(
            "{{ raison_sociale }} – votre compte client",
            compose(
                "Bonjour,\n\nJe me permets de vous écrire personnellement au sujet des factures suivantes, qui restent impayées :",
                &format!("{overdue_fr}\nJe vous appellerai dans les prochains jours pour faire le point avec vous ; n'hésitez pas à me contacter d'ici là."),
                lang,
            ),
        ),
        ("personal_letter", false) => t(
            "{{ raison_sociale }} – your account",
            compose(
                "Hello,\n\nI am writing to you personally about the following invoices, which remain unpaid:",
                &format!("{overdue_en}\nI will call you in the coming days to discuss them; feel free to contact me before then."),
                lang,
            ),
        ),
        ("formal_notice", true) => t(
            "{{ raison_sociale }} – mise en demeure de payer",
            compose(
                "Madame, Monsieur,\n\nVous trouverez ci-joint notre mise en demeure de payer, également adressée par lettre recommandée avec accusé de réception, pour les factures suivantes :",
                &format!("{overdue_fr}\nÀ défaut de règlement dans le délai indiqué, nous saisirons la juridiction compétente sans autre avis."),
                lang,
            ),
        ),
        ("formal_notice", false) => t(
            "{{ raison_sociale }} – formal notice to pay",
            compose(
                "Dear Sir or Madam,\n\nPlease find attached our formal notice to pay, also sent by registered letter, for the following invoices:",
                &format!("{overdue_en}\nFailing payment within the stated time, we will refer the matter to the competent court without further notice."),
                lang,
            ),
        ),
        (THANK_YOU, true) => t(
            "{{ raison_sociale }} – merci pour votre règlement",
            format!("Bonjour,\n\nNous avons bien reçu le règlement des factures suivantes et vous en remercions :\n\n{{{{ tableau_factures }}}}\n\n{SIGNATURE_FR}\n"),
        ),
        (THANK_YOU, false) => t(
            "{{ raison_sociale }} – thank you for your payment",
            format!("Hello,\n\nWe have received payment of the following invoices, thank you:\n\n{{{{ tableau_factures }}}}\n\n{SIGNATURE_EN}\n"),
        ),
        (DAILY_REPORT, true) => t(
            "Encaisse – rapport du {{ date }} ({{ raison_sociale }})",
            "Rapport quotidien du {{ date }}\n\n\
Encaissements de la veille ({{ hier }}) : {{ total_encaisse }} en {{ nb_reglements }} règlement{% if nb_reglements > 1 %}s{% endif %}.\n\n\
Agenda du jour : {{ nb_actions }} action{% if nb_actions > 1 %}s{% endif %}, {{ montant_a_relancer }} à relancer.\n\n\
{% if nb_actions %}{{ tableau_agenda }}\n\n{% endif %}\
Promesses non tenues : {{ nb_promesses_non_tenues }}.\n\n\
{% if nb_promesses_non_tenues %}{{ tableau_promesses_non_tenues }}\n\n{% endif %}\
Nouveaux litiges : {{ nb_litiges }}.\n\n\
{% if nb_litiges %}{{ tableau_litiges }}\n{% endif %}"
                .to_string(),
        ),
        (DAILY_REPORT, false) => t(
            "Encaisse – report of {{ date }} ({{ raison_sociale }})",
            "Daily report of {{ date }}\n\n\
Yesterday's collections ({{ hier }}): {{ total_encaisse }} in {{ nb_reglements }} payment{% if nb_reglements != 1 %}s{% endif %}.\n\n\
Today's agenda: {{ nb_actions }} action{% if nb_actions != 1 %}s{% endif %}, {{ montant_a_relancer }} to chase.\n\n\
{% if nb_actions %}{{ tableau_agenda }}\n\n{% endif %}\
Broken promises: {{ nb_promesses_non_tenues }}.\n\n\
{% if nb_promesses_non_tenues %}{{ tableau_promesses_non_tenues }}\n\n{% endif %}\
New disputes: {{ nb_litiges }}.\n\n\
{% if nb_litiges %}{{ tableau_litiges }}\n{% endif %}"
                .to_string(),
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// A customer of a hand-built case: two overdue invoices, bank details, no payment link.
    fn case(lang: &str, customer: &str) -> Context {
        let lines = vec![
            InvoiceLine {
                number: "F2026-00123".into(),
                invoice_date: date(d("2026-09-01")),
                due_date: date(d("2026-10-01")),
                amount: money(dec!(1234.56), lang),
                residual: money(dec!(1234.56), lang),
                days_late: 56,
            },
            InvoiceLine {
                number: "F2026-00150".into(),
                invoice_date: date(d("2026-10-10")),
                due_date: date(d("2026-11-09")),
                amount: money(dec!(600), lang),
                residual: money(dec!(100.5), lang),
                days_late: 17,
            },
        ];
        let mut c = Context::default();
        c.set("customer_name", customer)
            .set("customer_id", "C00012")
            .set("company_name", "Atelier Dupuis SARL")
            .set("contact_name", "Anne Martin")
            .set("contact_email", "compta@dupuis.fr")
            .set("contact_phone", "04 72 00 00 00")
            .set("total", money(dec!(1335.06), lang))
            .set("invoice_count", 2)
            .set("oldest_due_date", date(d("2026-10-01")))
            .set("date", date(d("2026-11-26")))
            .set("account_holder", "Atelier Dupuis SARL")
            .set("iban", "FR76 3000 6000 0112 3456 7890 189")
            .set("bic", "AGRIFRPP")
            .set("payment_link", "")
            .set("overdue_total", money(dec!(1335.06), lang))
            .set("not_due_count", 0)
            .set("not_due_total", money(dec!(0), lang))
            .set("previous_reminder", true)
            .set("deadline_days", 8)
            .set("late_payment_terms", "")
            .set_list("invoices", &lines)
            .set_table("invoice_table", invoice_table(&lines, lang))
            .set_table("not_due_table", invoice_table(&[], lang));
        c
    }

    #[test]
    fn amounts_and_dates_in_each_language() {
        assert_eq!(money(dec!(1234.56), "fr"), "1\u{a0}234,56\u{a0}€");
        assert_eq!(money(dec!(1234567.5), "en"), "€1,234,567.50");
        assert_eq!(money(dec!(-40), "en"), "-€40.00");
        assert_eq!(money(dec!(999), "en"), "€999.00");
        assert_eq!(date(d("2026-11-26")), "26/11/2026");
    }

    #[test]
    fn every_default_renders_in_both_languages() {
        for id in TEMPLATE_IDS.iter().filter(|i| **i != DAILY_REPORT) {
            for lang in LANGUAGES {
                let t = default_template(id, lang).unwrap();
                let r = render(&t, &case(lang, "Café de la Gare")).unwrap();
                assert!(
                    r.subject.starts_with("Atelier Dupuis SARL – "),
                    "{id} {lang}: {}",
                    r.subject
                );
                assert!(!r.subject.contains('\n'));
                // The invoice table, the company's signature and no placeholder left.
                assert!(r.text.contains("F2026-00123"), "{id} {lang}\n{}", r.text);
                assert!(r.text.contains("F2026-00150"));
                assert!(
                    r.text.contains("Anne Martin\nAtelier Dupuis SARL"),
                    "{id} {lang}\n{}",
                    r.text
                );
                assert!(!r.text.contains("{{") && !r.text.contains("{%"), "{}", r.text);
                assert!(!r.text.contains("\n\n\n"), "{id} {lang}\n{}", r.text);
                assert!(r.html.contains("<table") && r.html.contains("<td style=\"text-align:left;padding:4px 8px;border-bottom:1px solid #ddd\">F2026-00123</td>"));
                if *id != THANK_YOU {
                    assert!(
                        r.text
                            .contains("IBAN FR76 3000 6000 0112 3456 7890 189 – BIC AGRIFRPP"),
                        "{}",
                        r.text
                    );
                    let total = if lang == "fr" {
                        "1\u{a0}335,06\u{a0}€"
                    } else {
                        "€1,335.06"
                    };
                    assert!(r.text.contains(total), "{id} {lang}\n{}", r.text);
                    // No payment link: its sentence is left out.
                    assert!(!r.text.contains("en ligne") && !r.text.contains("online"));
                }
            }
        }
        assert!(default_template("reminder_4", "fr").is_none());
        assert!(default_template("reminder_1", "de").is_none());
    }

    #[test]
    fn reminder_1_in_french_reads_as_written() {
        let r = render(
            &default_template("reminder_1", "fr").unwrap(),
            &case("fr", "Café de la Gare"),
        )
        .unwrap();
        assert_eq!(r.subject, "Atelier Dupuis SARL – factures échues");
        let nb = '\u{a0}';
        let expected = format!(
            "Bonjour,

Sauf erreur de notre part, les factures suivantes, échues, restent impayées à ce jour :

Facture      Date        Échéance       Montant    Reste dû  Retard
-----------  ----------  ----------  ----------  ----------  ------
F2026-00123  01/09/2026  01/10/2026  1{nb}234,56{nb}€  1{nb}234,56{nb}€    56 j
F2026-00150  10/10/2026  09/11/2026    600,00{nb}€    100,50{nb}€    17 j

Montant échu : 1{nb}335,06{nb}€.
Nous vous remercions de bien vouloir procéder à leur règlement. Si celui-ci est déjà parti, merci de ne pas tenir compte de ce message.

Par virement : Atelier Dupuis SARL – IBAN FR76 3000 6000 0112 3456 7890 189 – BIC AGRIFRPP

Cordialement,

Anne Martin
Atelier Dupuis SARL
Tél. 04 72 00 00 00
compta@dupuis.fr
"
        );
        assert_eq!(r.text, expected);
    }

    /// Reminder 2 recalls a previous message only when one was sent; the invoices not yet due come in their own
    /// "À échoir" table with their own total; the deadline and what the debtor's kind allows are said.
    #[test]
    fn reminder_2_opening_not_due_table_deadline_and_terms() {
        let t = default_template("reminder_2", "fr").unwrap();
        let mut ctx = case("fr", "Café de la Gare");
        let coming = vec![InvoiceLine {
            number: "F2026-00190".into(),
            invoice_date: date(d("2026-11-01")),
            due_date: date(d("2026-11-28")),
            amount: money(dec!(9819.84), "fr"),
            residual: money(dec!(9819.84), "fr"),
            days_late: -2,
        }];
        ctx.set("previous_reminder", false)
            .set("deadline_days", 15)
            .set("late_payment_terms", "MENTIONS")
            .set("not_due_count", 1)
            .set("not_due_total", money(dec!(9819.84), "fr"))
            .set_table("not_due_table", invoice_table(&coming, "fr"));
        let r = render(&t, &ctx).unwrap();
        assert!(
            r.text
                .contains("Sauf erreur de notre part, nous n'avons pas reçu le règlement des factures échues suivantes :"),
            "{}",
            r.text
        );
        assert!(!r.text.contains("Malgré"), "{}", r.text);
        let nb = '\u{a0}';
        for needle in [
            format!("Montant échu : 1{nb}335,06{nb}€.\nMENTIONS\nMerci de procéder à leur règlement sous 15 jours à compter de la réception du présent message"),
            "À échoir (pour information, ces factures ne sont pas encore exigibles) :".to_string(),
            format!("Montant à échoir : 9{nb}819,84{nb}€."),
        ] {
            assert!(r.text.contains(&needle), "missing {needle:?} in\n{}", r.text);
        }
        // The not-yet-due invoice is after the overdue ones' total, never in their table.
        let (overdue, coming) = r.text.split_once("À échoir").unwrap();
        assert!(!overdue.contains("F2026-00190") && coming.contains("F2026-00190"));
        ctx.set("previous_reminder", true).set("not_due_count", 0);
        let r = render(&t, &ctx).unwrap();
        assert!(r.text.contains("Malgré notre précédent message, nous n'avons pas reçu le règlement des factures échues suivantes :"));
        assert!(!r.text.contains("échoir"), "{}", r.text);
    }

    #[test]
    fn placeholders_have_french_names_and_the_english_ones_still_work() {
        let ctx = case("fr", "Café de la Gare");
        let french = Template {
            subject: "{{ raison_sociale }} – {{ nb_factures }} factures".into(),
            body: "{{ nom_client }} ({{ code_client }}) doit {{ total_du }} depuis le {{ plus_ancienne_echeance }}.\n\
{% for f in factures %}{{ f.number }} {% endfor %}\n\n{{ tableau_factures }}\n\n{{ nom_contact }}"
                .into(),
        };
        // A template saved before the French names: the same message.
        let english = Template {
            subject: "{{ company_name }} – {{ invoice_count }} factures".into(),
            body:
                "{{ customer_name }} ({{ customer_id }}) doit {{ total }} depuis le {{ oldest_due_date }}.\n\
{% for f in invoices %}{{ f.number }} {% endfor %}\n\n{{ invoice_table }}\n\n{{ contact_name }}"
                    .into(),
        };
        let r = render(&french, &ctx).unwrap();
        assert_eq!(r.subject, "Atelier Dupuis SARL – 2 factures");
        assert!(
            r.text.starts_with("Café de la Gare (C00012) doit 1\u{a0}335,06\u{a0}€ depuis le 01/10/2026.\nF2026-00123 F2026-00150"),
            "{}",
            r.text
        );
        assert!(
            r.text.contains("Reste dû") && r.text.ends_with("Anne Martin\n"),
            "{}",
            r.text
        );
        assert_eq!(render(&english, &ctx).unwrap(), r);
        // A name in neither language is still refused.
        let unknown = Template {
            subject: "{{ societe }}".into(),
            body: "x".into(),
        };
        assert!(render(&unknown, &ctx).is_err());
    }

    #[test]
    fn the_editor_lists_french_names_and_every_name_has_both_forms() {
        let keys = case("fr", "ACME").keys();
        for k in [
            "raison_sociale",
            "nom_client",
            "total_du",
            "tableau_factures",
            "factures",
            "lien_paiement",
        ] {
            assert!(keys.iter().any(|x| x == k), "{k} in {keys:?}");
        }
        for k in [
            "company_name",
            "customer_name",
            "total",
            "invoice_table",
            "invoices",
        ] {
            assert!(!keys.iter().any(|x| x == k), "{k} in {keys:?}");
        }
        let mut fr: Vec<_> = PLACEHOLDERS.iter().map(|(f, _)| *f).collect();
        let mut en: Vec<_> = PLACEHOLDERS.iter().map(|(_, e)| *e).collect();
        fr.sort_unstable();
        fr.dedup();
        en.sort_unstable();
        en.dedup();
        assert_eq!((fr.len(), en.len()), (PLACEHOLDERS.len(), PLACEHOLDERS.len()));
        assert_eq!(french_name("total"), "total_du");
        assert_eq!(french_name("total_du"), "total_du");
    }

    /// The defaults name their placeholders in French (the signature, edited elsewhere, still uses the English
    /// aliases, which render the same), and the daily report's counts agree with their nouns.
    #[test]
    fn the_defaults_use_the_french_names() {
        let english: Vec<&str> = PLACEHOLDERS
            .iter()
            .filter(|(f, e)| f != e)
            .map(|(_, e)| *e)
            .collect();
        for id in TEMPLATE_IDS {
            for lang in LANGUAGES {
                let t = default_template(id, lang).unwrap();
                let text = format!("{}\n{}", t.subject, t.body)
                    .replace(SIGNATURE_FR, "")
                    .replace(SIGNATURE_EN, "");
                for e in &english {
                    for form in [format!("{{{{ {e} }}}}"), format!("{{% if {e} ")] {
                        assert!(!text.contains(&form), "{id} {lang}: {form}");
                    }
                }
                assert!(!text.contains("(s)"), "{id} {lang}: {text}");
            }
        }
        let report = default_template(DAILY_REPORT, "fr").unwrap();
        let mut ctx = Context::default();
        ctx.set("company_name", "ACME")
            .set("date", "26/11/2026")
            .set("yesterday", "25/11/2026")
            .set("collections_total", "0,00 €")
            .set("collections_count", 0)
            .set("agenda_count", 2)
            .set("agenda_amount", "10,00 €")
            .set("broken_count", 0)
            .set("disputes_count", 0)
            .set_table("agenda_table", Table::default())
            .set_table("broken_table", Table::default())
            .set_table("disputes_table", Table::default());
        let text = render(&report, &ctx).unwrap().text;
        assert!(text.contains("en 0 règlement."), "{text}");
        assert!(text.contains("2 actions, 10,00 € à relancer"), "{text}");
        let text = render(&default_template(DAILY_REPORT, "en").unwrap(), &ctx)
            .unwrap()
            .text;
        assert!(text.contains("in 0 payments."), "{text}");
    }

    /// A daily report of 16,000 agenda rows with the longest names renders (minijinja charges every byte written
    /// against the fuel: its HTML part, 14 MB, is beyond the fixed budget), the text table's cells cut at
    /// [`TEXT_CELL_MAX`], while a runaway loop still stops.
    #[test]
    fn large_tables_render_and_a_runaway_loop_still_stops() {
        let name = "Société Générale d'Électricité ".repeat(17);
        let mut table = Table {
            headers: vec!["Client".into(), "Nom".into(), "Montant".into()],
            right: vec![false, false, true],
            rows: Vec::new(),
        };
        for i in 0..16_000 {
            table
                .rows
                .push(vec![format!("C{i:05}"), name.clone(), "1 234,56 €".into()]);
        }
        let mut ctx = Context::default();
        ctx.set("company_name", "ACME").set_table("agenda_table", table);
        let t = Template {
            subject: "Rapport".into(),
            body: "Agenda :\n\n{{ agenda_table }}\n\nFin".into(),
        };
        let r = render(&t, &ctx).unwrap();
        let rows: Vec<&str> = r.text.lines().filter(|l| l.ends_with("1 234,56 €")).collect();
        assert_eq!(rows.len(), 16_000);
        let cut: String = name.chars().take(TEXT_CELL_MAX - 1).collect();
        assert!(rows[0].contains(&format!("{cut}…")), "{}", rows[0]);
        assert!(rows.iter().all(|l| l.chars().count() < TEXT_CELL_MAX + 40));
        assert!(r.html.contains(&escape_html(&name)));
        let runaway = Template {
            subject: "x".into(),
            body: "{% for i in range(100000) %}{% for j in range(100000) %}.{% endfor %}{% endfor %}".into(),
        };
        let e = render(&runaway, &ctx).unwrap_err();
        assert!(e.contains("fuel"), "{e}");
    }

    #[test]
    fn values_are_escaped_in_html_and_not_in_text() {
        let ctx = case("fr", "Dupont & <Fils> \"SA\"");
        let t = Template {
            subject: "Pour {{ customer_name }}".into(),
            body: "Bonjour {{ customer_name }},\n\n{{ invoice_table }}\n\nÀ bientôt".into(),
        };
        let r = render(&t, &ctx).unwrap();
        assert_eq!(r.subject, "Pour Dupont & <Fils> \"SA\"");
        assert!(r.text.starts_with("Bonjour Dupont & <Fils> \"SA\","));
        assert!(
            r.html
                .contains("<p>Bonjour Dupont &amp; &lt;Fils&gt; &quot;SA&quot;,</p>"),
            "{}",
            r.html
        );
        assert!(!r.html.contains("<Fils>"));
        // The table is real HTML, standing alone between the paragraphs.
        assert!(r.html.contains("</p>\n<table style"));
        assert!(r.html.contains("</table>\n<p>À bientôt</p>"));
    }

    #[test]
    fn an_invoice_number_with_markup_is_escaped_in_the_table() {
        let lines = vec![InvoiceLine {
            number: "<script>x</script>".into(),
            invoice_date: "01/01/2026".into(),
            due_date: "31/01/2026".into(),
            amount: "1,00 €".into(),
            residual: "1,00 €".into(),
            days_late: 3,
        }];
        let html = invoice_table(&lines, "en").to_html();
        assert!(html.contains("&lt;script&gt;x&lt;/script&gt;"));
        assert!(!html.contains("<script>"));
    }

    #[test]
    fn user_templates_may_loop_and_errors_name_the_line() {
        let ctx = case("en", "ACME");
        let t = Template {
            subject: "{{ invoice_count }} invoices".into(),
            body: "{% for i in invoices %}{{ i.number }}: {{ i.residual }}\n{% endfor %}".into(),
        };
        let r = render(&t, &ctx).unwrap();
        assert_eq!(r.subject, "2 invoices");
        assert_eq!(r.text, "F2026-00123: €1,234.56\nF2026-00150: €100.50\n");
        let broken = Template {
            subject: "ok".into(),
            body: "Hello\n{% if %}".into(),
        };
        let e = render(&broken, &ctx).unwrap_err();
        assert!(e.starts_with("body: line 2:"), "{e}");
        let unknown = Template {
            subject: "{{ nope }}".into(),
            body: "x".into(),
        };
        assert!(render(&unknown, &ctx).unwrap_err().starts_with("subject:"));
        let runaway = Template {
            subject: "x".into(),
            body: "{% for a in range(100000) %}{% for b in range(100000) %}.{% endfor %}{% endfor %}".into(),
        };
        assert!(render(&runaway, &ctx).is_err());
    }
}
