//! Frames → PDF document. Last stage of the PDF pipeline and the only module that calls printpdf.
//!
//! printpdf builds the document: the page tree and page boxes, the pictures as image XObjects,
//! the link annotations, the Info dictionary. What it would spend most of its time on is left
//! out of its hands: each page's content stream is written here as bytes by
//! [`crate::pdf::content`] (handing printpdf an operation per glyph run cost more than the
//! rest of rendering after subsetting, since it turns every glyph into an object and lopdf
//! encodes them all again), and the fonts are embedded here as lopdf objects (printpdf finds a
//! font's glyphs by walking the glyph operations, which it is no longer given).
//!
//! Text is written as glyph ids (Identity-H CID fonts), each line placed with an absolute text
//! matrix. Every glyph's displacement is set with the character spacing `Tc` so that the pen
//! lands exactly on the next glyph's position. (`Tw` would do nothing: it applies to the
//! single-byte space only, never to CID fonts.)
//!
//! Fonts are subset here (printpdf's own subsetter needs its text-layout feature): each face is
//! cut down to the glyphs the document uses (CFF faces by [`crate::fonts::subset`], TrueType
//! ones by `subsetter`), on another thread while the pages are written, and ToUnicode maps each
//! glyph to the text it stands for. The subset tag is derived from the glyph set, so it is
//! stable. Each line is also an `/ActualText` span holding its source text: extraction then
//! neither reads the CJK–Latin glue and the justification as word spaces nor loses a character
//! no font has (drawn as 〓). Afterwards the document is fixed in memory with lopdf: printpdf stamps random
//! ids and the clock's time and writes an empty `GTS_PDFXVersion`; the output must be the same
//! bytes for the same input (the `/ID` is given when the file is written, by
//! [`crate::pdf::serialize`]).

use std::collections::BTreeMap;

use lopdf::{Dictionary, Object, ObjectId, Stream};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use printpdf::{
    Actions, Destination, DictItem, ExternalStream, ExternalXObject, LinkAnnotation, Mm, Op, PdfDocument, PdfPage,
    PdfSaveOptions, Pt, Px, RawImage, XObject, XObjectId,
};

use crate::error::{Error, Result};
use crate::fonts::{self, subset::GlyphOrder};
use crate::pdf::content::{ContentWriter, Paint};
use crate::pdf::fonts::{FaceId, FontSet};
use crate::pdf::frame::{Color, Frame, Item, LinkTarget};
use crate::pdf::pdfx;
use crate::pdf::serialize;
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
/// Glyph space: text matrix, widths and font metrics are in thousandths of the em.
const GLYPH_UNITS: f32 = 1000.0;
/// The `/DW` of every CID font: the advance of a glyph /W leaves out (none is left out).
const DEFAULT_WIDTH: i64 = 1000;
/// FontDescriptor `/Flags`: nonsymbolic (bit 6), as printpdf wrote it.
const FONT_FLAGS: i64 = 1 << 5;
/// FontDescriptor `/StemV`: no font table carries it; the conventional guess for a regular
/// weight, as printpdf wrote it.
const STEM_V: i64 = 80;
/// ToUnicode `bfchar` blocks hold at most 100 entries (the CMap format's limit).
const BFCHAR_BLOCK: usize = 100;

/// Makes `frames` a PDF document, one page each, in memory: its streams are left plain for
/// [`crate::pdf::serialize::save`], which writes the finished edition once. The content is
/// press-ready as it is (see [`crate::pdf::content`]).
pub fn render(fonts: &FontSet, frames: &[Frame], meta: &DocMeta) -> Result<lopdf::Document> {
    let usage = GlyphUsage::collect(frames);
    let faces: BTreeMap<FaceId, FaceGlyphs> = usage.glyphs.iter().map(|(&id, glyphs)| (id, FaceGlyphs::of(fonts, id, glyphs))).collect();
    // The faces are cut and their programs deflated while the pages are written, each face a
    // job of its own: a page's content needs only each glyph's code and width, which the glyph
    // set alone fixes. On the seed the cut and deflate of the regular face alone outlast the
    // pages, so the largest face starts first and the others go to whichever worker is free.
    let mut largest_first: Vec<(&FaceId, &FaceGlyphs)> = faces.iter().collect();
    largest_first.sort_by_key(|(_, face)| std::cmp::Reverse(face.codes.len()));
    let (files, pages) = rayon::join(
        || largest_first.par_iter().map(|&(&id, face)| cut_face(fonts, id, face).map(|program| (id, program.into_file()))).collect::<Vec<_>>(),
        || write_pages(frames, meta, &faces),
    );
    // In face order whatever finished first, so that the same faces fail with the same message.
    let files: BTreeMap<FaceId, FontFile> = files.into_iter().collect::<Result<_>>()?;
    let (mut pdf, page_ids) = pages?;

    let mut font_refs = Vec::new();
    for (face_id, file) in files {
        let font = embed_face(&mut pdf, fonts, face_id, file, &faces[&face_id], &usage.glyphs[&face_id]);
        font_refs.push((font_resource(face_id), font));
    }
    if let Some(&first) = page_ids.first() {
        // printpdf shares one dictionary per resource kind between the pages.
        if let Some(dict) = shared_resources(&mut pdf, first, b"Font") {
            for (name, id) in font_refs {
                dict.set(name, Object::Reference(id));
            }
        }
        if let Some(dict) = shared_resources(&mut pdf, first, b"ExtGState") {
            for (name, state) in pdfx::overprint_states() {
                dict.set(name, state);
            }
        }
    }
    fix_document(&mut pdf, frames, meta);
    Ok(pdf)
}

/// The document with its pages, their images and content, the fonts not yet embedded; and the
/// pages' object ids, in order.
fn write_pages(frames: &[Frame], meta: &DocMeta, faces: &BTreeMap<FaceId, FaceGlyphs>) -> Result<(lopdf::Document, Vec<ObjectId>)> {
    let mut doc = PdfDocument::new(&meta.title);
    fill_info(&mut doc, meta);
    let images = add_images(&mut doc, frames)?;
    let pages = frames
        .iter()
        .map(|frame| {
            let links = frame.items.iter().filter_map(|item| link(item, frame.height)).collect();
            PdfPage::new(Mm(frame.width / PT_PER_MM), Mm(frame.height / PT_PER_MM), links)
        })
        .collect();
    doc.with_pages(pages);
    let options = PdfSaveOptions { optimize: true, subset_fonts: false, secure: true, image_optimization: None };
    let mut warnings = Vec::new();
    let mut pdf = doc.to_lopdf_document(&options, &mut warnings);
    let page_ids: Vec<ObjectId> = pdf.get_pages().into_values().collect();
    // Each page's content is written and deflated on its own: nothing after render changes it.
    let contents: Vec<Stream> = frames
        .par_iter()
        .map(|frame| {
            let mut stream = Stream::new(Dictionary::new(), page_content(frame, faces, &images));
            serialize::deflate_now(&mut stream);
            stream
        })
        .collect();
    for (&page_id, content) in page_ids.iter().zip(contents) {
        let contents = pdf.get_dictionary(page_id).and_then(|p| p.get(b"Contents")).and_then(Object::as_reference);
        let stream = contents.and_then(|id| pdf.get_object_mut(id)).and_then(Object::as_stream_mut);
        match stream {
            Ok(stream) => *stream = content,
            Err(e) => return Err(Error::failed(format!("cannot write a page: {e}"))),
        }
    }
    Ok((pdf, page_ids))
}

/// The dictionary of one kind of resource (`/Font`, `/ExtGState`) that a page's resources
/// refer to.
fn shared_resources<'a>(pdf: &'a mut lopdf::Document, page: ObjectId, kind: &[u8]) -> Option<&'a mut Dictionary> {
    let resources = pdf.get_dictionary(page).ok()?.get(b"Resources").ok()?.as_reference().ok()?;
    let id = pdf.get_dictionary(resources).ok()?.get(kind).ok()?.as_reference().ok()?;
    pdf.get_dictionary_mut(id).ok()
}

/// Each picture once, as an image XObject named `Im0`, `Im1`, …; by picture name, its
/// resource name and size in pixels.
fn add_images(doc: &mut PdfDocument, frames: &[Frame]) -> Result<BTreeMap<String, (String, usize, usize)>> {
    let mut images = BTreeMap::new();
    for frame in frames {
        for item in &frame.items {
            let Item::Image { image, .. } = item else { continue };
            if images.contains_key(&image.name) {
                continue;
            }
            let id = format!("Im{}", images.len());
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
            doc.resources.xobjects.map.insert(XObjectId(id), xobject);
        }
    }
    Ok(images)
}

/// A link item as printpdf's annotation; `None` for everything drawn.
fn link(item: &Item, page_height: f32) -> Option<Op> {
    let Item::Link { rect: (x, y, w, h), target } = item else { return None };
    let actions = match target {
        // printpdf counts pages from 1.
        LinkTarget::Page(page) => Actions::Goto(Destination::Xyz { page: page + 1, left: None, top: None, zoom: None }),
        LinkTarget::Uri(uri) => Actions::Uri(uri.clone()),
    };
    let rect = printpdf::Rect { x: Pt(*x), y: Pt(page_height - y - h), width: Pt(*w), height: Pt(*h), mode: None, winding_order: None };
    Some(Op::LinkAnnotation { link: LinkAnnotation::new(rect, actions, None, None, None) })
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

/// One face's glyphs as [`GlyphUsage::collect`] meets them.
struct FaceUse<'a> {
    face: FaceId,
    /// A bit per glyph id: met already.
    seen: Vec<u64>,
    /// Each glyph met, with its text, in the order first met.
    first_uses: Vec<(u16, &'a str)>,
}

impl GlyphUsage {
    fn collect(frames: &[Frame]) -> GlyphUsage {
        // A page holds some ten thousand glyphs of a few thousand kinds: each is checked against
        // a bit per glyph id of its face, and only a glyph met for the first time goes into the
        // ordered map (a map lookup for every glyph was 1.1–1.5 ms of jialing's render).
        let mut faces: Vec<FaceUse> = Vec::new();
        for frame in frames {
            for item in &frame.items {
                let Item::Text { line, .. } = item else { continue };
                for g in &line.glyphs {
                    let at = match faces.iter().position(|f| f.face == g.face) {
                        Some(at) => at,
                        None => {
                            faces.push(FaceUse { face: g.face, seen: vec![0; GLYPH_IDS / 64], first_uses: Vec::new() });
                            faces.len() - 1
                        }
                    };
                    let f = &mut faces[at];
                    let (word, bit) = (usize::from(g.gid) / 64, 1u64 << (g.gid % 64));
                    if f.seen[word] & bit == 0 {
                        f.seen[word] |= bit;
                        f.first_uses.push((g.gid, g.text.as_str()));
                    }
                }
            }
        }
        let glyphs = faces
            .into_iter()
            .map(|f| (f.face, f.first_uses.into_iter().map(|(gid, text)| (gid, text.to_owned())).collect()))
            .collect();
        GlyphUsage { glyphs }
    }
}

/// Glyph ids a face can have: they are 16-bit.
const GLYPH_IDS: usize = 1 << 16;

/// The font resource name of a face: `PT0`, `PT1`, ….
fn font_resource(face: FaceId) -> String {
    format!("PT{}", face.index())
}

/// A face's glyphs as the document addresses them in its subset.
struct FaceGlyphs {
    /// The subset's glyphs in order: `.notdef`, then by original id, so the codes depend only on
    /// the glyph set.
    order: GlyphOrder,
    /// Original glyph id → (its code: the glyph id in the subset, its advance in whole
    /// thousandths of the em as /W gives it).
    codes: BTreeMap<u16, (u16, i64)>,
    /// The same, hashed: the content streams look up every glyph they show.
    lookup: FxHashMap<u16, (u16, i64)>,
}

impl FaceGlyphs {
    fn of(fonts: &FontSet, face_id: FaceId, glyphs: &BTreeMap<u16, String>) -> FaceGlyphs {
        let face = fonts.face(face_id);
        let mut order = GlyphOrder::new();
        // Whole thousandths of the em, truncated: the viewer advances by exactly what /W says,
        // so the content stream must reckon with the same number.
        let upem = face.units_per_em();
        let codes = glyphs
            .keys()
            .map(|&old| (old, (order.add(old), (f32::from(face.advance_units(old)) * GLYPH_UNITS / upem) as i64)))
            .collect::<BTreeMap<_, _>>();
        let lookup = codes.iter().map(|(&old, &code)| (old, code)).collect();
        FaceGlyphs { order, codes, lookup }
    }
}

/// A subset's font program, as the PDF embeds it.
enum FontProgram {
    /// A bare CID-keyed `CFF ` table: a CIDFontType0C program, which every viewer reads the same
    /// way (and PDF 1.3 allows, so the PDF/X pass leaves it alone), unlike a whole OpenType file
    /// (PDF 1.6).
    Cff(Vec<u8>),
    /// A TrueType file.
    TrueType(Vec<u8>),
}

impl FontProgram {
    /// The program as the stream its font descriptor points at, final: [`serialize::save`]
    /// leaves it alone.
    ///
    /// A CFF program is stored as it is. Type 2 charstrings are a compact code already:
    /// libdeflate's fastest level made the seed's three CFF subsets (199 KB) 18 % smaller, for
    /// 9 M of the run's 68 M instructions (13 %); stored, the seed's PDF is 36 KB larger
    /// (281 KB), jialing's 94 KB (795 KB). The EPUB stores its subsets for the same reason.
    /// TrueType outlines (the 楷体) deflate by 30 % (jialing: 113 KB to 79 KB) and are deflated.
    fn into_file(self) -> FontFile {
        let (cff, mut program) = match self {
            FontProgram::Cff(cff) => (true, Stream::new(Dictionary::from_iter([("Subtype", Object::from("CIDFontType0C"))]), cff)),
            FontProgram::TrueType(ttf) => (false, Stream::new(Dictionary::from_iter([("Length1", Object::Integer(ttf.len() as i64))]), ttf)),
        };
        if cff {
            program.allows_compression = false;
        } else {
            serialize::deflate_now(&mut program);
        }
        FontFile { cff, program }
    }
}

/// A font program's stream, ready to embed.
struct FontFile {
    /// CFF outlines (`/FontFile3`, a CIDFontType0 font), else TrueType (`/FontFile2`).
    cff: bool,
    program: Stream,
}

/// Cuts `face` down to `glyphs`: the font program to embed.
fn cut_face(fonts: &FontSet, face_id: FaceId, glyphs: &FaceGlyphs) -> Result<FontProgram> {
    let face = fonts.face(face_id);
    let order = &glyphs.order;
    let fail = |e: &dyn std::fmt::Display| Error::failed(format!("{}: cannot subset the font: {e}", face.postscript_name()));
    let cff_table = ttf_parser::RawFace::parse(face.bytes(), face.index())
        .ok()
        .and_then(|raw| raw.table(ttf_parser::Tag::from_bytes(b"CFF ")));
    let ours = cff_table.map(|table| fonts::subset::cff(table, order.glyphs()));
    Ok(match ours {
        Some(Ok(cff)) => FontProgram::Cff(cff),
        Some(Err(e @ fonts::cff::Error::Malformed(_))) => return Err(fail(&e)),
        // TrueType faces, and the CFF ones our subsetter does not handle (seac accents):
        // the `subsetter` crate, which writes CFF outlines CID-keyed too.
        None | Some(Err(fonts::cff::Error::Unsupported(_))) => {
            let remapper = subsetter::GlyphRemapper::new_from_glyphs(order.glyphs());
            let sfnt = subsetter::subset(face.bytes(), face.index(), &remapper).map_err(|e| fail(&e))?;
            match pdfx::sfnt_table(&sfnt, b"CFF ").filter(|_| sfnt.starts_with(b"OTTO")) {
                Some(cff) => FontProgram::Cff(cff.to_vec()),
                None => FontProgram::TrueType(sfnt),
            }
        }
    })
}

/// Embeds a subset face as a Type0 font (Identity-H) over a CID font, with its descriptor,
/// font program and ToUnicode map; returns the Type0 font's object.
fn embed_face(pdf: &mut lopdf::Document, fonts: &FontSet, face_id: FaceId, file: FontFile, glyphs: &FaceGlyphs, text: &BTreeMap<u16, String>) -> ObjectId {
    let face = fonts.face(face_id);
    let upem = face.units_per_em();
    let resource = font_resource(face_id);
    let name = Object::Name(format!("{}+{}", subset_tag(face.postscript_name(), text), face.postscript_name()).into_bytes());
    let scaled = |units: f32| Object::Integer((units * GLYPH_UNITS / upem).round() as i64);
    // Ascent and descent in whole font units first, as the font's tables hold them.
    let ascent = scaled(f32::from((face.ascender_em() * upem) as i16));
    let descent = scaled(f32::from((face.descender_em() * upem) as i16));
    let is_cff = file.cff;
    let (subtype, file_key) = if is_cff { ("CIDFontType0", "FontFile3") } else { ("CIDFontType2", "FontFile2") };
    let program_id = pdf.add_object(file.program);
    let descriptor = Dictionary::from_iter([
        ("Type", Object::from("FontDescriptor")),
        ("FontName", name.clone()),
        ("Ascent", ascent.clone()),
        ("Descent", descent),
        // No cap height is read from the faces; the ascent stands in, as printpdf had it.
        ("CapHeight", ascent),
        ("ItalicAngle", Object::Integer(0)),
        ("Flags", Object::Integer(FONT_FLAGS)),
        ("StemV", Object::Integer(STEM_V)),
        ("FontBBox", Object::Array(face.bbox_units().iter().map(|&v| scaled(f32::from(v))).collect())),
        (file_key, Object::Reference(program_id)),
    ]);
    let descriptor_id = pdf.add_object(descriptor);
    let mut cid_font = Dictionary::from_iter([
        ("Type", Object::from("Font")),
        ("BaseFont", name.clone()),
        ("Subtype", Object::from(subtype)),
        (
            "CIDSystemInfo",
            Object::Dictionary(Dictionary::from_iter([
                ("Registry", Object::string_literal("Adobe")),
                ("Ordering", Object::string_literal("Identity")),
                ("Supplement", Object::Integer(0)),
            ])),
        ),
        ("W", Object::Array(widths(glyphs))),
        ("DW", Object::Integer(DEFAULT_WIDTH)),
        ("FontDescriptor", Object::Reference(descriptor_id)),
    ]);
    if !is_cff {
        cid_font.set("CIDToGIDMap", Object::from("Identity"));
    }
    let to_unicode = pdf.add_object(Stream::new(Dictionary::new(), to_unicode_cmap(&resource, glyphs, text).into_bytes()));
    pdf.add_object(Dictionary::from_iter([
        ("Type", Object::from("Font")),
        ("Subtype", Object::from("Type0")),
        ("BaseFont", name),
        ("Encoding", Object::from("Identity-H")),
        ("ToUnicode", Object::Reference(to_unicode)),
        ("DescendantFonts", Object::Array(vec![Object::Dictionary(cid_font)])),
    ]))
}

/// The subset tag (ISO 32000-1 §9.6.4: six capitals), derived from the face and the glyph set.
fn subset_tag(postscript_name: &str, glyphs: &BTreeMap<u16, String>) -> String {
    let mut key = postscript_name.as_bytes().to_vec();
    for gid in glyphs.keys() {
        key.extend_from_slice(&gid.to_be_bytes());
    }
    let hash = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, &key);
    hash.as_bytes()[..6].iter().map(|b| char::from(b'A' + b % 26)).collect()
}

/// `/W`: runs of consecutive codes, each `first [w w …]`.
fn widths(glyphs: &FaceGlyphs) -> Vec<Object> {
    let mut by_code: Vec<(u16, i64)> = glyphs.codes.values().copied().collect();
    by_code.sort_unstable();
    let mut list = Vec::new();
    let mut run: Vec<Object> = Vec::new();
    let mut first = 0;
    for (i, &(code, width)) in by_code.iter().enumerate() {
        if i > 0 && code != by_code[i - 1].0 + 1 {
            list.push(Object::Integer(i64::from(first)));
            list.push(Object::Array(std::mem::take(&mut run)));
        }
        if run.is_empty() {
            first = code;
        }
        run.push(Object::Integer(width));
    }
    if !run.is_empty() {
        list.push(Object::Integer(i64::from(first)));
        list.push(Object::Array(run));
    }
    list
}

/// The ToUnicode CMap: each code to the UTF-16 of the text its glyph stands for.
fn to_unicode_cmap(resource: &str, glyphs: &FaceGlyphs, text: &BTreeMap<u16, String>) -> String {
    use std::fmt::Write;
    let mut entries: Vec<(u16, &str)> = glyphs
        .codes
        .iter()
        .filter_map(|(gid, &(code, _))| text.get(gid).filter(|t| !t.is_empty()).map(|t| (code, t.as_str())))
        .collect();
    entries.sort_unstable();
    let mut cmap = format!(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo 3 dict dup begin\n/Registry (FontSpecific) def\n/Ordering ({resource}) def\n/Supplement 0 def\nend def\n\
         /CMapName /FontSpecific-{resource} def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
    );
    for block in entries.chunks(BFCHAR_BLOCK) {
        let _ = writeln!(cmap, "{} beginbfchar", block.len());
        for (code, text) in block {
            let _ = write!(cmap, "<{code:04X}> <");
            for unit in text.encode_utf16() {
                let _ = write!(cmap, "{unit:04X}");
            }
            cmap.push_str(">\n");
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    cmap
}

/// A page's content stream. PDF's y runs up from the bottom; frames' run down from the top.
fn page_content(frame: &Frame, faces: &BTreeMap<FaceId, FaceGlyphs>, images: &BTreeMap<String, (String, usize, usize)>) -> Vec<u8> {
    let height = frame.height;
    let mut w = ContentWriter::new();
    for item in &frame.items {
        match item {
            Item::Text { x, y_baseline, line, size, color } => text(&mut w, line, *x, height - y_baseline, *size, *color, faces),
            Item::Rule { from, to, width, color } => {
                w.save();
                w.stroke_colour(*color);
                w.line_width(*width);
                w.line((from.0, height - from.1), (to.0, height - to.1));
                w.restore();
            }
            Item::Rect { x, y, w: width, h, stroke, fill } => {
                let paint = match (stroke, fill) {
                    (Some(_), Some(_)) => Paint::FillStroke,
                    (Some(_), None) => Paint::Stroke,
                    (None, Some(_)) => Paint::Fill,
                    (None, None) => continue,
                };
                w.save();
                if let Some((line_width, color)) = stroke {
                    w.stroke_colour(*color);
                    w.line_width(*line_width);
                }
                if let Some(color) = fill {
                    w.fill_colour(*color);
                }
                let corners = [(*x, *y), (x + width, *y), (x + width, y + h), (*x, y + h)];
                w.polygon(&corners.map(|(px, py)| (px, height - py)), paint);
                w.restore();
            }
            Item::Image { x, y, w: width, h, image } => {
                let Some((id, _, _)) = images.get(&image.name) else { continue };
                // The image's unit square onto its box.
                w.xobject(id, [*width, 0.0, 0.0, *h, *x, height - y - h]);
            }
            Item::Link { .. } => {}
        }
    }
    w.finish()
}

/// One line of text: a text object, a text matrix wherever the face or the glyph scale
/// changes, and per glyph the `Tc` that carries the pen to the next glyph.
fn text(w: &mut ContentWriter, line: &Line, x0: f32, baseline: f32, size: f32, color: Color, faces: &BTreeMap<FaceId, FaceGlyphs>) {
    if line.glyphs.is_empty() {
        return;
    }
    w.begin_text();
    w.fill_colour(color);
    // The line's source text, for extraction and copying: without it a reader infers word
    // spaces from the CJK–Latin glue and the justification, which are not in the text.
    w.begin_span(&line.text());
    let mut current: Option<(FaceId, f32)> = None;
    let mut run: Vec<u16> = Vec::with_capacity(line.glyphs.len());
    // A line's glyphs are mostly of one face: it is looked up when the face changes.
    let mut face: Option<(FaceId, &FaceGlyphs)> = None;
    for glyph in &line.glyphs {
        if face.is_none_or(|(id, _)| id != glyph.face) {
            face = faces.get(&glyph.face).map(|f| (glyph.face, f));
        }
        // Every glyph of every frame was collected, so its face is embedded and has it.
        let Some(&(code, width)) = face.and_then(|(_, f)| f.lookup.get(&glyph.gid)) else { continue };
        if current.map(|c| c.0) != Some(glyph.face) {
            w.glyphs(&run);
            run.clear();
            w.font(&font_resource(glyph.face), size);
        }
        if current != Some((glyph.face, glyph.scale_x)) || glyph.scale_x != 1.0 {
            w.glyphs(&run);
            run.clear();
            w.text_matrix(glyph.scale_x, x0 + glyph.x, baseline);
            current = Some((glyph.face, glyph.scale_x));
        }
        // The pen moves by (w·size + Tc)·scale; make that the glyph's advance in the line.
        let width = width as f32 / GLYPH_UNITS * size;
        let tc = round_tc(glyph.advance / glyph.scale_x - width);
        if tc != w.current_char_spacing() {
            w.glyphs(&run);
            run.clear();
            w.char_spacing(tc);
        }
        run.push(code);
    }
    w.glyphs(&run);
    w.end_span();
    w.end_text();
}

/// `Tc` written to 4 decimals: finer than any device, and keeps the bytes stable.
fn round_tc(tc: f32) -> f32 {
    // `+ 0.0` turns a rounded -0 into 0.
    (tc * 10_000.0).round() / 10_000.0 + 0.0
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
fn fix_document(pdf: &mut lopdf::Document, frames: &[Frame], meta: &DocMeta) {
    // ActualText spans are PDF 1.5; 1.6 is what PDF/X-4 builds on.
    pdf.version = PDF_VERSION.to_string();
    fix_info(pdf, meta);
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
