//! Frames → PDF bytes. Last stage of the PDF pipeline and the only module that calls printpdf.
//!
//! Text is written as glyph ids (Identity-H CID fonts), each line placed with an absolute text
//! matrix. Every glyph's displacement is set with the character spacing `Tc` so that the pen
//! lands exactly on the next glyph's position. (`Tw` would do nothing: it applies to the
//! single-byte space only, never to CID fonts.)
//!
//! Fonts are subset here, before printpdf sees them (its own subsetter needs its text-layout
//! feature): each face is cut down with `subsetter` to the glyphs the document uses, and
//! ToUnicode maps each glyph to the text it stands for. Each line is also an `/ActualText`
//! span holding its source text: extraction then neither reads the CJK–Latin glue and the
//! justification as word spaces nor loses a character no font has (drawn as 〓). Afterwards the document is fixed in memory with lopdf: printpdf stamps
//! random ids and the clock's time, writes no subset tag and an empty `GTS_PDFXVersion`; the
//! output must be the same bytes for the same input (the `/ID` is given when the file is written,
//! by [`crate::pdf::serialize`]).

use std::collections::BTreeMap;

use lopdf::Object;
use printpdf::{
    Actions, Cmyk, Codepoint, Destination, DictItem, ExternalStream, ExternalXObject, FontId, LinePoint, LinkAnnotation, Mm, Op, PaintMode, ParsedFont,
    PdfDocument, PdfFont, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Polygon, PolygonRing, Pt, Px, RawImage, TextItem,
    TextMatrix, WindingOrder, XObject, XObjectId, XObjectTransform,
};

use crate::error::{Error, Result};
use crate::pdf::fonts::{FaceId, FontSet};
use crate::pdf::frame::{Color, Frame, Item, LinkTarget};
use crate::pdf::text::Line;

/// What the document says about itself (the Info dictionary).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocMeta {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub keywords: Vec<String>,
    /// The issue's date as `YYYY-MM-DD`: creation and modification date of the file, so that
    /// the same issue always gives the same bytes. `None` leaves the dates out.
    pub date: Option<String>,
}

/// The program that made the file, in the Info dictionary.
const PRODUCER: &str = concat!("papertool ", env!("CARGO_PKG_VERSION"));
/// Points per millimetre, for printpdf's page sizes.
const PT_PER_MM: f32 = 72.0 / 25.4;
/// The PDF version written (printpdf says 1.3, too old for what the file holds).
const PDF_VERSION: &str = "1.6";
/// printpdf's text matrix and widths are in thousandths of the em.
const GLYPH_UNITS: f32 = 1000.0;

/// Makes `frames` a PDF document, one page each, in memory: its streams are left plain for
/// [`crate::pdf::serialize::save`], which writes the finished edition once.
pub fn render(fonts: &FontSet, frames: &[Frame], meta: &DocMeta) -> Result<lopdf::Document> {
    let usage = GlyphUsage::collect(frames);
    let mut doc = PdfDocument::new(&meta.title);
    fill_info(&mut doc, meta);

    let mut embedded = BTreeMap::new();
    // Subsetting is the renderer's largest cost (the CFF charstrings are decompiled). Cutting
    // the faces on two threads was tried and measured: on the shared 2-core machine it gained
    // no wall time (0.106/0.102/0.112 s vs 0.083/0.101/0.108 s pinned to one core), so the faces
    // are cut in turn.
    for (&face_id, glyphs) in &usage.glyphs {
        let font = subset_face(fonts, face_id, glyphs)?;
        let font_id = font_resource(face_id);
        doc.resources.fonts.map.insert(font_id, PdfFont::new(font.parsed));
        embedded.insert(face_id, font.embedded);
    }
    let mut images = BTreeMap::new();
    for frame in frames {
        for item in &frame.items {
            if let Item::Image { image, .. } = item {
                if images.contains_key(&image.name) {
                    continue;
                }
                let id = XObjectId(format!("Im{}", images.len()));
                let xobject = match Jpeg::read(&image.bytes) {
                    // The photo's own bytes: no decoding, no loss, the size it came in.
                    Some(jpeg) => jpeg.xobject(&image.bytes),
                    None => {
                        let mut warnings = Vec::new();
                        let raw = RawImage::decode_from_bytes(&image.bytes, &mut warnings)
                            .map_err(|e| Error::failed(format!("{}: cannot read the picture: {e}", image.name)))?;
                        XObject::Image(raw)
                    }
                };
                let Some((width, height)) = xobject.get_width_height() else { continue };
                images.insert(image.name.clone(), (id.clone(), width.0, height.0));
                doc.resources.xobjects.map.insert(id, xobject);
            }
        }
    }

    let pages = frames
        .iter()
        .map(|frame| {
            let mut ops = Vec::new();
            for item in &frame.items {
                item_ops(item, frame.height, &embedded, &images, &mut ops);
            }
            PdfPage::new(Mm(frame.width / PT_PER_MM), Mm(frame.height / PT_PER_MM), ops)
        })
        .collect();
    doc.with_pages(pages);

    let options = PdfSaveOptions { optimize: true, subset_fonts: false, secure: true, image_optimization: None };
    let mut warnings = Vec::new();
    let mut pdf = doc.to_lopdf_document(&options, &mut warnings);
    fix_document(&mut pdf, fonts, frames, &usage, meta);
    Ok(pdf)
}

/// A JPEG that PDF's DCTDecode filter reads as it is: sequential (baseline or extended) with
/// 8-bit samples, grey or colour. Progressive, 12-bit, arithmetic-coded and CMYK JPEGs (Adobe's
/// inverted CMYK is read differently by different viewers) are decoded instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Jpeg {
    width: u16,
    height: u16,
    components: u8,
}

impl Jpeg {
    /// Reads the frame header, or `None` when the bytes are not a JPEG to pass through.
    fn read(bytes: &[u8]) -> Option<Jpeg> {
        const START_OF_IMAGE: [u8; 2] = [0xFF, 0xD8];
        // SOF0 (baseline) and SOF1 (extended sequential, Huffman): what every PDF reader decodes.
        const SEQUENTIAL_FRAMES: [u8; 2] = [0xC0, 0xC1];
        if bytes.get(..2)? != START_OF_IMAGE {
            return None;
        }
        let mut at = 2;
        loop {
            // Fill bytes (0xFF runs) may precede a marker.
            while *bytes.get(at)? == 0xFF && *bytes.get(at + 1)? == 0xFF {
                at += 1;
            }
            if *bytes.get(at)? != 0xFF {
                return None;
            }
            let marker = *bytes.get(at + 1)?;
            let length = || bytes.get(at + 2..at + 4).map(|l| usize::from(u16::from_be_bytes([l[0], l[1]])));
            match marker {
                // Standalone markers carry no length.
                0x01 | 0xD0..=0xD7 => at += 2,
                0xC0..=0xCF if ![0xC4, 0xC8, 0xCC].contains(&marker) => {
                    let frame = bytes.get(at + 4..at + 10)?;
                    let jpeg = Jpeg {
                        width: u16::from_be_bytes([frame[3], frame[4]]),
                        height: u16::from_be_bytes([frame[1], frame[2]]),
                        components: frame[5],
                    };
                    let usable = SEQUENTIAL_FRAMES.contains(&marker)
                        && frame[0] == 8
                        && jpeg.width > 0
                        && jpeg.height > 0
                        && matches!(jpeg.components, 1 | 3);
                    return usable.then_some(jpeg);
                }
                // Start of scan or end of image before any frame header: not a JPEG to trust.
                0xD9 | 0xDA => return None,
                _ => at += 2 + length()?,
            }
        }
    }

    /// The image XObject: the file's bytes under `/DCTDecode`.
    fn xobject(&self, bytes: &[u8]) -> XObject {
        let space = if self.components == 1 { "DeviceGray" } else { "DeviceRGB" };
        let name = |n: &str| DictItem::Name(n.as_bytes().to_vec());
        let dict = [
            ("Type", name("XObject")),
            ("Subtype", name("Image")),
            ("Width", DictItem::Int(i64::from(self.width))),
            ("Height", DictItem::Int(i64::from(self.height))),
            ("ColorSpace", name(space)),
            ("BitsPerComponent", DictItem::Int(8)),
            ("Filter", name("DCTDecode")),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        XObject::External(ExternalXObject {
            stream: ExternalStream { dict, content: bytes.to_vec(), compress: false },
            width: Some(Px(usize::from(self.width))),
            height: Some(Px(usize::from(self.height))),
            dpi: None,
        })
    }
}

/// Which glyphs of which face the document uses, and the text each stands for.
struct GlyphUsage {
    /// face → original glyph id → the text the glyph's ToUnicode entry gives (its first use;
    /// the 〓 standing for different missing characters maps to the first).
    glyphs: BTreeMap<FaceId, BTreeMap<u16, String>>,
}

impl GlyphUsage {
    fn collect(frames: &[Frame]) -> GlyphUsage {
        let mut glyphs: BTreeMap<FaceId, BTreeMap<u16, String>> = BTreeMap::new();
        for frame in frames {
            for item in &frame.items {
                if let Item::Text { line, .. } = item {
                    for g in &line.glyphs {
                        glyphs.entry(g.face).or_default().entry(g.gid).or_insert_with(|| g.text.clone());
                    }
                }
            }
        }
        GlyphUsage { glyphs }
    }
}

fn font_resource(face: FaceId) -> FontId {
    FontId(format!("PT{}", face.index()))
}

struct SubsetFace {
    parsed: ParsedFont,
    embedded: EmbeddedFace,
}

/// What the content stream needs of an embedded face.
struct EmbeddedFace {
    /// Original glyph id → (glyph id in the subset, advance in ems as written in /W).
    glyphs: BTreeMap<u16, (u16, f32)>,
}

/// Cuts `face` down to `glyphs` and wraps it for printpdf, with the widths it will write.
fn subset_face(fonts: &FontSet, face_id: FaceId, glyphs: &BTreeMap<u16, String>) -> Result<SubsetFace> {
    let face = fonts.face(face_id);
    let mut remapper = subsetter::GlyphRemapper::new();
    let mut remap = BTreeMap::new();
    for &gid in glyphs.keys() {
        remap.insert(gid, remapper.remap(gid));
    }
    let bytes = subsetter::subset(face.bytes(), face.index(), &remapper)
        .map_err(|e| Error::failed(format!("{}: cannot subset the font: {e}", face.postscript_name())))?;
    let widths = remap.iter().map(|(&old, &new)| (new, face.advance_units(old))).collect();
    // printpdf writes /W as whole thousandths of the em, truncated; the viewer advances by
    // exactly that, so the content stream must reckon with the same number.
    let upem = face.units_per_em();
    let glyphs = remap
        .iter()
        .map(|(&old, &new)| (old, (new, (f32::from(face.advance_units(old)) * GLYPH_UNITS / upem).trunc() / GLYPH_UNITS)))
        .collect();
    let metrics = printpdf::FontMetrics {
        ascent: (face.ascender_em() * face.units_per_em()) as i16,
        descent: (face.descender_em() * face.units_per_em()) as i16,
    };
    let parsed = ParsedFont::with_glyph_data(
        bytes,
        0,
        Some(face.postscript_name().to_string()),
        BTreeMap::new(),
        widths,
        face.units_per_em() as u16,
        metrics,
    );
    Ok(SubsetFace { parsed, embedded: EmbeddedFace { glyphs } })
}

fn cmyk(color: Color) -> printpdf::Color {
    printpdf::Color::Cmyk(Cmyk::new(color.c, color.m, color.y, color.k, None))
}

/// PDF's y runs up from the bottom; frames' run down from the top.
fn point(x: f32, y: f32, page_height: f32) -> Point {
    Point { x: Pt(x), y: Pt(page_height - y) }
}

fn item_ops(
    item: &Item,
    page_height: f32,
    embedded: &BTreeMap<FaceId, EmbeddedFace>,
    images: &BTreeMap<String, (XObjectId, usize, usize)>,
    ops: &mut Vec<Op>,
) {
    match item {
        Item::Text { x, y_baseline, line, size, color } => {
            text_ops(line, *x, page_height - y_baseline, *size, *color, embedded, ops);
        }
        Item::Rule { from, to, width, color } => {
            ops.push(Op::SaveGraphicsState);
            ops.push(Op::SetOutlineColor { col: cmyk(*color) });
            ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
            ops.push(Op::DrawLine {
                line: printpdf::Line {
                    points: vec![
                        LinePoint { p: point(from.0, from.1, page_height), bezier: false },
                        LinePoint { p: point(to.0, to.1, page_height), bezier: false },
                    ],
                    is_closed: false,
                },
            });
            ops.push(Op::RestoreGraphicsState);
        }
        Item::Rect { x, y, w, h, stroke, fill } => {
            let mode = match (stroke, fill) {
                (Some(_), Some(_)) => PaintMode::FillStroke,
                (Some(_), None) => PaintMode::Stroke,
                (None, Some(_)) => PaintMode::Fill,
                (None, None) => return,
            };
            ops.push(Op::SaveGraphicsState);
            if let Some((width, color)) = stroke {
                ops.push(Op::SetOutlineColor { col: cmyk(*color) });
                ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
            }
            if let Some(color) = fill {
                ops.push(Op::SetFillColor { col: cmyk(*color) });
            }
            let corners = [(*x, *y), (x + w, *y), (x + w, y + h), (*x, y + h)];
            ops.push(Op::DrawPolygon {
                polygon: Polygon {
                    rings: vec![PolygonRing {
                        points: corners.iter().map(|&(px, py)| LinePoint { p: point(px, py, page_height), bezier: false }).collect(),
                    }],
                    mode,
                    winding_order: WindingOrder::NonZero,
                },
            });
            ops.push(Op::RestoreGraphicsState);
        }
        Item::Image { x, y, w, h, image } => {
            let Some((id, px_w, px_h)) = images.get(&image.name) else { return };
            // At 72 dpi printpdf maps one pixel to one point; scale that to the box.
            let transform = XObjectTransform {
                translate_x: Some(Pt(*x)),
                translate_y: Some(Pt(page_height - y - h)),
                scale_x: Some(w / (*px_w).max(1) as f32),
                scale_y: Some(h / (*px_h).max(1) as f32),
                dpi: Some(72.0),
                ..Default::default()
            };
            ops.push(Op::UseXobject { id: id.clone(), transform });
        }
        Item::Link { rect: (x, y, w, h), target } => {
            let actions = match target {
                // printpdf counts pages from 1.
                LinkTarget::Page(page) => Actions::Goto(Destination::Xyz { page: page + 1, left: None, top: None, zoom: None }),
                LinkTarget::Uri(uri) => Actions::Uri(uri.clone()),
            };
            let rect = printpdf::Rect {
                x: Pt(*x),
                y: Pt(page_height - y - h),
                width: Pt(*w),
                height: Pt(*h),
                mode: None,
                winding_order: None,
            };
            ops.push(Op::LinkAnnotation { link: LinkAnnotation::new(rect, actions, None, None, None) });
        }
    }
}

/// One line of text: a text object, a text matrix wherever the face or the glyph scale
/// changes, and per glyph the `Tc` that carries the pen to the next glyph.
#[allow(clippy::too_many_arguments)]
fn text_ops(
    line: &Line,
    x0: f32,
    baseline: f32,
    size: f32,
    color: Color,
    embedded: &BTreeMap<FaceId, EmbeddedFace>,
    ops: &mut Vec<Op>,
) {
    if line.glyphs.is_empty() {
        return;
    }
    ops.push(Op::StartTextSection);
    ops.push(Op::SetFillColor { col: cmyk(color) });
    // The line's source text, for extraction and copying: without it a reader infers word
    // spaces from the CJK–Latin glue and the justification, which are not in the text.
    ops.push(Op::BeginMarkedContentWithProperties {
        tag: "Span".into(),
        properties: DictItem::Dict {
            map: [("ActualText".to_string(), DictItem::String { data: utf16_text(&line.text()), literal: false })]
                .into_iter()
                .collect(),
        },
    });
    let mut current: Option<(FaceId, f32)> = None;
    let mut char_spacing = 0.0_f32;
    let mut run: Vec<Codepoint> = Vec::new();
    let flush = |run: &mut Vec<Codepoint>, ops: &mut Vec<Op>| {
        if !run.is_empty() {
            ops.push(Op::ShowText { items: vec![TextItem::GlyphIds(std::mem::take(run))] });
        }
    };
    for glyph in &line.glyphs {
        // Every glyph of every frame was collected, so its face is embedded and has it.
        let Some(&(gid, width_em)) = embedded.get(&glyph.face).and_then(|f| f.glyphs.get(&glyph.gid)) else { continue };
        if current.map(|c| c.0) != Some(glyph.face) {
            flush(&mut run, ops);
            ops.push(Op::SetFont { font: PdfFontHandle::External(font_resource(glyph.face)), size: Pt(size) });
        }
        if current != Some((glyph.face, glyph.scale_x)) || glyph.scale_x != 1.0 {
            flush(&mut run, ops);
            ops.push(Op::SetTextMatrix {
                matrix: TextMatrix::Raw([glyph.scale_x, 0.0, 0.0, 1.0, x0 + glyph.x, baseline]),
            });
            current = Some((glyph.face, glyph.scale_x));
        }
        // The pen moves by (w·size + Tc)·scale; make that the glyph's advance in the line.
        let width = width_em * size;
        let tc = glyph.advance / glyph.scale_x - width;
        let tc = round_tc(tc);
        if tc != char_spacing {
            flush(&mut run, ops);
            ops.push(Op::SetCharacterSpacing { multiplier: tc });
            char_spacing = tc;
        }
        run.push(Codepoint::with_cid(gid, 0.0, glyph.text.clone()));
    }
    flush(&mut run, ops);
    ops.push(Op::EndMarkedContentWithProperties);
    if char_spacing != 0.0 {
        ops.push(Op::SetCharacterSpacing { multiplier: 0.0 });
    }
    ops.push(Op::EndTextSection);
}

/// `Tc` written to 4 decimals: finer than any device, and keeps the bytes stable.
fn round_tc(tc: f32) -> f32 {
    // `+ 0.0` turns a rounded -0 into 0.
    (tc * 10_000.0).round() / 10_000.0 + 0.0
}

/// A text string as PDF text: UTF-16BE with a byte-order mark.
fn utf16_text(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    bytes
}

fn fill_info(doc: &mut PdfDocument, meta: &DocMeta) {
    let info = &mut doc.metadata.info;
    info.author = meta.author.clone();
    info.subject = meta.subject.clone();
    info.keywords = meta.keywords.clone();
    info.creator = PRODUCER.to_string();
    info.producer = PRODUCER.to_string();
}

/// Fixes in memory what printpdf writes loosely; see the module doc.
fn fix_document(pdf: &mut lopdf::Document, fonts: &FontSet, frames: &[Frame], usage: &GlyphUsage, meta: &DocMeta) {
    // ActualText spans are PDF 1.5; 1.6 is what PDF/X-4 builds on.
    pdf.version = PDF_VERSION.to_string();
    fix_info(pdf, meta);
    fix_fonts(pdf, fonts, usage);
    // printpdf leaves a decoded picture's samples plain and marks them as not to be compressed
    // (it compresses only when asked to optimize images, at its own level); the writer deflates
    // them with the rest.
    for object in pdf.objects.values_mut() {
        if let Object::Stream(stream) = object {
            let is_image = stream.dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|s| s == b"Image");
            if is_image && !stream.dict.has(b"Filter") {
                stream.allows_compression = true;
            }
        }
    }
    // Page boxes as [llx lly urx ury] (printpdf writes [x y w h], right only at the origin).
    for (page_id, frame) in pdf.get_pages().into_values().zip(frames) {
        if let Ok(page) = pdf.get_object_mut(page_id).and_then(Object::as_dict_mut) {
            let b = Object::Array(vec![0.into(), 0.into(), Object::Real(frame.width), Object::Real(frame.height)]);
            for key in ["MediaBox", "CropBox", "TrimBox"] {
                page.set(key, b.clone());
            }
            // An empty annotation array is noise; leave the key out.
            if page.get(b"Annots").and_then(Object::as_array).is_ok_and(|a| a.is_empty()) {
                page.remove(b"Annots");
            }
        }
    }
}

/// Dates from the issue, not the clock; no empty keys (an empty GTS_PDFXVersion claims a
/// PDF/X version that is not there).
fn fix_info(pdf: &mut lopdf::Document, meta: &DocMeta) {
    let Ok(info_id) = pdf.trailer.get(b"Info").and_then(Object::as_reference) else { return };
    let Ok(info) = pdf.get_object_mut(info_id).and_then(Object::as_dict_mut) else { return };
    for key in ["CreationDate", "ModDate", "GTS_PDFXVersion", "Identifier", "Trapped"] {
        info.remove(key.as_bytes());
    }
    let empty: Vec<Vec<u8>> = info
        .iter()
        .filter(|(_, v)| match v {
            Object::String(s, _) => s.is_empty() || s.as_slice() == [0xFE, 0xFF],
            _ => false,
        })
        .map(|(k, _)| k.clone())
        .collect();
    for key in empty {
        info.remove(&key);
    }
    if let Some(date) = meta.date.as_deref().and_then(pdf_date) {
        for key in ["CreationDate", "ModDate"] {
            info.set(key, Object::String(date.clone().into_bytes(), lopdf::StringFormat::Literal));
        }
    }
}

/// `2025-09-01` → `D:20250901000000Z`.
fn pdf_date(date: &str) -> Option<String> {
    let digits: String = date.chars().filter(char::is_ascii_digit).collect();
    (digits.len() == 8).then(|| format!("D:{digits}000000Z"))
}

/// Subset tags on the font names (ISO 32000-1 §9.6.4: six capitals and a plus, derived here
/// from the glyph set so that it is stable), and the font bounding box printpdf leaves empty.
fn fix_fonts(pdf: &mut lopdf::Document, fonts: &FontSet, usage: &GlyphUsage) {
    let mut by_name = BTreeMap::new();
    for (&face_id, glyphs) in &usage.glyphs {
        let face = fonts.face(face_id);
        let mut key = face.postscript_name().as_bytes().to_vec();
        for gid in glyphs.keys() {
            key.extend_from_slice(&gid.to_be_bytes());
        }
        let hash = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, &key);
        let tag: String = hash.as_bytes()[..6].iter().map(|b| char::from(b'A' + b % 26)).collect();
        let upem = face.units_per_em();
        let bbox = face.bbox_units().map(|v| Object::Integer((f32::from(v) * GLYPH_UNITS / upem).round() as i64));
        by_name.insert(face.postscript_name().as_bytes().to_vec(), (format!("{tag}+{}", face.postscript_name()), bbox));
    }
    let ids: Vec<lopdf::ObjectId> = pdf.objects.keys().copied().collect();
    for id in ids {
        let Ok(dict) = pdf.get_object_mut(id).and_then(Object::as_dict_mut) else { continue };
        let is_font = dict.get(b"Type").and_then(Object::as_name).is_ok_and(|n| n == b"Font" || n == b"FontDescriptor");
        if !is_font {
            continue;
        }
        fix_font_dict(dict, &by_name);
        // The descendant font sits inline in the Type0 dictionary's array.
        if let Ok(Object::Array(descendants)) = dict.get_mut(b"DescendantFonts") {
            for d in descendants.iter_mut() {
                if let Object::Dictionary(d) = d {
                    fix_font_dict(d, &by_name);
                }
            }
        }
    }
}

fn fix_font_dict(dict: &mut lopdf::Dictionary, by_name: &BTreeMap<Vec<u8>, (String, [Object; 4])>) {
    for key in ["BaseFont", "FontName"] {
        let Ok(name) = dict.get(key.as_bytes()).and_then(Object::as_name) else { continue };
        if let Some((tagged, bbox)) = by_name.get(name).cloned() {
            dict.set(key, Object::Name(tagged.into_bytes()));
            if key == "FontName" {
                dict.set("FontBBox", Object::Array(bbox.to_vec()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::text::{set, shape::tests::fonts, Style};

    fn frames() -> Vec<Frame> {
        let body = set(fonts(), "江边的老码头清晨五点就热闹起来，挑夫和摊贩挤在石阶上。", &Style::body(9.0), 117.0, 1);
        let mut frame = Frame::new(300.0, 400.0);
        for line in body.lines {
            let y_baseline = 20.0 + line.baseline;
            frame.items.push(Item::Text { x: 20.0, y_baseline, line, size: 9.0, color: Color::BLACK });
        }
        frame.items.push(Item::Rule { from: (20.0, 10.0), to: (137.0, 10.0), width: 0.5, color: Color::BLACK });
        frame.items.push(Item::Rect { x: 10.0, y: 10.0, w: 50.0, h: 20.0, stroke: None, fill: Some(Color::cmyk(0.0, 1.0, 1.0, 0.0)) });
        vec![frame]
    }

    /// Written and read back, as a viewer sees it.
    fn load(doc: lopdf::Document) -> lopdf::Document {
        lopdf::Document::load_mem(&crate::pdf::serialize::save(doc).unwrap()).expect("a PDF lopdf can read")
    }

    #[test]
    fn the_same_frames_give_the_same_bytes() {
        let meta = DocMeta { title: "样张".into(), ..DocMeta::default() };
        let bytes = || crate::pdf::serialize::save(render(fonts(), &frames(), &meta).unwrap()).unwrap();
        assert_eq!(bytes(), bytes());
    }

    #[test]
    fn fonts_carry_a_subset_tag_and_a_bounding_box() {
        let doc = load(render(fonts(), &frames(), &DocMeta::default()).unwrap());
        let mut names = Vec::new();
        for object in doc.objects.values() {
            let Ok(dict) = object.as_dict() else { continue };
            if dict.get(b"Type").and_then(Object::as_name).ok() == Some(b"FontDescriptor".as_slice()) {
                let name = String::from_utf8(dict.get(b"FontName").unwrap().as_name().unwrap().to_vec()).unwrap();
                let bbox = dict.get(b"FontBBox").unwrap().as_array().unwrap();
                assert!(bbox.iter().any(|v| v.as_i64().unwrap_or(0) != 0), "{name}: empty FontBBox");
                names.push(name);
            }
        }
        assert_eq!(names.len(), 1, "one face used: {names:?}");
        let (tag, rest) = names[0].split_once('+').unwrap();
        assert!(tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()), "{tag}");
        assert_eq!(rest, "NotoSerifCJKsc-Regular");
    }

    #[test]
    fn dates_come_from_the_issue_or_not_at_all() {
        let info = |meta: &DocMeta| {
            let doc = load(render(fonts(), &frames(), meta).unwrap());
            let id = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
            doc.get_dictionary(id).unwrap().clone()
        };
        let undated = info(&DocMeta::default());
        assert!(undated.get(b"CreationDate").is_err());
        assert!(undated.get(b"GTS_PDFXVersion").is_err(), "no empty PDF/X claim");
        let dated = info(&DocMeta { date: Some("2025-10-15".into()), ..DocMeta::default() });
        assert_eq!(dated.get(b"CreationDate").unwrap().as_str().unwrap(), b"D:20251015000000Z");
    }

    #[test]
    fn page_boxes_are_the_frame() {
        let doc = load(render(fonts(), &frames(), &DocMeta::default()).unwrap());
        let page = doc.get_pages().into_values().next().unwrap();
        let page = doc.get_dictionary(page).unwrap();
        for key in [b"MediaBox".as_slice(), b"TrimBox"] {
            let b: Vec<f32> = page.get(key).unwrap().as_array().unwrap().iter().map(|v| v.as_float().unwrap()).collect();
            assert_eq!(b, [0.0, 0.0, 300.0, 400.0]);
        }
    }

    #[test]
    fn content_is_cmyk_and_lines_carry_their_text() {
        let doc = load(render(fonts(), &frames(), &DocMeta::default()).unwrap());
        let page = doc.get_pages().into_values().next().unwrap();
        let content = String::from_utf8_lossy(&doc.get_page_content(page)).to_string();
        assert!(content.contains(" k") && content.contains(" K"), "CMYK fill and stroke");
        assert!(!content.contains(" rg") && !content.contains(" RG"), "never RGB");
        assert!(content.contains("/ActualText"));
        assert!(content.contains(" Tc"));
    }

    /// A small baseline JPEG made with the image crate's encoder.
    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = Vec::new();
        let pixels = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x * 40) as u8, (y * 60) as u8, 128]));
        image::DynamicImage::ImageRgb8(pixels)
            .write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Jpeg)
            .unwrap();
        bytes
    }

    #[test]
    fn a_baseline_jpeg_is_read_from_its_frame_header_and_others_are_not() {
        assert_eq!(Jpeg::read(&jpeg(6, 4)), Some(Jpeg { width: 6, height: 4, components: 3 }));
        let mut progressive = jpeg(6, 4);
        let sof = progressive.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        progressive[sof + 1] = 0xC2;
        assert_eq!(Jpeg::read(&progressive), None, "progressive: decoded instead");
        assert_eq!(Jpeg::read(b"\x89PNG\r\n"), None);
        assert_eq!(Jpeg::read(&[0xFF, 0xD8, 0xFF]), None, "cut short");
        assert_eq!(Jpeg::read(&[0xFF, 0xD8, 0xFF, 0xE0, 0xFF, 0xFF]), None, "a segment running past the end");
    }

    #[test]
    fn a_jpeg_photo_is_embedded_as_its_own_bytes() {
        let bytes = jpeg(8, 8);
        let picture = std::sync::Arc::new(crate::pdf::frame::Picture { name: "photo.jpg".into(), bytes: bytes.clone() });
        let mut frames = frames();
        frames[0].items.push(Item::Image { x: 10.0, y: 50.0, w: 40.0, h: 40.0, image: picture });
        let doc = load(render(fonts(), &frames, &DocMeta::default()).unwrap());
        let image = doc
            .objects
            .values()
            .filter_map(|o| o.as_stream().ok())
            .find(|s| s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image".as_slice()))
            .unwrap();
        assert_eq!(image.dict.get(b"Filter").unwrap().as_name().unwrap(), b"DCTDecode");
        assert_eq!(image.dict.get(b"ColorSpace").unwrap().as_name().unwrap(), b"DeviceRGB");
        assert_eq!(image.content, bytes);
        let page = doc.get_pages().into_values().next().unwrap();
        let content = String::from_utf8_lossy(&doc.get_page_content(page)).to_string();
        let cm: Vec<f32> = content
            .lines()
            .find(|l| l.ends_with(" cm"))
            .map(|l| l.split_whitespace().take(6).map(|n| n.parse().unwrap()).collect())
            .unwrap();
        let expected = [40.0, 0.0, 0.0, 40.0, 10.0, 400.0 - 50.0 - 40.0];
        assert!(cm.iter().zip(expected).all(|(a, b)| (a - b).abs() < 1e-3), "scaled to its 40 pt box: {cm:?}");
    }

    #[test]
    fn pictures_and_links_are_placed() {
        let mut png = Vec::new();
        image::DynamicImage::new_rgb8(4, 2)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let picture = std::sync::Arc::new(crate::pdf::frame::Picture { name: "photo.png".into(), bytes: png });
        let mut frames = frames();
        frames[0].items.push(Item::Image { x: 10.0, y: 50.0, w: 40.0, h: 20.0, image: picture.clone() });
        frames[0].items.push(Item::Image { x: 60.0, y: 50.0, w: 40.0, h: 20.0, image: picture });
        frames[0].items.push(Item::Link { rect: (10.0, 50.0, 40.0, 20.0), target: LinkTarget::Page(0) });
        let doc = load(render(fonts(), &frames, &DocMeta::default()).unwrap());
        let page_id = doc.get_pages().into_values().next().unwrap();
        let content = String::from_utf8_lossy(&doc.get_page_content(page_id)).to_string();
        assert_eq!(content.matches(" Do").count(), 2, "the picture drawn twice");
        let images = doc.objects.values().filter(|o| {
            o.as_stream().is_ok_and(|s| s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image".as_slice()))
        });
        assert_eq!(images.count(), 1, "and embedded once");
        let page = doc.get_dictionary(page_id).unwrap();
        let annots = page.get(b"Annots").unwrap().as_array().unwrap();
        assert_eq!(annots.len(), 1);
    }
}
