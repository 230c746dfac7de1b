//! The finished PDF's reading aids: the outline (bookmarks: pages → articles), the document's
//! language and borderless jump links, added to the renderer's output in memory.
//!
//! Runs on the document [`crate::pdf::render`] made, in memory, before it is written; this pass
//! only adds to the catalog (`/Outlines`, `/PageMode /UseOutlines`, `/Lang (zh-CN)`), with object numbers given in
//! order, so the same edition gives the same bytes.

use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};

use crate::error::{Error, Result};

/// The language every edition is in.
pub const LANG: &str = "zh-CN";

/// An article's outline entry under its page: its title and its block's top (points from the
/// page's top).
#[derive(Debug, Clone, PartialEq)]
pub struct Chapter {
    pub title: String,
    pub y: f32,
}

/// A PDF text string: UTF-16BE with its byte-order mark, so Chinese titles survive any reader.
fn text_string(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for u in s.encode_utf16() {
        bytes.extend_from_slice(&u.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

fn fail(e: lopdf::Error) -> Error {
    Error::failed(format!("cannot finish the PDF: {e}"))
}

/// Adds the outline — one entry per page titled `pages[i]`, its articles under it — and `/Lang`,
/// and points the jump links at their blocks.
/// `links[page]` lists where each of the page's links goes (page index, height from the top).
pub fn add(doc: &mut Document, pages: &[String], chapters: &[Vec<Chapter>], links: &[Vec<(usize, f32)>], page_height: f32) -> Result<()> {
    let page_ids: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let root = doc.new_object_id();
    let mut page_items: Vec<ObjectId> = Vec::new();
    let mut entries: Vec<(ObjectId, Dictionary)> = Vec::new();
    for (i, &page) in page_ids.iter().enumerate() {
        let item = doc.new_object_id();
        page_items.push(item);
        let mut d = Dictionary::new();
        d.set("Title", text_string(pages.get(i).map(String::as_str).unwrap_or("")));
        d.set("Parent", Object::Reference(root));
        d.set("Dest", Object::Array(vec![Object::Reference(page), "Fit".into()]));
        let kids: Vec<ObjectId> = chapters.get(i).map(|c| c.iter().map(|_| doc.new_object_id()).collect()).unwrap_or_default();
        if let (Some(first), Some(last)) = (kids.first(), kids.last()) {
            d.set("First", Object::Reference(*first));
            d.set("Last", Object::Reference(*last));
            d.set("Count", Object::Integer(kids.len() as i64));
        }
        for (k, (&kid, ch)) in kids.iter().zip(chapters[i].iter()).enumerate() {
            let mut c = Dictionary::new();
            c.set("Title", text_string(&ch.title));
            c.set("Parent", Object::Reference(item));
            let top = (page_height - ch.y).max(0.0);
            c.set("Dest", Object::Array(vec![Object::Reference(page), "XYZ".into(), Object::Null, Object::Real(top), Object::Null]));
            if k > 0 {
                c.set("Prev", Object::Reference(kids[k - 1]));
            }
            if let Some(next) = kids.get(k + 1) {
                c.set("Next", Object::Reference(*next));
            }
            entries.push((kid, c));
        }
        entries.push((item, d));
    }
    for (i, &item) in page_items.iter().enumerate() {
        if let Some((_, d)) = entries.iter_mut().find(|(id, _)| *id == item) {
            if i > 0 {
                d.set("Prev", Object::Reference(page_items[i - 1]));
            }
            if let Some(next) = page_items.get(i + 1) {
                d.set("Next", Object::Reference(*next));
            }
        }
    }
    let total = entries.len() as i64;
    entries.sort_by_key(|(id, _)| *id);
    for (id, d) in entries {
        doc.objects.insert(id, Object::Dictionary(d));
    }
    let mut outlines = Dictionary::new();
    outlines.set("Type", "Outlines");
    if let (Some(first), Some(last)) = (page_items.first(), page_items.last()) {
        outlines.set("First", Object::Reference(*first));
        outlines.set("Last", Object::Reference(*last));
    }
    outlines.set("Count", Object::Integer(total));
    doc.objects.insert(root, Object::Dictionary(outlines));
    // Jump links: no border (they are for the reader's finger, not the page), and each goes to
    // the very block it names, not only to its page. The renderer writes a page's links in the
    // order of its items, which is the order of `links[page]`.
    for (i, &page) in page_ids.iter().enumerate() {
        let targets = links.get(i).map(Vec::as_slice).unwrap_or(&[]);
        let Ok(Object::Dictionary(d)) = doc.get_object_mut(page) else { continue };
        let Ok(Object::Array(annots)) = d.get_mut(b"Annots") else { continue };
        let mut k = 0;
        for a in annots.iter_mut() {
            let Object::Dictionary(a) = a else { continue };
            if a.get(b"Subtype").ok().and_then(|s| s.as_name().ok()) != Some(b"Link".as_slice()) {
                continue;
            }
            a.set("Border", Object::Array(vec![0.into(), 0.into(), 0.into()]));
            if let (Some(&(to, y)), Ok(Object::Dictionary(action))) = (targets.get(k), a.get_mut(b"A")) {
                if let Some(&target) = page_ids.get(to) {
                    let top = (page_height - y).max(0.0);
                    action.set("D", Object::Array(vec![Object::Reference(target), "XYZ".into(), Object::Null, Object::Real(top), Object::Null]));
                }
            }
            k += 1;
        }
    }
    let catalog = doc.catalog_mut().map_err(fail)?;
    catalog.set("Outlines", Object::Reference(root));
    catalog.set("PageMode", "UseOutlines");
    catalog.set("Lang", Object::String(LANG.as_bytes().to_vec(), StringFormat::Literal));
    Ok(())
}
