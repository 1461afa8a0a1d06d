//! The invoice XML embedded in a Factur-X PDF (PDF/A-3 with an associated file `factur-x.xml`).
//!
//! The attachment is looked for in the catalog's `/Names /EmbeddedFiles` name tree, then in the catalog's `/AF`
//! array, then in every file specification of the file (page-level `/AF`, file attachment annotations, broken
//! trees). Names are compared without case and without folder; `factur-x.xml` wins over `zugferd-invoice.xml`
//! (ZUGFeRD 2), which wins over `xrechnung.xml`.

use crate::error::ImportError;
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::HashSet;

/// Attachment names, best first.
const NAMES: [&str; 3] = ["factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml"];
/// Largest embedded XML accepted, decompressed.
const MAX_XML_BYTES: usize = 64 << 20;
/// Deepest name tree walked (real ones have 1 or 2 levels).
const MAX_TREE_DEPTH: usize = 32;

/// A PDF header within the first 1024 bytes, as readers tolerate.
pub(super) fn is_pdf(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(1024)].windows(5).any(|w| w == b"%PDF-")
}

/// The decompressed bytes of the e-invoice attachment.
pub(super) fn embedded_invoice_xml(file: &str, bytes: &[u8]) -> Result<Vec<u8>, ImportError> {
    let error = |reason: String| ImportError::new(file, 0, "PDF", reason);
    let doc = Document::load_mem(bytes).map_err(|e| error(format!("cannot read the PDF: {e}")))?;
    let specs = file_specs(&doc);
    let best = specs
        .iter()
        .filter_map(|(name, spec)| rank(name).map(|rank| (rank, name, *spec)))
        .min_by_key(|(rank, _, _)| *rank);
    let Some((_, name, spec)) = best else {
        let mut others: Vec<&str> = specs
            .iter()
            .map(|(name, _)| name.as_str())
            .filter(|n| !n.is_empty())
            .collect();
        others.sort_unstable();
        others.dedup();
        let found = if others.is_empty() {
            "it has no embedded file".to_string()
        } else {
            format!("embedded files: {}", others.join(", "))
        };
        return Err(error(format!(
            "PDF has no factur-x.xml attachment (nor zugferd-invoice.xml or xrechnung.xml); {found}"
        )));
    };
    let stream = spec
        .get_deref(b"EF", &doc)
        .and_then(Object::as_dict)
        .and_then(|ef| ef.get_deref(b"UF", &doc).or_else(|_| ef.get_deref(b"F", &doc)))
        .and_then(Object::as_stream)
        .map_err(|e| error(format!("the {name} attachment has no embedded file stream: {e}")))?;
    stream
        .decompressed_content_with_limit(MAX_XML_BYTES)
        .map_err(|e| error(format!("cannot decompress the {name} attachment: {e}")))
}

/// Position of `name` in [`NAMES`], ignoring case and any folder.
fn rank(name: &str) -> Option<usize> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name).trim();
    NAMES.iter().position(|n| n.eq_ignore_ascii_case(base))
}

/// Every file specification with an embedded file, with its name (`/UF`, else `/F`, else its name tree key),
/// name tree first, then `/AF`, then the rest of the file.
fn file_specs(doc: &Document) -> Vec<(String, &Dictionary)> {
    let mut specs = Vec::new();
    if let Ok(catalog) = doc.catalog() {
        let tree = catalog
            .get_deref(b"Names", doc)
            .and_then(Object::as_dict)
            .and_then(|names| names.get_deref(b"EmbeddedFiles", doc))
            .and_then(Object::as_dict);
        if let Ok(tree) = tree {
            walk_name_tree(doc, tree, 0, &mut HashSet::new(), &mut specs);
        }
        if let Ok(af) = catalog.get_deref(b"AF", doc).and_then(Object::as_array) {
            for item in af {
                if let Ok((_, Object::Dictionary(spec))) = doc.dereference(item) {
                    push_spec(spec, None, &mut specs);
                }
            }
        }
    }
    for object in doc.objects.values() {
        if let Object::Dictionary(dict) = object {
            push_spec(dict, None, &mut specs);
        }
    }
    specs
}

fn push_spec<'a>(spec: &'a Dictionary, key: Option<String>, specs: &mut Vec<(String, &'a Dictionary)>) {
    if !spec.has(b"EF") {
        return;
    }
    let name = [b"UF".as_slice(), b"F"]
        .iter()
        .filter_map(|k| spec.get(k).ok())
        .filter_map(|o| lopdf::decode_text_string(o).ok())
        .find(|n| !n.trim().is_empty())
        .or(key)
        .unwrap_or_default();
    specs.push((name, spec));
}

/// Leaves (`/Names [key spec ...]`) and intermediate nodes (`/Kids`) of a name tree; a loop or an absurd depth
/// stops the walk.
fn walk_name_tree<'a>(
    doc: &'a Document,
    node: &'a Dictionary,
    depth: usize,
    seen: &mut HashSet<ObjectId>,
    specs: &mut Vec<(String, &'a Dictionary)>,
) {
    if depth > MAX_TREE_DEPTH {
        return;
    }
    if let Ok(names) = node.get_deref(b"Names", doc).and_then(Object::as_array) {
        for pair in names.chunks(2) {
            if let [key, value] = pair {
                let key = lopdf::decode_text_string(key).ok();
                if let Ok((_, Object::Dictionary(spec))) = doc.dereference(value) {
                    push_spec(spec, key, specs);
                }
            }
        }
    }
    if let Ok(kids) = node.get_deref(b"Kids", doc).and_then(Object::as_array) {
        for kid in kids {
            if let Ok((id, Object::Dictionary(child))) = doc.dereference(kid) {
                if id.is_none_or(|id| seen.insert(id)) {
                    walk_name_tree(doc, child, depth + 1, seen, specs);
                }
            }
        }
    }
}
