//! The PDF/X-1a:2001 checker: reads any PDF and lists each rule it breaks, the standard's
//! (ISO 15930-1 as preflight tools apply it) and papertool's own for newsprint (IFRA26 intent,
//! 220 % ink, 100 % K text overprinting, subset fonts). No PDF/X validator can be installed
//! here, so this is the proof that `make_pdfx` did its job; `papertool pdfx-check` runs it.
//!
//! Checked: header version and PDF 1.3-only structure (no object or xref streams, no
//! optional content, no PDF 1.4+ filters or operators); encryption; the trailer /ID; the Info
//! keys PDF/X needs and their date syntax; XMP presence, well-formedness and agreement with
//! Info; exactly one GTS_PDFX output intent with an identifier and a profile or registry;
//! MediaBox, TrimBox xor ArtBox, BleedBox and CropBox nesting on every page; annotations
//! inside the bleed; actions, JavaScript and forms; fonts (embedded, not Type 3, no PDF 1.6
//! OpenType programs, subset); transparency (soft masks, constant alpha, blend modes, groups);
//! transfer functions and halftones; and the colour of every content stream, form and image
//! (no RGB, ICC-based, calibrated or Lab colour), the overprint state of black text and the
//! total ink of CMYK colours and images.

use std::collections::BTreeSet;
use std::fmt;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

use super::colour::{deref, family, is_full_black, Family};
use super::xmp::{NS_DC, NS_PDF, NS_PDFX, NS_RDF, NS_XMP};
use super::{
    decode_text_string, Rect, BOX_TOLERANCE_PT, MAX_TOTAL_INK, OUTPUT_CONDITION_IDENTIFIER, PDFX_CONFORMANCE, PDFX_VERSION, PREPRESS_ANNOTATIONS,
};
use crate::error::{Error, Result};

/// One broken rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// A short name for the rule: `version`, `info`, `xmp`, `output-intent`, `boxes`,
    /// `annotations`, `actions`, `fonts`, `transparency`, `filters`, `colour`, `overprint`,
    /// `ink`, `structure`. Papertool's own newsprint rules say `(newsprint)` after the name.
    pub rule: &'static str,
    /// The page (1-based) it was found on, when it belongs to one.
    pub page: Option<u32>,
    /// What is wrong, in words an operator can act on.
    pub detail: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.page {
            Some(page) => write!(f, "page {page}: {}: {}", self.rule, self.detail),
            None => write!(f, "{}: {}", self.rule, self.detail),
        }
    }
}

/// An image as placed on a page: its pixels and the size it is drawn at.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedImage {
    pub page: u32,
    /// The XObject's resource name on the page.
    pub name: String,
    pub width_px: u32,
    pub height_px: u32,
    /// The resolution at its placed size: the lower of the two axes.
    pub ppi: f32,
}

/// Every PDF/X-1a:2001 (and newsprint) rule `bytes` breaks; empty when the file passes.
pub fn check(bytes: &[u8]) -> Vec<Violation> {
    let mut found = Found::default();
    check_header(bytes, &mut found);
    let doc = match Document::load_mem(bytes) {
        Ok(doc) => doc,
        Err(e) => {
            found.add("structure", None, format!("cannot be read as PDF: {e}"));
            return found.violations;
        }
    };
    check_structure(&doc, &mut found);
    check_info_and_xmp(&doc, &mut found);
    check_output_intent(&doc, &mut found);
    check_pages(&doc, &mut found);
    check_interactivity(&doc, &mut found);
    check_fonts(&doc, &mut found);
    check_graphics_states(&doc, &mut found);
    check_filters(&doc, &mut found);
    check_images(&doc, &mut found);
    check_content(&doc, &mut found);
    found.violations
}

/// Every image drawn on every page with its effective resolution (for the low-resolution
/// warning: a photo under 200 ppi at its placed size prints soft).
pub fn placed_images(bytes: &[u8]) -> Vec<PlacedImage> {
    let Ok(doc) = Document::load_mem(bytes) else { return Vec::new() };
    let mut found = Found::default();
    check_content(&doc, &mut found);
    found.images
}

/// What `make_pdfx` cannot repair and so refuses: fonts and transparency in graphics states.
pub(crate) fn refuse_unfixable(doc: &Document) -> Result<()> {
    let mut found = Found::default();
    check_fonts(doc, &mut found);
    check_graphics_states(doc, &mut found);
    if doc.catalog().is_ok_and(|c| c.has(b"OCProperties")) {
        found.add("structure", None, "optional content (layers), a PDF 1.5 feature".into());
    }
    match found.violations.into_iter().find(|v| !v.rule.ends_with("(newsprint)")) {
        Some(v) => Err(Error::failed(format!("PDF/X: cannot make the file conform: {v}"))),
        None => Ok(()),
    }
}

#[derive(Default)]
struct Found {
    violations: Vec<Violation>,
    images: Vec<PlacedImage>,
}

impl Found {
    fn add(&mut self, rule: &'static str, page: Option<u32>, detail: String) {
        let violation = Violation { rule, page, detail };
        if !self.violations.contains(&violation) {
            self.violations.push(violation);
        }
    }
}

fn check_header(bytes: &[u8], found: &mut Found) {
    let header = bytes.get(..8).unwrap_or(bytes);
    let version = header.strip_prefix(b"%PDF-1.").and_then(|v| v.first()).copied();
    match version {
        Some(minor @ b'0'..=b'3') => {
            let _ = minor;
        }
        _ => found.add(
            "version",
            None,
            format!("the header is `{}`; PDF/X-1a:2001 requires PDF 1.3 or earlier", String::from_utf8_lossy(header).trim()),
        ),
    }
}

fn check_structure(doc: &Document, found: &mut Found) {
    if doc.is_encrypted() || doc.trailer.has(b"Encrypt") {
        found.add("structure", None, "the file is encrypted".into());
    }
    if matches!(doc.reference_table.cross_reference_type, lopdf::xref::XrefType::CrossReferenceStream) {
        found.add("structure", None, "a cross-reference stream (PDF 1.5)".into());
    }
    if doc.objects.values().any(|o| o.type_name().is_ok_and(|t| t == b"ObjStm")) {
        found.add("structure", None, "object streams (PDF 1.5)".into());
    }
    match doc.trailer.get(b"ID").map(|o| deref(o, doc)) {
        Ok(Object::Array(ids)) if ids.len() == 2 && ids.iter().all(|i| matches!(i, Object::String(..))) => {}
        _ => found.add("structure", None, "the trailer has no /ID of two strings".into()),
    }
    if let Ok(catalog) = doc.catalog() {
        if let Ok(version) = catalog.get(b"Version").and_then(Object::as_name) {
            if version > &b"1.3"[..] {
                found.add("version", None, format!("the catalog claims /Version {}", String::from_utf8_lossy(version)));
            }
        }
        if catalog.has(b"OCProperties") {
            found.add("structure", None, "optional content (layers), a PDF 1.5 feature".into());
        }
    }
}

fn info_string(info: &Dictionary, key: &[u8], doc: &Document) -> Option<String> {
    match info.get(key).map(|o| deref(o, doc)) {
        Ok(Object::String(bytes, _)) => Some(decode_text_string(bytes)),
        _ => None,
    }
}

/// A date instant, for comparing Info and XMP: (year, month, day, hour, minute, second) in UTC
/// minutes-offset form; `None` when the text is not a valid date of its syntax.
type Instant = (i32, u32, u32, u32, u32, u32, i32);

/// `D:YYYYMMDDHHmmSSOHH'mm'` with every part after the year optional (PDF 1.3, 3.8.2).
pub(crate) fn parse_pdf_date(text: &str) -> Option<Instant> {
    let rest = text.strip_prefix("D:")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let zone = &rest[digits.len()..];
    if digits.len() < 4 || digits.len() > 14 || !digits.len().is_multiple_of(2) {
        return None;
    }
    let field = |at: usize, default: u32| digits.get(at..at + 2).map_or(Some(default), |s| s.parse().ok());
    let year: i32 = digits[..4].parse().ok()?;
    let (month, day, hour, minute, second) = (field(4, 1)?, field(6, 1)?, field(8, 0)?, field(10, 0)?, field(12, 0)?);
    let offset = match zone.chars().next() {
        None | Some('Z') => {
            if zone.len() > 1 && zone != "Z" && zone != "Z00'00'" && zone != "Z00'00" {
                return None;
            }
            0
        }
        Some(sign @ ('+' | '-')) => {
            let z = &zone[1..];
            let hours: i32 = z.get(..2)?.parse().ok()?;
            let minutes: i32 = match z.get(2..) {
                None | Some("") | Some("'") => 0,
                Some(m) => m.trim_start_matches('\'').trim_end_matches('\'').parse().ok()?,
            };
            if hours > 23 || minutes > 59 {
                return None;
            }
            (hours * 60 + minutes) * if sign == '-' { -1 } else { 1 }
        }
        _ => return None,
    };
    valid_instant((year, month, day, hour, minute, second, offset))
}

/// `YYYY[-MM[-DD[Thh:mm[:ss[.s+]]TZD]]]`, the XMP date syntax (W3C date-time profile).
pub(crate) fn parse_xmp_date(text: &str) -> Option<Instant> {
    let (date, time) = match text.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let mut parts = date.split('-');
    let year: i32 = parts.next().filter(|y| y.len() == 4)?.parse().ok()?;
    let mut next = |default: u32| parts.next().map_or(Some(default), |p| if p.len() == 2 { p.parse().ok() } else { None });
    let (month, day) = (next(1)?, next(1)?);
    let (mut hour, mut minute, mut second, mut offset) = (0, 0, 0, 0);
    if let Some(time) = time {
        let zone_at = time.find(['Z', '+', '-'])?;
        let (clock, zone) = time.split_at(zone_at);
        let mut clock_parts = clock.split(':');
        hour = clock_parts.next().filter(|h| h.len() == 2)?.parse().ok()?;
        minute = clock_parts.next().filter(|m| m.len() == 2)?.parse().ok()?;
        if let Some(s) = clock_parts.next() {
            let whole = s.split('.').next()?;
            second = whole.parse().ok().filter(|_| whole.len() == 2)?;
        }
        offset = if zone == "Z" {
            0
        } else {
            let (h, m) = zone[1..].split_once(':')?;
            let minutes = h.parse::<i32>().ok()? * 60 + m.parse::<i32>().ok()?;
            if zone.starts_with('-') { -minutes } else { minutes }
        };
    }
    valid_instant((year, month, day, hour, minute, second, offset))
}

fn valid_instant(instant: Instant) -> Option<Instant> {
    let (year, month, day, hour, minute, second, _) = instant;
    let date = format!("{year:04}-{month:02}-{day:02}");
    (super::IssueDate::parse(&date).is_some() && hour < 24 && minute < 60 && second < 60).then_some(instant)
}

fn check_info_and_xmp(doc: &Document, found: &mut Found) {
    let Some(info) = doc.trailer.get(b"Info").ok().map(|o| deref(o, doc)).and_then(|o| o.as_dict().ok()) else {
        found.add("info", None, "no Info dictionary".into());
        return;
    };
    let title = info_string(info, b"Title", doc).filter(|t| !t.trim().is_empty());
    if title.is_none() {
        found.add("info", None, "no Title".into());
    }
    let mut dates = Vec::new();
    for key in ["CreationDate", "ModDate"] {
        match info_string(info, key.as_bytes(), doc) {
            None => found.add("info", None, format!("no {key}")),
            Some(text) => match parse_pdf_date(&text) {
                Some(instant) => dates.push((key, instant)),
                None => found.add("info", None, format!("{key} `{text}` is not a valid PDF date")),
            },
        }
    }
    let trapped = info.get(b"Trapped").ok().and_then(|o| deref(o, doc).as_name().ok()).map(|n| String::from_utf8_lossy(n).into_owned());
    if !matches!(trapped.as_deref(), Some("True" | "False")) {
        found.add("info", None, "Trapped must be /True or /False".into());
    }
    let version = info_string(info, b"GTS_PDFXVersion", doc);
    if version.as_deref() != Some(PDFX_VERSION) {
        found.add("info", None, format!("GTS_PDFXVersion is {version:?}, not `{PDFX_VERSION}`"));
    }
    let conformance = info_string(info, b"GTS_PDFXConformance", doc);
    if conformance.as_deref() != Some(PDFX_CONFORMANCE) {
        found.add("info", None, format!("GTS_PDFXConformance is {conformance:?}, not `{PDFX_CONFORMANCE}`"));
    }

    let Some(metadata) = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"Metadata").ok())
        .map(|o| deref(o, doc))
        .and_then(|o| o.as_stream().ok())
    else {
        found.add("xmp", None, "the catalog has no XMP /Metadata stream".into());
        return;
    };
    let Ok(packet) = metadata.get_plain_content() else {
        found.add("xmp", None, "the /Metadata stream cannot be decoded".into());
        return;
    };
    let Ok(text) = String::from_utf8(packet) else {
        found.add("xmp", None, "the XMP packet is not UTF-8".into());
        return;
    };
    let document = match roxmltree::Document::parse(&text) {
        Ok(d) => d,
        Err(e) => {
            found.add("xmp", None, format!("the XMP packet is not well-formed XML: {e}"));
            return;
        }
    };
    let property = |ns: &str, name: &str| -> Option<String> {
        for node in document.descendants() {
            if node.has_tag_name((NS_RDF, "Description")) {
                if let Some(value) = node.attribute((ns, name)) {
                    return Some(value.to_string());
                }
            }
            if node.has_tag_name((ns, name)) {
                // Simple value, or the x-default (first) item of an Alt/Seq/Bag.
                let item = node.descendants().find(|n| n.has_tag_name((NS_RDF, "li")));
                return Some(item.unwrap_or(node).text().unwrap_or("").trim().to_string());
            }
        }
        None
    };
    let mut agree = |label: &str, xmp: Option<String>, info: Option<String>| {
        if xmp != info {
            found.add("xmp", None, format!("{label} is {xmp:?} in XMP but {info:?} in Info"));
        }
    };
    agree("dc:title", property(NS_DC, "title"), title);
    agree("dc:creator", property(NS_DC, "creator"), info_string(info, b"Author", doc).filter(|a| !a.trim().is_empty()));
    agree("pdf:Producer", property(NS_PDF, "Producer"), info_string(info, b"Producer", doc));
    agree("pdf:Trapped", property(NS_PDF, "Trapped"), trapped);
    agree("pdfx:GTS_PDFXVersion", property(NS_PDFX, "GTS_PDFXVersion"), version);
    agree("pdfx:GTS_PDFXConformance", property(NS_PDFX, "GTS_PDFXConformance"), conformance);
    for (xmp_name, info_key) in [("CreateDate", "CreationDate"), ("ModifyDate", "ModDate")] {
        let info_instant = dates.iter().find(|(k, _)| *k == info_key).map(|(_, i)| *i);
        match property(NS_XMP, xmp_name) {
            None => found.add("xmp", None, format!("no xmp:{xmp_name}")),
            Some(text) => match parse_xmp_date(&text) {
                None => found.add("xmp", None, format!("xmp:{xmp_name} `{text}` is not a valid XMP date")),
                Some(instant) if Some(instant) != info_instant && info_instant.is_some() => {
                    found.add("xmp", None, format!("xmp:{xmp_name} `{text}` is not Info's {info_key}"))
                }
                Some(_) => {}
            },
        }
    }
}

fn check_output_intent(doc: &Document, found: &mut Found) {
    let intents: Vec<&Dictionary> = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"OutputIntents").ok())
        .map(|o| deref(o, doc))
        .and_then(|o| o.as_array().ok())
        .map(|list| list.iter().filter_map(|i| deref(i, doc).as_dict().ok()).collect())
        .unwrap_or_default();
    let pdfx: Vec<&&Dictionary> =
        intents.iter().filter(|i| i.get(b"S").ok().and_then(|s| deref(s, doc).as_name().ok()) == Some(b"GTS_PDFX")).collect();
    let [intent] = pdfx[..] else {
        found.add("output-intent", None, format!("{} GTS_PDFX output intents; exactly one is required", pdfx.len()));
        return;
    };
    let identifier = info_string(intent, b"OutputConditionIdentifier", doc).filter(|s| !s.is_empty());
    let Some(identifier) = identifier else {
        found.add("output-intent", None, "no OutputConditionIdentifier".into());
        return;
    };
    match intent.get(b"DestOutputProfile").ok().map(|o| deref(o, doc)) {
        Some(Object::Stream(profile)) => {
            if profile.dict.get(b"N").and_then(Object::as_i64).ok() != Some(4) {
                found.add("output-intent", None, "the destination profile is not a CMYK (N 4) profile".into());
            }
        }
        Some(_) => found.add("output-intent", None, "DestOutputProfile is not an ICC profile stream".into()),
        None => {
            if info_string(intent, b"RegistryName", doc).is_none_or(|r| r.is_empty()) {
                found.add("output-intent", None, "no destination profile and no RegistryName for the condition".into());
            }
        }
    }
    if identifier != OUTPUT_CONDITION_IDENTIFIER {
        found.add(
            "output-intent (newsprint)",
            None,
            format!("the condition is `{identifier}`, not coldset newsprint `{OUTPUT_CONDITION_IDENTIFIER}`"),
        );
    }
}

fn page_box(doc: &Document, page_id: ObjectId, key: &[u8], inherits: bool) -> Option<Option<Rect>> {
    let object = if inherits { super::inherited_attribute(doc, page_id, key) } else { doc.get_dictionary(page_id).ok()?.get(key).ok() };
    object.map(|o| Rect::from_object(o, doc))
}

fn check_pages(doc: &Document, found: &mut Found) {
    let pages = doc.get_pages();
    if pages.is_empty() {
        found.add("structure", None, "no pages".into());
    }
    for (number, page_id) in pages {
        let page = Some(number);
        let media = match page_box(doc, page_id, b"MediaBox", true) {
            Some(Some(r)) => r,
            Some(None) => {
                found.add("boxes", page, "the MediaBox is not a rectangle".into());
                continue;
            }
            None => {
                found.add("boxes", page, "no MediaBox".into());
                continue;
            }
        };
        let trim = page_box(doc, page_id, b"TrimBox", false);
        let art = page_box(doc, page_id, b"ArtBox", false);
        let bleed = page_box(doc, page_id, b"BleedBox", false);
        let crop = page_box(doc, page_id, b"CropBox", true);
        let finished = match (trim, art) {
            (Some(_), Some(_)) => {
                found.add("boxes", page, "both TrimBox and ArtBox; PDF/X allows one".into());
                None
            }
            (None, None) => {
                found.add("boxes", page, "no TrimBox (nor ArtBox)".into());
                None
            }
            (Some(r), None) | (None, Some(r)) => {
                if r.is_none() {
                    found.add("boxes", page, "the TrimBox is not a rectangle".into());
                }
                r
            }
        };
        for (name, inner) in [("BleedBox", bleed.flatten()), ("CropBox", crop.flatten())] {
            if inner.is_some_and(|inner| !media.contains(&inner)) {
                found.add("boxes", page, format!("the {name} reaches outside the MediaBox"));
            }
        }
        if let Some(finished) = finished {
            if finished.urx - finished.llx <= 0.0 || finished.ury - finished.lly <= 0.0 {
                found.add("boxes", page, "the TrimBox is empty".into());
            }
            let outer = [("MediaBox", Some(media)), ("BleedBox", bleed.flatten()), ("CropBox", crop.flatten())];
            for (name, outer) in outer {
                if outer.is_some_and(|outer| !outer.contains(&finished)) {
                    found.add(
                        "boxes",
                        page,
                        format!(
                            "the TrimBox [{} {} {} {}] reaches outside the {name} (printpdf's [x y w h]?)",
                            finished.llx, finished.lly, finished.urx, finished.ury
                        ),
                    );
                }
            }
        }
        // A bleed is the same on all four sides; a TrimBox off centre is printpdf's
        // `[x y w h]` written as `[llx lly urx ury]`.
        if let Some(finished) = finished {
            let outer = bleed.flatten().unwrap_or(media);
            let (left, right) = (finished.llx - outer.llx, outer.urx - finished.urx);
            let (bottom, top) = (finished.lly - outer.lly, outer.ury - finished.ury);
            if (left - right).abs() > BOX_TOLERANCE_PT || (bottom - top).abs() > BOX_TOLERANCE_PT {
                found.add(
                    "boxes (newsprint)",
                    page,
                    format!("the TrimBox is off centre (margins {left} {bottom} {right} {top} pt): [x y w h] written as a rectangle?"),
                );
            }
        }
        // Annotations: none may touch the bleed (or trim) area but prepress ones.
        let printable = bleed.flatten().or(finished).unwrap_or(media);
        let annots = doc
            .get_dictionary(page_id)
            .ok()
            .and_then(|p| p.get(b"Annots").ok())
            .map(|o| deref(o, doc))
            .and_then(|o| o.as_array().ok())
            .cloned()
            .unwrap_or_default();
        for annot in annots {
            let Ok(annot) = deref(&annot, doc).as_dict() else { continue };
            let subtype = annot.get(b"Subtype").and_then(Object::as_name).unwrap_or(b"?");
            if PREPRESS_ANNOTATIONS.contains(&subtype) {
                continue;
            }
            let inside = annot.get(b"Rect").ok().and_then(|r| Rect::from_object(r, doc)).is_none_or(|r| printable.intersects(&r));
            if inside {
                found.add(
                    "annotations",
                    page,
                    format!("a {} annotation inside the bleed/trim area", String::from_utf8_lossy(subtype)),
                );
            }
        }
        if let Ok(page_dict) = doc.get_dictionary(page_id) {
            if is_transparency_group(page_dict.get(b"Group").ok(), doc) {
                found.add("transparency", page, "the page is a transparency group".into());
            }
        }
    }
}

fn is_transparency_group(group: Option<&Object>, doc: &Document) -> bool {
    group
        .map(|g| deref(g, doc))
        .and_then(|g| g.as_dict().ok())
        .is_some_and(|g| g.get(b"S").and_then(Object::as_name).is_ok_and(|s| s == b"Transparency"))
}

fn check_interactivity(doc: &Document, found: &mut Found) {
    if let Ok(catalog) = doc.catalog() {
        if catalog.has(b"AcroForm") {
            found.add("actions", None, "an interactive form (AcroForm)".into());
        }
        if catalog.get(b"OpenAction").map(|o| deref(o, doc)).is_ok_and(|o| o.as_dict().is_ok()) {
            found.add("actions", None, "an OpenAction action".into());
        }
        let names = catalog.get(b"Names").ok().map(|o| deref(o, doc)).and_then(|o| o.as_dict().ok());
        if names.is_some_and(|n| n.has(b"JavaScript")) {
            found.add("actions", None, "document-level JavaScript".into());
        }
    }
    for dict in all_dictionaries(doc) {
        if dict.has(b"JS") || dict.get(b"S").and_then(Object::as_name).is_ok_and(|s| s == b"JavaScript") {
            found.add("actions", None, "JavaScript".into());
        }
        if dict.has(b"AA") {
            found.add("actions", None, "additional actions (/AA)".into());
        }
        if dict.has(b"OPI") {
            found.add("structure", None, "OPI comments: the high-resolution image is not in the file".into());
        }
        if dict.get(b"Type").and_then(Object::as_name).is_ok_and(|t| t == b"Filespec") || dict.has(b"EmbeddedFiles") {
            found.add("structure", None, "a file specification: a PDF/X file refers to no other file".into());
        }
        if dict.get(b"A").map(|a| deref(a, doc)).is_ok_and(|a| a.as_dict().is_ok_and(|a| a.has(b"S"))) {
            let kind = if dict.has(b"Title") { "an outline item" } else { "an annotation" };
            found.add("actions", None, format!("an action on {kind}; PDF/X-1a allows none"));
        }
    }
}

/// Every dictionary in the file, those nested inline in others included (printpdf writes
/// annotations, descendant fonts and graphics states inline), each once.
pub(super) fn all_dictionaries(doc: &Document) -> Vec<&Dictionary> {
    fn visit<'a>(object: &'a Object, out: &mut Vec<&'a Dictionary>, depth: usize) {
        if depth > 64 {
            return;
        }
        match object {
            Object::Dictionary(d) => {
                out.push(d);
                d.iter().for_each(|(_, v)| visit(v, out, depth + 1));
            }
            Object::Stream(s) => {
                out.push(&s.dict);
                s.dict.iter().for_each(|(_, v)| visit(v, out, depth + 1));
            }
            Object::Array(items) => items.iter().for_each(|v| visit(v, out, depth + 1)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    doc.objects.values().for_each(|o| visit(o, &mut out, 0));
    out
}

/// Every font dictionary the file holds, found by type rather than by resource walk so that
/// fonts of forms and annotations are included.
fn font_dictionaries(doc: &Document) -> Vec<&Dictionary> {
    all_dictionaries(doc).into_iter().filter(|d| d.get(b"Type").and_then(Object::as_name).is_ok_and(|t| t == b"Font")).collect()
}

fn check_fonts(doc: &Document, found: &mut Found) {
    let dictionaries = font_dictionaries(doc);
    let mut seen = BTreeSet::new();
    for font in dictionaries {
        if !seen.insert(font as *const Dictionary) {
            continue;
        }
        let name = font.get(b"BaseFont").and_then(Object::as_name).map(|n| String::from_utf8_lossy(n).into_owned()).unwrap_or_default();
        let subtype = font.get(b"Subtype").and_then(Object::as_name).unwrap_or(b"");
        match subtype {
            b"Type3" => found.add("fonts", None, format!("Type 3 font {name}")),
            b"Type0" => {
                if !font.has(b"DescendantFonts") {
                    found.add("fonts", None, format!("Type 0 font {name} without a descendant font"));
                }
            }
            _ => {
                let descriptor = font.get(b"FontDescriptor").ok().map(|d| deref(d, doc)).and_then(|d| d.as_dict().ok());
                let program = descriptor.and_then(|d| {
                    [&b"FontFile"[..], b"FontFile2", b"FontFile3"]
                        .into_iter()
                        .find_map(|key| d.get(key).ok().map(|p| (key, deref(p, doc))))
                });
                match program {
                    None => found.add("fonts", None, format!("font {name} is not embedded")),
                    Some((key, program)) => {
                        let kind = program.as_stream().ok().and_then(|s| s.dict.get(b"Subtype").and_then(Object::as_name).ok());
                        if key == b"FontFile3" && kind == Some(b"OpenType") {
                            found.add("fonts", None, format!("font {name} is embedded as OpenType (PDF 1.6)"));
                        }
                    }
                }
                let is_subset = name.len() > 7 && name.as_bytes()[6] == b'+' && name[..6].bytes().all(|b| b.is_ascii_uppercase());
                if !is_subset {
                    found.add("fonts (newsprint)", None, format!("font {name} is not subset (no ABCDEF+ tag)"));
                }
            }
        }
    }
}

/// Every graphics state dictionary: typed ones and those inline in ExtGState resources.
pub(super) fn graphics_states(doc: &Document) -> Vec<&Dictionary> {
    let mut states: Vec<&Dictionary> = Vec::new();
    for dict in all_dictionaries(doc) {
        if dict.get(b"Type").and_then(Object::as_name).is_ok_and(|t| t == b"ExtGState") {
            states.push(dict);
        }
        // States without a /Type, inside an ExtGState resource dictionary.
        if let Ok(Object::Dictionary(resources)) = dict.get(b"ExtGState").map(|o| deref(o, doc)) {
            states.extend(resources.iter().filter_map(|(_, s)| deref(s, doc).as_dict().ok()));
        }
    }
    let mut seen = BTreeSet::new();
    states.retain(|s| seen.insert(*s as *const Dictionary));
    states
}

fn check_graphics_states(doc: &Document, found: &mut Found) {
    for state in graphics_states(doc) {
        if let Ok(mask) = state.get(b"SMask").map(|m| deref(m, doc)) {
            if mask.as_name().map_or(true, |n| n != b"None") {
                found.add("transparency", None, "a soft mask in a graphics state".into());
            }
        }
        for key in ["CA", "ca"] {
            if let Ok(alpha) = state.get(key.as_bytes()).and_then(Object::as_float) {
                if alpha < 1.0 {
                    found.add("transparency", None, format!("constant alpha /{key} {alpha}"));
                }
            }
        }
        if let Ok(mode) = state.get(b"BM") {
            let names: Vec<&[u8]> = match deref(mode, doc) {
                Object::Name(n) => vec![n],
                Object::Array(list) => list.iter().filter_map(|n| n.as_name().ok()).collect(),
                _ => vec![],
            };
            if names.iter().any(|n| *n != b"Normal" && *n != b"Compatible") {
                found.add("transparency", None, "a blend mode other than Normal".into());
            }
        }
        if state.has(b"TR") || state.has(b"TR2") {
            found.add("structure", None, "a transfer function, which PDF/X forbids".into());
        }
        if let Ok(halftone) = state.get(b"HT").map(|h| deref(h, doc)) {
            let dict = halftone.as_dict().ok().or_else(|| halftone.as_stream().ok().map(|s| &s.dict));
            if let Some(dict) = dict {
                let kind = dict.get(b"HalftoneType").and_then(Object::as_i64).unwrap_or(0);
                if kind != 1 && kind != 5 || dict.has(b"HalftoneName") {
                    found.add("structure", None, "a halftone other than type 1 or 5, or a named one".into());
                }
            }
        }
    }
}

fn check_filters(doc: &Document, found: &mut Found) {
    for object in doc.objects.values() {
        let Ok(stream) = object.as_stream() else { continue };
        for filter in stream.filters().unwrap_or_default() {
            match filter {
                b"LZWDecode" | b"LZW" => found.add("filters", None, "LZW compression, which PDF/X-1a forbids".into()),
                b"JBIG2Decode" => found.add("filters", None, "JBIG2 compression (PDF 1.4)".into()),
                b"JPXDecode" => found.add("filters", None, "JPEG 2000 compression (PDF 1.5)".into()),
                b"Crypt" => found.add("filters", None, "a Crypt filter (PDF 1.5)".into()),
                _ => {}
            }
        }
    }
}

/// Whether a colour space may appear in a PDF/X-1a file: device CMYK and grey, spot colours
/// with such alternates, patterns, and indexed spaces over them.
fn allowed_space(space: &Object, doc: &Document) -> std::result::Result<(), String> {
    let space = deref(space, doc);
    let describe = |o: &Object| match deref(o, doc) {
        Object::Name(n) => String::from_utf8_lossy(n).into_owned(),
        Object::Array(a) => a.first().and_then(|n| n.as_name().ok()).map(|n| String::from_utf8_lossy(n).into_owned()).unwrap_or_default(),
        _ => "?".into(),
    };
    match space {
        Object::Name(n) => match &n[..] {
            b"DeviceCMYK" | b"DeviceGray" | b"Pattern" | b"CMYK" | b"G" => Ok(()),
            _ => Err(format!("colour space {}", describe(space))),
        },
        Object::Array(items) => match items.first().and_then(|n| n.as_name().ok()) {
            Some(b"Indexed" | b"I") => items.get(1).map_or(Err("a malformed Indexed space".into()), |base| allowed_space(base, doc)),
            Some(b"Separation" | b"DeviceN") => {
                let alternate = items.get(2).ok_or("a malformed spot colour space")?;
                allowed_space(alternate, doc).map_err(|e| format!("a spot colour whose alternate is {e}"))
            }
            Some(b"Pattern") => items.get(1).map_or(Ok(()), |base| allowed_space(base, doc)),
            _ => Err(format!("colour space {}", describe(space))),
        },
        _ => Err("a colour space that is neither name nor array".into()),
    }
}

fn check_images(doc: &Document, found: &mut Found) {
    for (id, object) in &doc.objects {
        let Ok(stream) = object.as_stream() else { continue };
        let dict = &stream.dict;
        if dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Image") {
            continue;
        }
        let is_mask_itself = doc.objects.values().any(|o| {
            o.as_stream().is_ok_and(|s| s.dict.get(b"SMask").and_then(Object::as_reference).ok() == Some(*id))
        });
        if dict.has(b"SMask") {
            found.add("transparency", None, format!("image object {} has a soft mask", id.0));
        }
        if is_mask_itself || dict.get(b"ImageMask").and_then(Object::as_bool).unwrap_or(false) {
            continue;
        }
        if dict.has(b"Alternates") {
            found.add("structure", None, format!("image object {} has alternate images", id.0));
        }
        match dict.get(b"ColorSpace") {
            Err(_) if !stream.filters().is_ok_and(|f| f.contains(&&b"JPXDecode"[..])) => {
                found.add("colour", None, format!("image object {} has no colour space", id.0))
            }
            Err(_) => {}
            Ok(space) => {
                if let Err(e) = allowed_space(space, doc) {
                    found.add("colour", None, format!("image object {} is in {e}", id.0));
                } else if family(space, doc) == Family::Cmyk {
                    check_image_ink(*id, stream, found);
                }
            }
        }
    }
}

/// The ink limit of an 8-bit CMYK image whose samples lopdf can decode (JPEGs are not).
fn check_image_ink(id: ObjectId, stream: &lopdf::Stream, found: &mut Found) {
    if stream.dict.get(b"BitsPerComponent").and_then(Object::as_i64).unwrap_or(8) != 8 || stream.dict.has(b"Decode") {
        return;
    }
    let Ok(samples) = stream.get_plain_content() else { return };
    if stream.filters().is_ok_and(|f| f.iter().any(|f| *f == b"DCTDecode")) {
        return;
    }
    // One step of 8-bit rounding per component is not an excess.
    let limit = (MAX_TOTAL_INK * 255.0).round() as u32 + 4;
    let worst = samples.chunks_exact(4).map(|p| p.iter().map(|&v| u32::from(v)).sum::<u32>()).max().unwrap_or(0);
    if worst > limit {
        found.add(
            "ink (newsprint)",
            None,
            format!("image object {} reaches {:.0} % total ink; newsprint allows {:.0} %", id.0, worst as f32 / 2.55, MAX_TOTAL_INK * 100.0),
        );
    }
}

/// The content operators of PDF 1.3; anything else is newer or not PDF.
const PDF13_OPERATORS: &[&str] = &[
    "b", "B", "b*", "B*", "BDC", "BI", "BMC", "BT", "BX", "c", "cm", "CS", "cs", "d", "d0", "d1", "Do", "DP", "EI", "EMC", "ET",
    "EX", "f", "F", "f*", "G", "g", "gs", "h", "i", "ID", "j", "J", "K", "k", "l", "m", "M", "MP", "n", "q", "Q", "re", "RG", "rg",
    "ri", "s", "S", "SC", "sc", "SCN", "scn", "sh", "T*", "Tc", "Td", "TD", "Tf", "Tj", "TJ", "TL", "Tm", "Tr", "Ts", "Tw", "Tz",
    "v", "w", "W", "W*", "y", "'", "\"",
];

/// Depth of nested form XObjects followed; deeper is a loop or an attack.
const MAX_FORM_DEPTH: usize = 12;

#[derive(Clone, Copy)]
struct Graphics {
    ctm: [f32; 6],
    fill_space: Family,
    /// The fill is solid black: 100 % K in DeviceCMYK (`Some(true)`), or black in DeviceGray
    /// (`Some(false)`: black that cannot overprint).
    fill_black: Option<bool>,
    fill_overprint: bool,
    overprint_mode: i64,
    text_mode: i64,
}

struct Walk<'a> {
    doc: &'a Document,
    page: u32,
    found: &'a mut Found,
    unoverprinted_black_text: usize,
    grey_black_text: usize,
}

fn check_content(doc: &Document, found: &mut Found) {
    for (number, page_id) in doc.get_pages() {
        let content = doc.get_page_content(page_id);
        let resources = super::colour::page_resources(doc, page_id);
        let start = Graphics {
            ctm: [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
            fill_space: Family::Gray,
            fill_black: Some(false),
            fill_overprint: false,
            overprint_mode: 0,
            text_mode: 0,
        };
        let mut walk = Walk { doc, page: number, found, unoverprinted_black_text: 0, grey_black_text: 0 };
        walk.stream(&content, resources.as_ref(), start, 0);
        let (missing, grey) = (walk.unoverprinted_black_text, walk.grey_black_text);
        if missing > 0 {
            found.add(
                "overprint (newsprint)",
                Some(number),
                format!("{missing} text run(s) in 100 % K do not overprint (need /op true /OPM 1)"),
            );
        }
        if grey > 0 {
            found.add("overprint (newsprint)", Some(number), format!("{grey} black text run(s) in DeviceGray, which cannot overprint"));
        }
    }
}

impl Walk<'_> {
    fn stream(&mut self, content: &[u8], resources: Option<&Dictionary>, start: Graphics, depth: usize) {
        let page = Some(self.page);
        let operations = match Content::decode(content) {
            Ok(c) => c.operations,
            Err(e) => {
                self.found.add("structure", page, format!("a content stream cannot be parsed: {e}"));
                return;
            }
        };
        let resource = |kind: &[u8], name: &[u8]| -> Option<&Object> {
            let dict = deref(resources?.get(kind).ok()?, self.doc).as_dict().ok()?;
            dict.get(name).ok().map(|o| deref(o, self.doc))
        };
        let mut state = start;
        let mut saved = Vec::new();
        for op in operations {
            let operator = op.operator.as_str();
            let numbers: Vec<f32> = op.operands.iter().filter_map(|o| o.as_float().ok()).collect();
            if !PDF13_OPERATORS.contains(&operator) {
                self.found.add("structure", page, format!("operator `{operator}` is not PDF 1.3"));
            }
            match operator {
                "q" => saved.push(state),
                "Q" => state = saved.pop().unwrap_or(state),
                "cm" if numbers.len() == 6 => state.ctm = multiply(&numbers, &state.ctm),
                "rg" | "RG" => self.found.add("colour", page, format!("DeviceRGB colour (`{operator}`)")),
                "g" => {
                    state.fill_space = Family::Gray;
                    state.fill_black = (numbers.first() == Some(&0.0)).then_some(false);
                }
                "k" | "K" if numbers.len() == 4 => {
                    let cmyk = [numbers[0], numbers[1], numbers[2], numbers[3]];
                    if cmyk.iter().sum::<f32>() > MAX_TOTAL_INK + 1e-3 {
                        self.found.add(
                            "ink (newsprint)",
                            page,
                            format!("a colour of {:.0} % total ink; newsprint allows {:.0} %", cmyk.iter().sum::<f32>() * 100.0, MAX_TOTAL_INK * 100.0),
                        );
                    }
                    if operator == "k" {
                        state.fill_space = Family::Cmyk;
                        state.fill_black = is_full_black(cmyk).then_some(true);
                    }
                }
                "cs" | "CS" => {
                    let Some(name) = op.operands.first().and_then(|o| o.as_name().ok()) else { continue };
                    let space = match name {
                        b"DeviceGray" | b"DeviceRGB" | b"DeviceCMYK" | b"Pattern" => Object::Name(name.to_vec()),
                        _ => match resource(b"ColorSpace", name) {
                            Some(space) => space.clone(),
                            None => {
                                self.found.add("structure", page, format!("colour space /{} is not in the resources", String::from_utf8_lossy(name)));
                                continue;
                            }
                        },
                    };
                    if let Err(e) = allowed_space(&space, self.doc) {
                        self.found.add("colour", page, format!("{e} in a content stream"));
                    }
                    if operator == "cs" {
                        state.fill_space = family(&space, self.doc);
                        // A device space starts at its black; anything else is not solid K.
                        state.fill_black = match state.fill_space {
                            Family::Cmyk => Some(true),
                            Family::Gray => Some(false),
                            _ => None,
                        };
                    }
                }
                "sc" | "scn" => {
                    state.fill_black = match (state.fill_space, &numbers[..]) {
                        (Family::Cmyk, &[c, m, y, k]) => is_full_black([c, m, y, k]).then_some(true),
                        (Family::Gray, &[g]) => (g == 0.0).then_some(false),
                        _ => None,
                    };
                }
                "gs" => {
                    let Some(name) = op.operands.first().and_then(|o| o.as_name().ok()) else { continue };
                    match resource(b"ExtGState", name).and_then(|s| s.as_dict().ok()) {
                        Some(gs) => {
                            let stroke = gs.get(b"OP").and_then(Object::as_bool).ok();
                            if let Some(fill) = gs.get(b"op").and_then(Object::as_bool).ok().or(stroke) {
                                state.fill_overprint = fill;
                            }
                            if let Ok(mode) = gs.get(b"OPM").and_then(Object::as_i64) {
                                state.overprint_mode = mode;
                            }
                        }
                        None => self.found.add("structure", page, format!("graphics state /{} is not in the resources", String::from_utf8_lossy(name))),
                    }
                }
                "Tr" => state.text_mode = numbers.first().map_or(0, |m| *m as i64),
                "Tj" | "TJ" | "'" | "\"" => {
                    let fills = matches!(state.text_mode, 0 | 2 | 4 | 6);
                    match state.fill_black {
                        Some(true) if fills && !(state.fill_overprint && state.overprint_mode == 1) => self.unoverprinted_black_text += 1,
                        Some(false) if fills => self.grey_black_text += 1,
                        _ => {}
                    }
                }
                "sh" => {
                    let Some(name) = op.operands.first().and_then(|o| o.as_name().ok()) else { continue };
                    let space = resource(b"Shading", name).and_then(|s| {
                        let dict = s.as_dict().ok().or_else(|| s.as_stream().ok().map(|st| &st.dict))?;
                        dict.get(b"ColorSpace").ok()
                    });
                    if let Some(Err(e)) = space.map(|s| allowed_space(s, self.doc)) {
                        self.found.add("colour", page, format!("a shading in {e}"));
                    }
                }
                "BI" => {
                    if let Some(Object::Stream(image)) = op.operands.first() {
                        let space = image.dict.get(b"CS").or_else(|_| image.dict.get(b"ColorSpace")).ok();
                        let space = space.map(|s| match s {
                            Object::Name(n) => resource(b"ColorSpace", n).cloned().unwrap_or_else(|| s.clone()),
                            other => other.clone(),
                        });
                        if let Some(Err(e)) = space.map(|s| allowed_space(&s, self.doc)) {
                            self.found.add("colour", page, format!("an inline image in {e}"));
                        }
                    }
                }
                "Do" => {
                    let Some(name) = op.operands.first().and_then(|o| o.as_name().ok()) else { continue };
                    let Some(Object::Stream(xobject)) = resource(b"XObject", name) else {
                        self.found.add("structure", page, format!("XObject /{} is not in the resources", String::from_utf8_lossy(name)));
                        continue;
                    };
                    match xobject.dict.get(b"Subtype").and_then(Object::as_name).unwrap_or(b"") {
                        b"Image" => self.place_image(name, xobject, &state.ctm),
                        b"Form" => {
                            if is_transparency_group(xobject.dict.get(b"Group").ok(), self.doc) {
                                self.found.add("transparency", page, "a form XObject is a transparency group".into());
                            }
                            if depth >= MAX_FORM_DEPTH {
                                self.found.add("structure", page, "form XObjects nested too deep".into());
                                continue;
                            }
                            let mut inner = state;
                            if let Ok(matrix) = xobject.dict.get(b"Matrix").and_then(Object::as_array) {
                                let m: Vec<f32> = matrix.iter().filter_map(|v| v.as_float().ok()).collect();
                                if m.len() == 6 {
                                    inner.ctm = multiply(&m, &state.ctm);
                                }
                            }
                            let form_resources = xobject.dict.get(b"Resources").ok().map(|o| deref(o, self.doc)).and_then(|o| o.as_dict().ok()).cloned();
                            let content = xobject.get_plain_content().unwrap_or_default();
                            self.stream(&content, form_resources.as_ref().or(resources), inner, depth + 1);
                        }
                        b"PS" => self.found.add("structure", page, "a PostScript XObject".into()),
                        _ => {}
                    }
                }
                _ => {}
            }
        }
    }

    fn place_image(&mut self, name: &[u8], image: &lopdf::Stream, ctm: &[f32; 6]) {
        let width_px = image.dict.get(b"Width").and_then(Object::as_i64).unwrap_or(0).max(0) as u32;
        let height_px = image.dict.get(b"Height").and_then(Object::as_i64).unwrap_or(0).max(0) as u32;
        // The unit square is mapped by the CTM: its sides' lengths are the placed size in pt.
        let width_in = (ctm[0].hypot(ctm[1])) / 72.0;
        let height_in = (ctm[2].hypot(ctm[3])) / 72.0;
        if width_in <= 0.0 || height_in <= 0.0 {
            return;
        }
        let ppi = (width_px as f32 / width_in).min(height_px as f32 / height_in);
        self.found.images.push(PlacedImage { page: self.page, name: String::from_utf8_lossy(name).into_owned(), width_px, height_px, ppi });
    }
}

/// `a × b` for PDF's row-vector matrices `[a b c d e f]` (a `cm` operand times the CTM).
fn multiply(a: &[f32], b: &[f32; 6]) -> [f32; 6] {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_dates_are_parsed_and_invalid_ones_refused() {
        assert_eq!(parse_pdf_date("D:20250901000000+08'00'"), Some((2025, 9, 1, 0, 0, 0, 480)));
        assert_eq!(parse_pdf_date("D:2025"), Some((2025, 1, 1, 0, 0, 0, 0)));
        assert_eq!(parse_pdf_date("D:20250901120000Z"), Some((2025, 9, 1, 12, 0, 0, 0)));
        assert_eq!(parse_pdf_date("D:20250231000000Z"), None, "no 31 February");
        assert_eq!(parse_pdf_date("D:19700101000000+00'00'").map(|d| d.0), Some(1970));
        assert_eq!(parse_pdf_date("2025-09-01"), None);
        assert_eq!(parse_pdf_date("D:20251301"), None);
    }

    #[test]
    fn xmp_dates_are_parsed_and_invalid_ones_refused() {
        assert_eq!(parse_xmp_date("2025-09-01T00:00:00+08:00"), Some((2025, 9, 1, 0, 0, 0, 480)));
        assert_eq!(parse_xmp_date("2025-09-01"), Some((2025, 9, 1, 0, 0, 0, 0)));
        assert_eq!(parse_xmp_date("2025-09-01T10:30Z"), Some((2025, 9, 1, 10, 30, 0, 0)));
        assert_eq!(parse_xmp_date("2025-9-1"), None);
        assert_eq!(parse_xmp_date("2025-09-01T25:00:00Z"), None);
        assert_eq!(parse_xmp_date("D:20250901"), None);
    }

    #[test]
    fn matrices_compose_like_pdf() {
        let scaled = multiply(&[100.0, 0.0, 0.0, 50.0, 10.0, 20.0], &[1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
        assert_eq!(scaled, [100.0, 0.0, 0.0, 50.0, 10.0, 20.0]);
        let twice = multiply(&[2.0, 0.0, 0.0, 2.0, 0.0, 0.0], &scaled);
        assert_eq!(twice, [200.0, 0.0, 0.0, 100.0, 10.0, 20.0]);
    }

    #[test]
    fn only_cmyk_grey_and_their_spot_colours_are_allowed() {
        let doc = Document::with_version("1.3");
        assert!(allowed_space(&Object::from("DeviceCMYK"), &doc).is_ok());
        assert!(allowed_space(&Object::from("DeviceRGB"), &doc).is_err());
        let spot_cmyk = Object::Array(vec!["Separation".into(), "PANTONE".into(), "DeviceCMYK".into(), Object::Null]);
        assert!(allowed_space(&spot_cmyk, &doc).is_ok());
        let spot_rgb = Object::Array(vec!["Separation".into(), "PANTONE".into(), "DeviceRGB".into(), Object::Null]);
        assert!(allowed_space(&spot_rgb, &doc).is_err());
        let indexed_rgb = Object::Array(vec!["Indexed".into(), "DeviceRGB".into(), 1.into(), Object::string_literal("abcdef")]);
        assert!(allowed_space(&indexed_rgb, &doc).is_err());
    }
}
