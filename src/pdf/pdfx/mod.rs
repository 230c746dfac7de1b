//! PDF/X-1a:2001 for the printer: the last stage of `papertool pdf`, a lopdf pass over the PDF
//! bytes `render` wrote, and the checker that proves the result.
//!
//! The renderer sets type; this pass makes the file what a newspaper's preflight accepts
//! (ISO 15930-1:2001, PDF/X-1a:2001, the CMYK-only exchange coldset RIPs take most widely):
//!
//! - header `%PDF-1.3`, classic cross-reference table, Flate only (LZW re-encoded);
//! - a new Info dictionary (`Title`, `Author`, `Subject`, `CreationDate`/`ModDate` from the issue
//!   date, `Trapped /False`, `GTS_PDFXVersion`, `GTS_PDFXConformance`) and an XMP packet that
//!   says the same ([`xmp`]); a trailer `/ID` that is the MD5 of the file's own content;
//! - one `GTS_PDFX` output intent for the registered newsprint condition `IFRA26`, without an
//!   embedded profile (see [`set_output_intent`]);
//! - MediaBox = BleedBox, TrimBox = MediaBox less the bleed, on every page, no CropBox/ArtBox;
//! - colour in DeviceCMYK only: RGB and grey operators and RGB images converted ([`colour`]),
//!   100 % K overprinting (`/OP true /op true /OPM 1`), total ink capped at 220 %. The
//!   edition's own pages are written that way by [`crate::pdf::content`], so for them the
//!   content rewrite is skipped ([`ContentStreams::PressReady`]); `papertool pdfx` rewrites;
//! - annotations (links) and actions removed: PDF/X-1a forbids annotations inside the bleed
//!   box and actions anywhere; the outline stays, as plain destinations.
//!
//! What the pass cannot make conform (a Type 3 or unembedded font, transparency, JavaScript
//! it would have to drop silently, an inline image) it refuses with a one-line error rather than
//! writing a file that claims PDF/X falsely. [`check()`] reads any PDF and lists every rule of the
//! standard it breaks; `papertool pdfx-check` runs it from the command line.

mod check;
mod colour;
mod content;
mod xmp;

pub use check::{check, placed_images, PlacedImage, Violation};
pub use colour::PreparedPhotos;
pub(crate) use colour::{is_full_black, limit_ink};

use std::collections::BTreeSet;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};

use crate::error::{Error, Result};

/// What the file claims, in the Info dictionary's `GTS_PDFXVersion` (ISO 15930-1 names the
/// family here and the conformance level in `GTS_PDFXConformance`).
pub const PDFX_VERSION: &str = "PDF/X-1:2001";
/// The conformance level: X-1a, all data in the file, CMYK (and spot) only.
pub const PDFX_CONFORMANCE: &str = "PDF/X-1a:2001";
/// PDF/X-1a:2001 is built on PDF 1.3; nothing newer may be relied on.
pub const PDF_VERSION: &str = "1.3";

/// The registered characterization of coldset offset on newsprint, ISO 12647-3
/// (ICC Characterization Data Registry name).
pub const OUTPUT_CONDITION_IDENTIFIER: &str = "IFRA26";
/// The registry that defines [`OUTPUT_CONDITION_IDENTIFIER`].
pub const REGISTRY_NAME: &str = "http://www.color.org";
/// The human-readable printing condition, for the printer's operator.
pub const OUTPUT_CONDITION: &str =
    "Coldset offset lithography on newsprint (ISO 12647-3:2004), characterization data IFRA26";

/// ISO 12647-3's limit of total area coverage for coldset newsprint, as a fraction (220 %).
pub const MAX_TOTAL_INK: f32 = 2.2;

/// A photo printed under this resolution at its placed size looks soft on newsprint (halftone
/// screens of 85–100 lpi want about twice their ruling); below it the user is warned.
pub const MIN_PHOTO_PPI: f32 = 200.0;

/// The time zone of the paper's dateline: a Chinese paper's issue date is Beijing time.
const ISSUE_TIME_ZONE_HOURS: i8 = 8;

/// The names under which the pass adds its overprint states to every resource dictionary;
/// `Fill`/`Stroke` say which of `op`/`OP` is on. A prefix no printpdf resource name uses.
const OVERPRINT_STATES: [(&str, bool, bool); 4] = [
    ("PapertoolKnockout", false, false),
    ("PapertoolOverprintFill", false, true),
    ("PapertoolOverprintStroke", true, false),
    ("PapertoolOverprintBoth", true, true),
];

/// The annotation types PDF/X-1a allows anywhere (they are prepress data, not page content).
const PREPRESS_ANNOTATIONS: [&[u8]; 2] = [b"TrapNet", b"PrinterMark"];

/// A calendar date, the issue's dateline: `CreationDate` and `ModDate` of the print file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IssueDate {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl IssueDate {
    /// Parses an ISO 8601 calendar date, `2025-09-01`, and checks that the day exists.
    pub fn parse(text: &str) -> Option<IssueDate> {
        let mut parts = text.trim().splitn(3, '-');
        let year: u16 = parts.next()?.parse().ok()?;
        let month: u8 = parts.next()?.parse().ok()?;
        let day: u8 = parts.next()?.parse().ok()?;
        let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        ((1..=days).contains(&day) && (1000..=9999).contains(&year)).then_some(IssueDate { year, month, day })
    }

    /// `D:20250901000000+08'00'`, the PDF date form.
    pub fn pdf_date(&self) -> String {
        format!("D:{:04}{:02}{:02}000000+{:02}'00'", self.year, self.month, self.day, ISSUE_TIME_ZONE_HOURS)
    }

    /// `2025-09-01T00:00:00+08:00`, the XMP date form of the same instant.
    pub fn xmp_date(&self) -> String {
        format!("{:04}-{:02}-{:02}T00:00:00+{:02}:00", self.year, self.month, self.day, ISSUE_TIME_ZONE_HOURS)
    }
}

/// What the print file says about itself, from the issue.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfxMeta {
    /// The edition's title, e.g. `嘉陵报 2025-10-15`.
    pub title: String,
    /// The publisher (the Info dictionary's `Author`, XMP `dc:creator`).
    pub author: Option<String>,
    /// A line on the content (`Subject`, `dc:description`).
    pub subject: Option<String>,
    /// The issue date: `CreationDate` and `ModDate`.
    pub date: IssueDate,
    /// Bleed on each side in points: the MediaBox and BleedBox extend this far past the trim.
    /// 0 for a newspaper page printed to its edges' margins.
    pub bleed_pt: f32,
}

impl PdfxMeta {
    /// The print file's metadata from the issue's masthead: title `渝中报 2025-09-01`, the
    /// publisher as author, issue numbers as subject, the dateline as the file's date. PDF/X
    /// needs a date, so an issue whose masthead has none is refused here (with the way out).
    pub fn for_issue(issue: &crate::model::Issue, bleed_pt: f32) -> Result<PdfxMeta> {
        let masthead = &issue.masthead;
        let date = masthead
            .date
            .as_deref()
            .and_then(IssueDate::parse)
            .ok_or_else(|| {
                Error::failed(
                    "the masthead has no issue date, which a PDF/X file needs for its CreationDate; \
                     use --no-pdfx for a screen edition",
                )
            })?;
        let paper = masthead.paper.as_deref().map(str::trim).filter(|p| !p.is_empty());
        let day = masthead.date.as_deref().unwrap_or_default().trim();
        let title = match paper {
            Some(paper) => format!("{paper} {day}"),
            None => day.to_string(),
        };
        let numbers: Vec<String> = [
            masthead.issue_number.map(|n| format!("第{n}期")),
            masthead.total_issue_number.map(|n| format!("总第{n}期")),
            Some(format!("今日{}版", masthead.page_count)),
        ]
        .into_iter()
        .flatten()
        .collect();
        Ok(PdfxMeta {
            title,
            author: masthead.publisher.clone(),
            subject: Some(numbers.join(" ")),
            date,
            bleed_pt,
        })
    }
}

/// What the pass may take for granted about a document's page content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentStreams {
    /// Any PDF's: every page's and form's content is rewritten to DeviceCMYK with overprint
    /// selected ([`colour`]).
    Foreign,
    /// Written by papertool's renderer ([`crate::pdf::content`]): DeviceCMYK within the ink
    /// limit, the overprint state selected after every change of colour from a page start in
    /// CMYK black — what the rewrite would make of it. Left as it is: reading it again cost
    /// as much as the rest of the pass.
    PressReady,
}

/// Makes `bytes` (a finished PDF) a PDF/X-1a:2001 file for newsprint, or says why it cannot.
pub fn make_pdfx(bytes: Vec<u8>, meta: &PdfxMeta) -> Result<Vec<u8>> {
    let mut doc = Document::load_mem(&bytes).map_err(|e| Error::failed(format!("PDF/X: cannot read the PDF: {e}")))?;
    make_print_ready(&mut doc, meta, ContentStreams::Foreign, &mut PreparedPhotos::default())?;
    crate::pdf::serialize::save(doc)
}

/// The pass itself, on a document in memory (`papertool pdf` hands it the renderer's, never
/// written and read back). Streams the pass writes are left plain for
/// [`crate::pdf::serialize::save`] to compress, and the XMP packet quotes the placeholder ID
/// that `save` replaces with the digest of the file. `content` says whether the page content
/// needs rewriting for the press; `prepared` holds photos already separated.
pub fn make_print_ready(doc: &mut Document, meta: &PdfxMeta, content: ContentStreams, prepared: &mut PreparedPhotos) -> Result<()> {
    if doc.is_encrypted() {
        return Err(Error::failed("PDF/X: the PDF is encrypted, which PDF/X forbids"));
    }
    refuse_javascript(doc)?;
    give_pages_their_own_resources(doc);
    fix_catalog_names(doc);
    unwrap_opentype_fonts(doc);
    check::refuse_unfixable(doc)?;

    reencode_lzw(doc)?;
    remove_interactivity(doc);
    remove_transparency_groups(doc);
    set_page_boxes(doc, meta.bleed_pt)?;
    colour::convert_images(doc, prepared)?;
    colour::strip_overprint_from_states(doc);
    add_overprint_states(doc);
    if content == ContentStreams::Foreign {
        colour::rewrite_content_streams(doc)?;
    }

    set_info(doc, meta);
    set_output_intent(doc)?;
    doc.version = PDF_VERSION.to_string();
    doc.reference_table.cross_reference_type = lopdf::xref::XrefType::CrossReferenceTable;
    doc.trailer.remove(b"ID");
    doc.trailer.remove(b"Prev");
    doc.trailer.remove(b"XRefStm");
    doc.prune_objects();
    doc.renumber_objects();

    // The /ID is the MD5 of the file's own bytes (ISO 32000 14.4 suggests a digest of the
    // file's parts), and the XMP quotes it: both are written as the placeholder and patched.
    let metadata = Stream::new(
        Dictionary::from_iter([("Type", Object::from("Metadata")), ("Subtype", Object::from("XML"))]),
        xmp::packet(meta, &crate::pdf::serialize::ID_PLACEHOLDER).into_bytes(),
    )
    // Left uncompressed so that tools that scan for XMP without parsing PDF find it.
    .with_compression(false);
    let metadata_id = doc.add_object(metadata);
    doc.catalog_mut().map_err(lopdf_error)?.set("Metadata", Object::Reference(metadata_id));
    Ok(())
}

/// The images placed below [`MIN_PHOTO_PPI`], for a warning per photo.
pub fn low_resolution_images(bytes: &[u8]) -> Vec<PlacedImage> {
    placed_images(bytes).into_iter().filter(|image| image.ppi < MIN_PHOTO_PPI).collect()
}

fn lopdf_error(e: lopdf::Error) -> Error {
    Error::failed(format!("PDF/X: malformed PDF: {e}"))
}

/// JavaScript is refused rather than dropped: a script in a print file is a sign that the
/// renderer did something nobody asked for, and silently removing it could change the page.
fn refuse_javascript(doc: &Document) -> Result<()> {
    for dict in check::all_dictionaries(doc) {
        let is_script = dict.has(b"JS") || dict.get(b"S").and_then(Object::as_name).is_ok_and(|s| s == b"JavaScript");
        if is_script {
            return Err(Error::failed("PDF/X: the PDF contains JavaScript, which PDF/X forbids"));
        }
    }
    Ok(())
}

/// printpdf writes the catalog's `/PageMode` as a string; PDF wants a name.
fn fix_catalog_names(doc: &mut Document) {
    if let Ok(catalog) = doc.catalog_mut() {
        for key in [&b"PageMode"[..], b"PageLayout"] {
            if let Ok(Object::String(value, _)) = catalog.get(key) {
                let name = Object::Name(value.clone());
                catalog.set(key.to_vec(), name);
            }
        }
    }
}

/// A CFF font embedded as a whole OpenType file (`/FontFile3 /Subtype /OpenType`) is PDF 1.6;
/// PDF 1.3 takes the bare `CFF ` table (`/CIDFontType0C` under a CID font, `/Type1C` under a
/// simple one), which is the same outlines and charset, so the table is taken out of the sfnt.
fn unwrap_opentype_fonts(doc: &mut Document) {
    let mut targets: Vec<(ObjectId, &'static str)> = Vec::new();
    for font in check::all_dictionaries(doc) {
        if font.get(b"Type").and_then(Object::as_name).ok() != Some(b"Font") {
            continue;
        }
        let subtype = if font.get(b"Subtype").and_then(Object::as_name).is_ok_and(|s| s == b"CIDFontType0") {
            "CIDFontType0C"
        } else {
            "Type1C"
        };
        let program = font
            .get(b"FontDescriptor")
            .ok()
            .map(|d| colour::deref(d, doc))
            .and_then(|d| d.as_dict().ok())
            .and_then(|d| d.get(b"FontFile3").and_then(Object::as_reference).ok());
        if let Some(id) = program {
            targets.push((id, subtype));
        }
    }
    for (id, subtype) in targets {
        let Ok(Object::Stream(stream)) = doc.get_object_mut(id) else { continue };
        if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"OpenType") {
            continue;
        }
        let Ok(sfnt) = stream.get_plain_content() else { continue };
        if let Some(cff) = sfnt_table(&sfnt, b"CFF ") {
            stream.set_plain_content(cff.to_vec());
            stream.dict.set("Subtype", Object::from(subtype));
        }
    }
}

/// One table of an sfnt (OpenType) file, by its tag.
pub(crate) fn sfnt_table<'a>(sfnt: &'a [u8], tag: &[u8; 4]) -> Option<&'a [u8]> {
    const TABLE_RECORDS_AT: usize = 12;
    const TABLE_RECORD_LEN: usize = 16;
    let count = usize::from(u16::from_be_bytes(sfnt.get(4..6)?.try_into().ok()?));
    (0..count).find_map(|i| {
        let record = sfnt.get(TABLE_RECORDS_AT + i * TABLE_RECORD_LEN..TABLE_RECORDS_AT + (i + 1) * TABLE_RECORD_LEN)?;
        if &record[..4] != tag {
            return None;
        }
        let offset = u32::from_be_bytes(record[8..12].try_into().ok()?) as usize;
        let length = u32::from_be_bytes(record[12..16].try_into().ok()?) as usize;
        sfnt.get(offset..offset.checked_add(length)?)
    })
}

/// A page without its own `/Resources` inherits its parent's; the pass edits resources per page,
/// so it gives each page its own copy first.
fn give_pages_their_own_resources(doc: &mut Document) {
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    for page_id in pages {
        let Ok(page) = doc.get_dictionary(page_id) else { continue };
        if page.has(b"Resources") {
            continue;
        }
        let inherited = inherited_attribute(doc, page_id, b"Resources").cloned();
        let resources = match inherited {
            Some(Object::Reference(id)) => doc.get_object(id).cloned().unwrap_or(Object::Dictionary(Dictionary::new())),
            Some(object) => object,
            None => Object::Dictionary(Dictionary::new()),
        };
        if let Ok(page) = doc.get_dictionary_mut(page_id) {
            page.set("Resources", resources);
        }
    }
}

/// A page attribute looked up the page tree (MediaBox, Resources and CropBox inherit).
fn inherited_attribute<'a>(doc: &'a Document, page_id: ObjectId, key: &[u8]) -> Option<&'a Object> {
    let mut node = doc.get_dictionary(page_id).ok()?;
    for _ in 0..64 {
        if let Ok(value) = node.get(key) {
            return Some(value);
        }
        node = doc.get_dictionary(node.get(b"Parent").and_then(Object::as_reference).ok()?).ok()?;
    }
    None
}

/// LZW is forbidden in PDF/X-1a (it was patent-encumbered when the standard was written);
/// lopdf decodes it, and `compress` re-encodes the plain bytes with Flate.
fn reencode_lzw(doc: &mut Document) -> Result<()> {
    for object in doc.objects.values_mut() {
        let Object::Stream(stream) = object else { continue };
        let uses_lzw = stream.filters().is_ok_and(|f| f.iter().any(|n| *n == b"LZWDecode" || *n == b"LZW"));
        if uses_lzw {
            let plain = stream
                .decompressed_content()
                .map_err(|e| Error::failed(format!("PDF/X: cannot decode an LZW stream to re-encode it: {e}")))?;
            stream.set_plain_content(plain);
        }
    }
    Ok(())
}

/// Removes what PDF/X-1a does not allow in a print file: annotations inside the bleed (on a
/// newspaper page every link sits in the type area, so all links go), interactive forms, and
/// actions; the outline stays, its entries turned into plain destinations.
fn remove_interactivity(doc: &mut Document) {
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    for page_id in pages {
        let kept: Vec<Object> = match doc.get_dictionary(page_id).and_then(|p| p.get(b"Annots")) {
            Ok(annots) => {
                let list = match annots {
                    Object::Reference(id) => doc.get_object(*id).and_then(Object::as_array).cloned().unwrap_or_default(),
                    Object::Array(list) => list.clone(),
                    _ => Vec::new(),
                };
                list.into_iter()
                    .filter(|annot| {
                        let dict = match annot {
                            Object::Reference(id) => doc.get_dictionary(*id).ok(),
                            Object::Dictionary(d) => Some(d),
                            _ => None,
                        };
                        dict.and_then(|d| d.get(b"Subtype").and_then(Object::as_name).ok())
                            .is_some_and(|s| PREPRESS_ANNOTATIONS.contains(&s))
                    })
                    .collect()
            }
            Err(_) => continue,
        };
        if let Ok(page) = doc.get_dictionary_mut(page_id) {
            if kept.is_empty() {
                page.remove(b"Annots");
            } else {
                page.set("Annots", Object::Array(kept));
            }
            page.remove(b"AA");
        }
    }
    if let Ok(catalog) = doc.catalog_mut() {
        for key in [&b"OpenAction"[..], b"AA", b"AcroForm", b"URI"] {
            catalog.remove(key);
        }
    }
    // Outline items: a GoTo action becomes its destination; any other action is dropped.
    let outline_items: Vec<ObjectId> = doc
        .objects
        .iter()
        .filter_map(|(id, o)| o.as_dict().ok().filter(|d| d.has(b"A") && d.has(b"Title")).map(|_| *id))
        .collect();
    for id in outline_items {
        let destination = doc
            .get_dictionary(id)
            .ok()
            .and_then(|d| d.get_deref(b"A", doc).ok())
            .and_then(|a| a.as_dict().ok())
            .filter(|a| a.get(b"S").and_then(Object::as_name).is_ok_and(|s| s == b"GoTo"))
            .and_then(|a| a.get(b"D").ok().cloned());
        if let Ok(item) = doc.get_dictionary_mut(id) {
            item.remove(b"A");
            if let Some(destination) = destination {
                item.set("Dest", destination);
            }
        }
    }
}

/// A page or form that declares itself a transparency group (a PDF 1.4 construct) renders the
/// same without the declaration once nothing in it is transparent, which `refuse_unfixable`
/// and the soft-mask flattening have made sure of.
fn remove_transparency_groups(doc: &mut Document) {
    for object in doc.objects.values_mut() {
        let dict = match object {
            Object::Dictionary(d) if d.get(b"Type").and_then(Object::as_name).is_ok_and(|t| t == b"Page") => d,
            Object::Stream(s) if s.dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|t| t == b"Form") => &mut s.dict,
            _ => continue,
        };
        dict.remove(b"Group");
    }
}

/// A rectangle as PDF writes it, `[llx lly urx ury]`, normalized.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    pub llx: f32,
    pub lly: f32,
    pub urx: f32,
    pub ury: f32,
}

/// Tolerance for comparing boxes, in points: well below anything a press could see.
pub(crate) const BOX_TOLERANCE_PT: f32 = 0.01;

impl Rect {
    pub(crate) fn from_object(object: &Object, doc: &Document) -> Option<Rect> {
        let object = match object {
            Object::Reference(id) => doc.get_object(*id).ok()?,
            other => other,
        };
        let numbers: Vec<f32> = object.as_array().ok()?.iter().map(|n| n.as_float().ok()).collect::<Option<_>>()?;
        let [a, b, c, d] = numbers[..] else { return None };
        Some(Rect { llx: a.min(c), lly: b.min(d), urx: a.max(c), ury: b.max(d) })
    }

    pub(crate) fn to_object(self) -> Object {
        Object::Array([self.llx, self.lly, self.urx, self.ury].into_iter().map(real_or_integer).collect())
    }

    pub(crate) fn contains(&self, other: &Rect) -> bool {
        other.llx >= self.llx - BOX_TOLERANCE_PT
            && other.lly >= self.lly - BOX_TOLERANCE_PT
            && other.urx <= self.urx + BOX_TOLERANCE_PT
            && other.ury <= self.ury + BOX_TOLERANCE_PT
    }

    pub(crate) fn intersects(&self, other: &Rect) -> bool {
        other.llx < self.urx && other.urx > self.llx && other.lly < self.ury && other.ury > self.lly
    }

    fn inset(&self, by: f32) -> Rect {
        Rect { llx: self.llx + by, lly: self.lly + by, urx: self.urx - by, ury: self.ury - by }
    }
}

/// Writes a whole number as an integer (`595` rather than `595.0`), keeping boxes readable.
fn real_or_integer(value: f32) -> Object {
    let rounded = (value * 1000.0).round() / 1000.0;
    if rounded.fract() == 0.0 { Object::Integer(rounded as i64) } else { Object::Real(rounded) }
}

/// Every page gets its own MediaBox, a BleedBox equal to it and a TrimBox `bleed` inside it —
/// rewritten from the MediaBox, so printpdf's `[x y w h]` TrimBox never survives. CropBox and
/// ArtBox go: PDF/X allows TrimBox or ArtBox, not both, and a CropBox only adds a way to clip.
fn set_page_boxes(doc: &mut Document, bleed: f32) -> Result<()> {
    let pages: Vec<(u32, ObjectId)> = doc.get_pages().into_iter().collect();
    if pages.is_empty() {
        return Err(Error::failed("PDF/X: the PDF has no pages"));
    }
    for (number, page_id) in pages {
        let media = inherited_attribute(doc, page_id, b"MediaBox")
            .and_then(|o| Rect::from_object(o, doc))
            .ok_or_else(|| Error::failed(format!("PDF/X: page {number} has no MediaBox")))?;
        let trim = media.inset(bleed);
        if trim.urx - trim.llx <= 0.0 || trim.ury - trim.lly <= 0.0 {
            return Err(Error::failed(format!("PDF/X: page {number}: the bleed of {bleed} pt leaves no trim area")));
        }
        let page = doc.get_dictionary_mut(page_id).map_err(lopdf_error)?;
        page.set("MediaBox", media.to_object());
        page.set("BleedBox", media.to_object());
        page.set("TrimBox", trim.to_object());
        page.remove(b"CropBox");
        page.remove(b"ArtBox");
    }
    Ok(())
}

/// Every resource dictionary in the file: pages' and form XObjects' (found by walking the
/// object table, so nested forms are included), deduplicated by object where they are shared.
fn resource_dictionaries(doc: &Document) -> Vec<ResourcesAt> {
    let mut found = Vec::new();
    let mut seen = BTreeSet::new();
    let holders = doc.get_pages().into_values().chain(
        doc.objects
            .iter()
            .filter(|(_, o)| o.as_stream().is_ok_and(|s| s.dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|n| n == b"Form")))
            .map(|(id, _)| *id),
    );
    for holder in holders {
        let dict = match doc.get_object(holder) {
            Ok(Object::Stream(s)) => &s.dict,
            Ok(Object::Dictionary(d)) => d,
            _ => continue,
        };
        match dict.get(b"Resources") {
            Ok(Object::Reference(id)) if seen.insert(*id) => found.push(ResourcesAt::Object(*id)),
            Ok(Object::Dictionary(_)) => found.push(ResourcesAt::InlineIn(holder)),
            _ => {}
        }
    }
    found
}

enum ResourcesAt {
    Object(ObjectId),
    InlineIn(ObjectId),
}

fn resources_mut<'a>(doc: &'a mut Document, at: &ResourcesAt) -> Option<&'a mut Dictionary> {
    match at {
        ResourcesAt::Object(id) => doc.get_dictionary_mut(*id).ok(),
        ResourcesAt::InlineIn(holder) => {
            let dict = match doc.get_object_mut(*holder).ok()? {
                Object::Stream(s) => &mut s.dict,
                Object::Dictionary(d) => d,
                _ => return None,
            };
            dict.get_mut(b"Resources").ok()?.as_dict_mut().ok()
        }
    }
}

/// The four overprint states content selects between, as resource name and ExtGState
/// dictionary: what the rewrite selects and what [`crate::pdf::content`] writes.
pub(crate) fn overprint_states() -> Vec<(&'static str, Object)> {
    OVERPRINT_STATES
        .iter()
        .map(|&(name, stroke, fill)| {
            let state = Dictionary::from_iter([
                ("Type", Object::from("ExtGState")),
                ("OP", Object::Boolean(stroke)),
                ("op", Object::Boolean(fill)),
                // OPM 1: a CMYK component of 0 leaves what is under it alone, so black text
                // over a photo keeps the photo's colour under the K.
                ("OPM", Object::Integer(1)),
            ]);
            (name, Object::Dictionary(state))
        })
        .collect()
}

/// Adds the four overprint states the content selects between to every resource
/// dictionary (into its ExtGState dictionary, which printpdf shares between pages).
fn add_overprint_states(doc: &mut Document) {
    let states: Vec<(Vec<u8>, Object)> = overprint_states().into_iter().map(|(name, state)| (name.as_bytes().to_vec(), state)).collect();
    let mut shared_done = BTreeSet::new();
    for at in resource_dictionaries(doc) {
        let Some(resources) = resources_mut(doc, &at) else { continue };
        let target = match resources.get(b"ExtGState") {
            Ok(Object::Reference(id)) => Some(*id),
            Ok(Object::Dictionary(_)) => None,
            _ => {
                resources.set("ExtGState", Dictionary::new());
                None
            }
        };
        match target {
            Some(id) => {
                if shared_done.insert(id) {
                    if let Ok(dict) = doc.get_dictionary_mut(id) {
                        for (name, state) in &states {
                            dict.set(name.clone(), state.clone());
                        }
                    }
                }
            }
            None => {
                if let Ok(Object::Dictionary(dict)) = resources.get_mut(b"ExtGState") {
                    for (name, state) in &states {
                        dict.set(name.clone(), state.clone());
                    }
                }
            }
        }
    }
}

/// The overprint state name for a (stroke, fill) pair of "this colour is 100 % K".
pub(crate) fn overprint_state_name(stroke: bool, fill: bool) -> &'static str {
    OVERPRINT_STATES.iter().find(|(_, s, f)| *s == stroke && *f == fill).map(|(n, _, _)| *n).unwrap_or(OVERPRINT_STATES[0].0)
}

/// A text string as PDF stores it: PDFDocEncoding's ASCII subset as is, else UTF-16BE with BOM.
pub(crate) fn text_string(text: &str) -> Object {
    if text.chars().all(|c| (' '..='~').contains(&c)) {
        Object::String(text.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

/// Reads a PDF text string back (UTF-16BE with BOM, or PDFDocEncoding's ASCII/Latin-1 part).
pub(crate) fn decode_text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest.chunks_exact(2).map(|p| u16::from_be_bytes([p[0], p[1]])).collect();
        String::from_utf16_lossy(&units)
    } else {
        bytes.iter().map(|&b| b as char).collect()
    }
}

/// The producer string, in Info and XMP alike.
pub(crate) fn producer() -> String {
    format!("papertool {}", env!("CARGO_PKG_VERSION"))
}

/// Replaces the Info dictionary: printpdf's has an empty `GTS_PDFXVersion` and 1970 dates.
fn set_info(doc: &mut Document, meta: &PdfxMeta) {
    let date = Object::String(meta.date.pdf_date().into_bytes(), StringFormat::Literal);
    let mut info = Dictionary::from_iter([
        ("Title", text_string(&meta.title)),
        ("Creator", text_string(&producer())),
        ("Producer", text_string(&producer())),
        ("CreationDate", date.clone()),
        ("ModDate", date),
        ("Trapped", Object::from("False")),
        ("GTS_PDFXVersion", Object::string_literal(PDFX_VERSION)),
        ("GTS_PDFXConformance", Object::string_literal(PDFX_CONFORMANCE)),
    ]);
    if let Some(author) = meta.author.as_deref().filter(|a| !a.trim().is_empty()) {
        info.set("Author", text_string(author));
    }
    if let Some(subject) = meta.subject.as_deref().filter(|s| !s.trim().is_empty()) {
        info.set("Subject", text_string(subject));
    }
    let info_id = doc.add_object(info);
    doc.trailer.set("Info", Object::Reference(info_id));
}

/// The output intent: the registered condition IFRA26 at color.org, no embedded profile.
///
/// PDF/X-1a lets the destination profile be left out when `OutputConditionIdentifier` names a
/// condition in the registry that `RegistryName` gives (the PDF reference's output intent
/// table: the consumer is responsible for the registry's profile; preflight tools check
/// "profile embedded or RegistryName given"). The WAN-IFRA newspaper profiles are free to
/// download but their licence does not grant redistribution, so none is shipped.
fn set_output_intent(doc: &mut Document) -> Result<()> {
    let intent = Dictionary::from_iter([
        ("Type", Object::from("OutputIntent")),
        ("S", Object::from("GTS_PDFX")),
        ("OutputConditionIdentifier", Object::string_literal(OUTPUT_CONDITION_IDENTIFIER)),
        ("RegistryName", Object::string_literal(REGISTRY_NAME)),
        ("OutputCondition", Object::string_literal(OUTPUT_CONDITION)),
        ("Info", Object::string_literal(OUTPUT_CONDITION)),
    ]);
    let intent_id = doc.add_object(intent);
    let catalog = doc.catalog_mut().map_err(lopdf_error)?;
    catalog.set("OutputIntents", Object::Array(vec![Object::Reference(intent_id)]));
    catalog.remove(b"Metadata");
    Ok(())
}

#[cfg(test)]
mod tests;
