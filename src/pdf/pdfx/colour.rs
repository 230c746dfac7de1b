//! Colour for the press, part of the PDF/X pass: everything becomes DeviceCMYK (or stays
//! DeviceGray in images), total ink is capped at ISO 12647-3's 220 %, and 100 % K overprints.
//!
//! Content streams of PDFs from elsewhere are rewritten operator by operator (the renderer's
//! own are written in this form, by [`crate::pdf::content`], with the same rule): `g`/`G` and `rg`/`RG` become `k`/`K`,
//! colour spaces that PDF/X-1a forbids (ICC-based, calibrated, RGB) become DeviceCMYK, and after
//! every change of colour the overprint state that fits is selected — on for 100 % K alone
//! (black text and rules print over what is under them, so misregistration leaves no white
//! halo), off for everything else (a red masthead or a white box must knock out). Images in RGB
//! are separated to CMYK here; an image with a soft mask is flattened onto the paper.

use std::collections::BTreeMap;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use super::content::Scanner;
use super::{overprint_state_name, MAX_TOTAL_INK};
use crate::error::{Error, Result};

/// What a colour space is, for the press.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    /// DeviceGray, CalGray, ICCBased with one component.
    Gray,
    /// DeviceRGB, CalRGB, ICCBased with three components.
    Rgb,
    /// DeviceCMYK, ICCBased with four components.
    Cmyk,
    /// Lab: device-independent colour with no CMYK conversion here.
    Lab,
    /// Separation, DeviceN (spot colours, allowed), Pattern, Indexed: judged by their parts.
    Other,
}

/// Classifies a colour space object (a name, or an array such as `[/ICCBased 12 0 R]`).
pub(crate) fn family(space: &Object, doc: &Document) -> Family {
    let space = deref(space, doc);
    let (name, rest): (&[u8], &[Object]) = match space {
        Object::Name(n) => (n, &[]),
        Object::Array(items) => match items.first().map(|o| deref(o, doc)) {
            Some(Object::Name(n)) => (n, &items[1..]),
            _ => return Family::Other,
        },
        _ => return Family::Other,
    };
    match name {
        b"DeviceGray" | b"G" | b"CalGray" => Family::Gray,
        b"DeviceRGB" | b"RGB" | b"CalRGB" => Family::Rgb,
        b"DeviceCMYK" | b"CMYK" => Family::Cmyk,
        b"Lab" => Family::Lab,
        b"ICCBased" => {
            let components = rest
                .first()
                .map(|o| deref(o, doc))
                .and_then(|o| o.as_stream().ok())
                .and_then(|s| s.dict.get(b"N").and_then(Object::as_i64).ok());
            match components {
                Some(1) => Family::Gray,
                Some(3) => Family::Rgb,
                Some(4) => Family::Cmyk,
                _ => Family::Other,
            }
        }
        _ => Family::Other,
    }
}

pub(crate) fn deref<'a>(object: &'a Object, doc: &'a Document) -> &'a Object {
    let mut object = object;
    for _ in 0..32 {
        match object {
            Object::Reference(id) => match doc.get_object(*id) {
                Ok(target) => object = target,
                Err(_) => return object,
            },
            _ => return object,
        }
    }
    object
}

/// A colour space as a content stream names it (`/DeviceRGB` or a `/ColorSpace` resource).
pub(crate) fn named_space_family(name: &[u8], resources: Option<&Dictionary>, doc: &Document) -> Family {
    match name {
        b"DeviceGray" => Family::Gray,
        b"DeviceRGB" => Family::Rgb,
        b"DeviceCMYK" => Family::Cmyk,
        b"Pattern" => Family::Other,
        _ => resources
            .and_then(|r| r.get(b"ColorSpace").ok())
            .map(|o| deref(o, doc))
            .and_then(|o| o.as_dict().ok())
            .and_then(|spaces| spaces.get(name).ok())
            .map_or(Family::Other, |space| family(space, doc)),
    }
}

/// RGB to CMYK for a press without a profile: grey component replaced by K entirely (the
/// safest separation for newsprint, where grey balance in CMY wanders), then the ink limit.
pub(crate) fn rgb_to_cmyk(r: f32, g: f32, b: f32) -> [f32; 4] {
    let (r, g, b) = (r.clamp(0.0, 1.0), g.clamp(0.0, 1.0), b.clamp(0.0, 1.0));
    let k = 1.0 - r.max(g).max(b);
    if k >= 1.0 {
        return [0.0, 0.0, 0.0, 1.0];
    }
    limit_ink([under_colour(r, k), under_colour(g, k), under_colour(b, k), k])
}

/// One of C, M, Y for an RGB component `v` once the pixel's grey `k` is taken out.
fn under_colour(v: f32, k: f32) -> f32 {
    (1.0 - v - k) / (1.0 - k)
}

/// An ink amount (0–1) as an 8-bit sample.
fn ink_byte(v: f32) -> u8 {
    (v * 255.0).round().clamp(0.0, 255.0) as u8
}

/// [`rgb_to_cmyk`] of 8-bit samples, tabulated: a component's C, M or Y depends only on the
/// component and the pixel's brightest component, so 256 × 256 entries computed once give a
/// photo's hundreds of thousands of pixels the very values (and bytes) of the formula, with a
/// sum and a comparison left per pixel for the ink limit.
const TABLE_SIZE: usize = 256 * 256;

struct Separation {
    /// `[brightest * 256 + component]` → C, M or Y (for component ≤ brightest). Arrays of the
    /// size two bytes can index, so that a pixel's lookups need no bounds checks.
    under_colour: Box<[f32; TABLE_SIZE]>,
    /// The same as 8-bit samples.
    under_colour_bytes: Box<[u8; TABLE_SIZE]>,
    /// `[brightest]` → K.
    black: [f32; 256],
    /// The same as 8-bit samples.
    black_bytes: [u8; 256],
}

impl Separation {
    /// The table, built on first use (a batch converts many photos).
    fn get() -> &'static Separation {
        static TABLE: std::sync::OnceLock<Separation> = std::sync::OnceLock::new();
        TABLE.get_or_init(|| {
            let unit = |b: usize| b as f32 / 255.0;
            let mut table: Box<[f32; TABLE_SIZE]> = vec![0.0; TABLE_SIZE].into_boxed_slice().try_into().expect("the table's size");
            let mut black = [1.0; 256];
            for brightest in 1..256 {
                let k = 1.0 - unit(brightest);
                black[brightest] = k;
                for component in 0..=brightest {
                    table[brightest * 256 + component] = under_colour(unit(component), k);
                }
            }
            let mut under_colour_bytes: Box<[u8; TABLE_SIZE]> = vec![0; TABLE_SIZE].into_boxed_slice().try_into().expect("the table's size");
            // Only the entries a pixel can look up (component ≤ brightest); the rest stay 0.
            for brightest in 1..256 {
                let row = brightest * 256;
                for at in row..=row + brightest {
                    under_colour_bytes[at] = ink_byte(table[at]);
                }
            }
            Separation { under_colour: table, under_colour_bytes, black, black_bytes: black.map(ink_byte) }
        })
    }

    /// RGB samples to CMYK samples.
    fn separate(&self, rgb: &[u8]) -> Vec<u8> {
        let mut out = vec![0; rgb.len() / 3 * 4];
        for (p, cmyk_out) in rgb.chunks_exact(3).zip(out.chunks_exact_mut(4)) {
            let brightest = p[0].max(p[1]).max(p[2]);
            let at = [p[0], p[1], p[2]].map(|v| usize::from(u16::from_be_bytes([brightest, v])));
            let brightest = usize::from(brightest);
            let cmyk = [self.under_colour[at[0]], self.under_colour[at[1]], self.under_colour[at[2]], self.black[brightest]];
            // K < 1 past black (brightest 0), so within the limit the formula keeps all four.
            let bytes = if brightest > 0 && within_ink_limit(cmyk) {
                let table = &self.under_colour_bytes;
                [table[at[0]], table[at[1]], table[at[2]], self.black_bytes[brightest]]
            } else {
                rgb_to_cmyk_bytes(brightest, cmyk)
            };
            cmyk_out.copy_from_slice(&bytes);
        }
        out
    }
}

/// The slow way, for black and for colours past the ink limit.
fn rgb_to_cmyk_bytes(brightest: usize, cmyk: [f32; 4]) -> [u8; 4] {
    if brightest == 0 {
        return [0, 0, 0, 255];
    }
    limit_ink(cmyk).map(ink_byte)
}

/// Scales C, M and Y down so that the four together stay within [`MAX_TOTAL_INK`]; K is kept,
/// since it carries the detail and the type.
pub(crate) fn limit_ink([c, m, y, k]: [f32; 4]) -> [f32; 4] {
    if within_ink_limit([c, m, y, k]) {
        return [c, m, y, k.min(1.0)];
    }
    let scale = ((MAX_TOTAL_INK - k).max(0.0)) / (c + m + y);
    [c * scale, m * scale, y * scale, k]
}

/// Whether [`limit_ink`] leaves C, M and Y as they are.
fn within_ink_limit([c, m, y, k]: [f32; 4]) -> bool {
    c + m + y + k <= MAX_TOTAL_INK || c + m + y <= 0.0
}

/// 100 % K and nothing else: the colour that overprints.
pub(crate) fn is_full_black([c, m, y, k]: [f32; 4]) -> bool {
    const EPSILON: f32 = 1e-4;
    c.abs() < EPSILON && m.abs() < EPSILON && y.abs() < EPSILON && (k - 1.0).abs() < EPSILON
}

/// A colour operation as content-stream text, `0 1 1 0 k`, four decimals at most.
fn cmyk_text(operator: &str, cmyk: [f32; 4]) -> String {
    let number = |v: f32| {
        let text = format!("{:.4}", (v * 10_000.0).round() / 10_000.0);
        let text = text.trim_end_matches('0').trim_end_matches('.');
        if text.is_empty() || text == "-" { "0".to_string() } else { text.to_string() }
    };
    format!("{} {} {} {} {operator}", number(cmyk[0]), number(cmyk[1]), number(cmyk[2]), number(cmyk[3]))
}

/// The colour state the rewrite tracks, saved and restored with `q`/`Q` like the real one.
#[derive(Debug, Clone, Copy)]
struct State {
    fill_space: Family,
    stroke_space: Family,
    fill_black: bool,
    stroke_black: bool,
    /// The overprint state last selected, `(stroke, fill)`; unknown at the start of a form.
    overprint: Option<(bool, bool)>,
}

/// Rewrites every page's and every form XObject's content stream (see the module doc).
pub(crate) fn rewrite_content_streams(doc: &mut Document) -> Result<()> {
    let pages: Vec<(u32, ObjectId)> = doc.get_pages().into_iter().collect();
    for (number, page_id) in pages {
        let content = doc.get_page_content(page_id);
        let resources = page_resources(doc, page_id);
        // A page starts in DeviceGray black; setting CMYK black first makes the K explicit
        // and lets it overprint from the first glyph.
        let start = State {
            fill_space: Family::Cmyk,
            stroke_space: Family::Cmyk,
            fill_black: true,
            stroke_black: true,
            overprint: None,
        };
        let mut bytes = format!("{}\n{}\n", cmyk_text("k", [0.0, 0.0, 0.0, 1.0]), cmyk_text("K", [0.0, 0.0, 0.0, 1.0])).into_bytes();
        bytes.extend(rewrite(&content, start, resources.as_ref(), doc).map_err(|e| page_error(number, e))?);
        let stream_id = doc.add_object(Stream::new(Dictionary::new(), bytes));
        doc.get_dictionary_mut(page_id)
            .map_err(|e| page_error(number, e.to_string()))?
            .set("Contents", Object::Reference(stream_id));
    }
    let forms: Vec<ObjectId> = doc
        .objects
        .iter()
        .filter(|(_, o)| o.as_stream().is_ok_and(|s| s.dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|n| n == b"Form")))
        .map(|(id, _)| *id)
        .collect();
    for form_id in forms {
        let Ok(stream) = doc.get_object(form_id).and_then(Object::as_stream) else { continue };
        let plain = stream
            .get_plain_content()
            .map_err(|e| Error::failed(format!("PDF/X: form XObject {}: cannot decode it: {e}", form_id.0)))?;
        let resources = stream.dict.get(b"Resources").ok().map(|o| deref(o, doc)).and_then(|o| o.as_dict().ok()).cloned();
        // A form inherits the colour of the place it is drawn; assume nothing about it.
        let start = State {
            fill_space: Family::Other,
            stroke_space: Family::Other,
            fill_black: false,
            stroke_black: false,
            overprint: None,
        };
        let bytes = rewrite(&plain, start, resources.as_ref(), doc)
            .map_err(|e| Error::failed(format!("PDF/X: form XObject {}: {e}", form_id.0)))?;
        if let Ok(Object::Stream(stream)) = doc.get_object_mut(form_id) {
            stream.set_plain_content(bytes);
        }
    }
    Ok(())
}

fn page_error(number: u32, reason: impl std::fmt::Display) -> Error {
    Error::failed(format!("PDF/X: page {number}: {reason}"))
}

pub(crate) fn page_resources(doc: &Document, page_id: ObjectId) -> Option<Dictionary> {
    super::inherited_attribute(doc, page_id, b"Resources").map(|o| deref(o, doc)).and_then(|o| o.as_dict().ok()).cloned()
}

fn rewrite(content: &[u8], start: State, resources: Option<&Dictionary>, doc: &Document) -> std::result::Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(content.len() + content.len() / 8 + 64);
    let mut copied = 0;
    let mut state = start;
    let mut saved: Vec<State> = Vec::new();
    select_overprint(&mut state, &mut out);
    let mut scanner = Scanner::new(content);
    while let Some(operation) = scanner.next_operation()? {
        let operator = std::str::from_utf8(operation.operator).unwrap_or("");
        // The replacement text, when this operation changes.
        let replacement: Option<String> = match operator {
            "q" => {
                saved.push(state);
                None
            }
            "Q" => {
                state = saved.pop().unwrap_or(state);
                None
            }
            "g" | "G" | "rg" | "RG" | "k" | "K" => {
                let values = operation.numbers().ok_or_else(|| format!("`{operator}` without numbers"))?;
                let cmyk = match (operator, &values[..]) {
                    ("g" | "G", &[gray]) => [0.0, 0.0, 0.0, 1.0 - gray.clamp(0.0, 1.0)],
                    ("rg" | "RG", &[r, g, b]) => rgb_to_cmyk(r, g, b),
                    ("k" | "K", &[c, m, y, k]) => limit_ink([c, m, y, k]),
                    _ => return Err(format!("`{operator}` with {} operands", values.len())),
                };
                let stroke = operator.chars().all(|c| c.is_ascii_uppercase());
                set_colour(&mut state, stroke, Family::Cmyk, is_full_black(cmyk));
                Some(cmyk_text(if stroke { "K" } else { "k" }, cmyk))
            }
            "cs" | "CS" => {
                let stroke = operator == "CS";
                let name = operation.name().ok_or("`cs` without a name")?;
                match named_space_family(name, resources, doc) {
                    space @ (Family::Gray | Family::Rgb | Family::Cmyk) => {
                        // Every device space becomes DeviceCMYK, whose initial colour is black.
                        set_colour(&mut state, stroke, space, true);
                        Some(format!("/DeviceCMYK {operator}"))
                    }
                    Family::Lab => return Err("a Lab colour space, which PDF/X-1a forbids".into()),
                    Family::Other => {
                        set_colour(&mut state, stroke, Family::Other, false);
                        Some(String::from_utf8_lossy(&content[operation.start..operation.end]).into_owned())
                    }
                }
            }
            "sc" | "scn" | "SC" | "SCN" => {
                let stroke = operator.starts_with('S');
                let space = if stroke { state.stroke_space } else { state.fill_space };
                let values = operation.numbers();
                let cmyk = match (space, values.as_deref()) {
                    (Family::Gray, Some(&[gray])) => Some([0.0, 0.0, 0.0, 1.0 - gray.clamp(0.0, 1.0)]),
                    (Family::Rgb, Some(&[r, g, b])) => Some(rgb_to_cmyk(r, g, b)),
                    (Family::Cmyk, Some(&[c, m, y, k])) => Some(limit_ink([c, m, y, k])),
                    (Family::Gray | Family::Rgb | Family::Cmyk, _) => {
                        return Err(format!("`{operator}` with operands that do not fit its colour space"));
                    }
                    _ => None,
                };
                match cmyk {
                    Some(cmyk) => {
                        set_colour(&mut state, stroke, Family::Cmyk, is_full_black(cmyk));
                        Some(cmyk_text(if stroke { "K" } else { "k" }, cmyk))
                    }
                    None => {
                        set_colour(&mut state, stroke, space, false);
                        Some(String::from_utf8_lossy(&content[operation.start..operation.end]).into_owned())
                    }
                }
            }
            "BI" => return Err("an inline image (the renderer should use an image XObject)".into()),
            _ => None,
        };
        if let Some(text) = replacement {
            out.extend_from_slice(&content[copied..operation.start]);
            out.extend_from_slice(text.as_bytes());
            select_overprint(&mut state, &mut out);
            copied = operation.end;
        }
    }
    out.extend_from_slice(&content[copied..]);
    Ok(out)
}

fn set_colour(state: &mut State, stroke: bool, space: Family, black: bool) {
    if stroke {
        state.stroke_space = space;
        state.stroke_black = black;
    } else {
        state.fill_space = space;
        state.fill_black = black;
    }
}

fn select_overprint(state: &mut State, out: &mut Vec<u8>) {
    let wanted = (state.stroke_black, state.fill_black);
    if state.overprint != Some(wanted) {
        out.extend_from_slice(format!("\n/{} gs\n", overprint_state_name(wanted.0, wanted.1)).as_bytes());
        state.overprint = Some(wanted);
    }
}

/// Removes `OP`, `op` and `OPM` from the renderer's own graphics states: printpdf writes the
/// fill flag as `OP` and the stroke flag as `op` (swapped), and the pass selects overprint itself
/// after every colour change, so no other state may switch it behind its back.
pub(crate) fn strip_overprint_from_states(doc: &mut Document) {
    for object in doc.objects.values_mut() {
        let dict = match object {
            Object::Dictionary(d) => d,
            _ => continue,
        };
        strip_in(dict);
        // ExtGState resource dictionaries hold their states inline, without a /Type.
        for (_, value) in dict.iter_mut() {
            if let Object::Dictionary(inner) = value {
                strip_in(inner);
                for (_, state) in inner.iter_mut() {
                    if let Object::Dictionary(state) = state {
                        strip_in(state);
                    }
                }
            }
        }
    }
}

fn strip_in(dict: &mut Dictionary) {
    let is_state = dict.get(b"Type").and_then(Object::as_name).is_ok_and(|t| t == b"ExtGState")
        || (dict.has(b"OP") || dict.has(b"op") || dict.has(b"OPM")) && !dict.has(b"Type");
    if is_state {
        dict.remove(b"OP");
        dict.remove(b"op");
        dict.remove(b"OPM");
    }
}

/// An image's samples, decoded to 8 bits per component, or why not.
fn samples(stream: &Stream) -> std::result::Result<Vec<u8>, String> {
    let filters: Vec<Vec<u8>> = stream.filters().map(|f| f.into_iter().map(<[u8]>::to_vec).collect()).unwrap_or_default();
    if filters.iter().any(|f| f == b"DCTDecode" || f == b"DCT") {
        if filters.len() != 1 {
            return Err("a JPEG behind another filter".into());
        }
        return decode_jpeg(&stream.content).map(|(samples, _)| samples);
    }
    stream.get_plain_content().map_err(|e| format!("cannot decode it: {e}"))
}

/// A JPEG's samples, grey or RGB for everything else, and how many components a pixel has.
fn decode_jpeg(jpeg: &[u8]) -> std::result::Result<(Vec<u8>, usize), String> {
    let decoded = image::load_from_memory_with_format(jpeg, image::ImageFormat::Jpeg).map_err(|e| format!("cannot decode its JPEG: {e}"))?;
    Ok(match decoded.color().channel_count() {
        1 => (decoded.into_luma8().into_raw(), 1),
        _ => (decoded.into_rgb8().into_raw(), 3),
    })
}

/// Photos decoded and separated before the pass, found again by their JPEG bytes, which the
/// renderer embeds as they are. `papertool pdf` makes them on the second core while the pages
/// are laid out: decoding and separating jialing's photo (480 × 320) was three quarters of the
/// pass, on the main thread after the render. What the pass makes of a photo is the same
/// either way; one it does not find here it decodes itself.
#[derive(Default)]
pub struct PreparedPhotos(Vec<PreparedPhoto>);

struct PreparedPhoto {
    jpeg: Vec<u8>,
    /// How many bytes of RGB samples it decodes to (the samples themselves are not kept: a
    /// large photo's are hundreds of megabytes).
    samples: usize,
    /// [`Separation::separate`] of the samples, and those deflated as the writer would deflate
    /// them (crate::pdf::serialize): the pass's stream is then final.
    cmyk: Vec<u8>,
    deflated: Vec<u8>,
}

impl PreparedPhotos {
    /// The JPEGs among `files` that decode to RGB; files that cannot be read or decoded, and
    /// grey photos, are left to the pass (which also leaves a CMYK JPEG as it was made, and
    /// never asks for it here).
    pub fn of(files: &[std::path::PathBuf]) -> PreparedPhotos {
        let mut photos = Vec::new();
        for file in files {
            let Ok(jpeg) = std::fs::read(file) else { continue };
            if !jpeg.starts_with(&[0xFF, 0xD8]) {
                continue;
            }
            let Ok((samples, 3)) = decode_jpeg(&jpeg) else { continue };
            let cmyk = Separation::get().separate(&samples);
            let deflated = crate::pdf::serialize::deflate(&cmyk);
            photos.push(PreparedPhoto { jpeg, samples: samples.len(), cmyk, deflated });
        }
        PreparedPhotos(photos)
    }

    /// The photo whose JPEG is `jpeg`, taken out.
    fn take(&mut self, jpeg: &[u8]) -> Option<PreparedPhoto> {
        let at = self.0.iter().position(|p| p.jpeg == jpeg)?;
        Some(self.0.swap_remove(at))
    }
}

/// Separates RGB images to CMYK, turns ICC-based images into device spaces, caps total ink of
/// the CMYK images it can read, and flattens soft masks onto white paper.
pub(crate) fn convert_images(doc: &mut Document, prepared: &mut PreparedPhotos) -> Result<()> {
    let images: Vec<ObjectId> = doc
        .objects
        .iter()
        .filter(|(_, o)| o.as_stream().is_ok_and(|s| s.dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|n| n == b"Image")))
        .map(|(id, _)| *id)
        .collect();
    // Soft masks are images too; they are consumed by the image they mask, not converted.
    let masks: Vec<ObjectId> = images
        .iter()
        .filter_map(|id| doc.get_object(*id).ok()?.as_stream().ok()?.dict.get(b"SMask").ok()?.as_reference().ok())
        .collect();
    let mut converted: BTreeMap<ObjectId, Stream> = BTreeMap::new();
    for id in images.iter().filter(|id| !masks.contains(id)) {
        let stream = doc.get_object(*id).and_then(Object::as_stream).map_err(|e| Error::failed(e.to_string()))?;
        if let Some(new) = convert_image(stream, doc, prepared).map_err(|e| Error::failed(format!("PDF/X: image object {}: {e}", id.0)))? {
            converted.insert(*id, new);
        }
    }
    for (id, stream) in converted {
        doc.objects.insert(id, Object::Stream(stream));
    }
    Ok(())
}

fn convert_image(stream: &Stream, doc: &Document, prepared: &mut PreparedPhotos) -> std::result::Result<Option<Stream>, String> {
    let dict = &stream.dict;
    if dict.get(b"ImageMask").and_then(Object::as_bool).unwrap_or(false) {
        return Ok(None); // a stencil: painted in the current (already converted) fill colour
    }
    let space_object = dict.get(b"ColorSpace").map(|o| deref(o, doc).clone()).map_err(|_| "no colour space")?;
    let space = family(&space_object, doc);
    let has_mask = dict.has(b"SMask");
    let is_indexed = matches!(&space_object, Object::Array(items) if items.first().and_then(|o| o.as_name().ok()) == Some(b"Indexed"));
    if is_indexed {
        if has_mask {
            return Err("an indexed image with a soft mask".into());
        }
        return convert_indexed(stream, &space_object, doc);
    }
    let components = match space {
        Family::Gray => 1,
        Family::Rgb => 3,
        Family::Cmyk => 4,
        Family::Lab => return Err("a Lab image, which PDF/X-1a forbids".into()),
        Family::Other => return Ok(None), // Separation/DeviceN: spot colours, allowed as they are
    };
    let bits = dict.get(b"BitsPerComponent").and_then(Object::as_i64).unwrap_or(8);
    let is_jpeg = stream.filters().is_ok_and(|f| f.contains(&&b"DCTDecode"[..]));
    let is_device = matches!(&space_object, Object::Name(n) if n == b"DeviceGray" || n == b"DeviceCMYK");
    if is_device && !has_mask && (space == Family::Gray || is_jpeg) {
        return Ok(None); // grey is always within the ink limit; a CMYK JPEG is left as made
    }
    if bits != 8 {
        return Err(format!("{bits}-bit samples (only 8-bit images are converted)"));
    }
    if dict.has(b"Decode") {
        return Err("a /Decode array on an image that needs converting".into());
    }
    let width = dict.get(b"Width").and_then(Object::as_i64).map_err(|_| "no /Width")? as usize;
    let height = dict.get(b"Height").and_then(Object::as_i64).map_err(|_| "no /Height")? as usize;
    // An opaque RGB photo made ahead, of the size the dictionary gives.
    let single_jpeg = is_jpeg && stream.filters().is_ok_and(|f| f.len() == 1);
    if single_jpeg && space == Family::Rgb && !has_mask {
        if let Some(photo) = prepared.take(&stream.content).filter(|p| p.samples == width * height * 3) {
            let mut stream = Stream::new(image_dict(dict, "DeviceCMYK"), photo.cmyk);
            crate::pdf::serialize::adopt_deflated(&mut stream, photo.deflated);
            return Ok(Some(stream));
        }
    }
    let data = samples(stream)?;
    let pixels = width * height;
    let decoded_components = if is_jpeg && space == Family::Cmyk { return Err("a CMYK JPEG with a soft mask".into()) } else { components };
    if data.len() < pixels * decoded_components {
        return Err(format!("{} bytes of samples for {width}×{height}×{decoded_components}", data.len()));
    }
    let alpha = match dict.get(b"SMask").and_then(Object::as_reference) {
        Ok(mask_id) => {
            let mask = doc.get_object(mask_id).and_then(Object::as_stream).map_err(|_| "a broken soft mask")?;
            let same_size = mask.dict.get(b"Width").and_then(Object::as_i64).ok() == Some(width as i64)
                && mask.dict.get(b"Height").and_then(Object::as_i64).ok() == Some(height as i64)
                && mask.dict.get(b"BitsPerComponent").and_then(Object::as_i64).unwrap_or(8) == 8;
            if !same_size {
                return Err("a soft mask of another size or depth than its image".into());
            }
            Some(samples(mask)?)
        }
        Err(_) => None,
    };
    let white_out = |value: f32, i: usize| -> f32 {
        // Flattening onto paper: ink scales with opacity.
        alpha.as_ref().map_or(value, |a| value * f32::from(a[i]) / 255.0)
    };
    let unit = |b: u8| f32::from(b) / 255.0;
    let (out_space, out): (&str, Vec<u8>) = match space {
        Family::Gray => (
            "DeviceGray",
            (0..pixels).map(|i| (255.0 - white_out(255.0 - f32::from(data[i]), i)).round() as u8).collect(),
        ),
        // The common case, an opaque RGB photo, by table: the same values, a tenth of the work.
        Family::Rgb if alpha.is_none() => ("DeviceCMYK", Separation::get().separate(&data[..pixels * 3])),
        _ => {
            let mut out = Vec::with_capacity(pixels * 4);
            for i in 0..pixels {
                let cmyk = if space == Family::Rgb {
                    let p = &data[i * 3..i * 3 + 3];
                    rgb_to_cmyk(unit(p[0]), unit(p[1]), unit(p[2]))
                } else {
                    let p = &data[i * 4..i * 4 + 4];
                    limit_ink([unit(p[0]), unit(p[1]), unit(p[2]), unit(p[3])])
                };
                out.extend(cmyk.iter().map(|v| ink_byte(white_out(*v, i))));
            }
            ("DeviceCMYK", out)
        }
    };
    Ok(Some(Stream::new(image_dict(dict, out_space), out)))
}

/// The dictionary of a converted image: `dict`'s, in `space`, 8 bits, plain samples, no mask.
fn image_dict(dict: &Dictionary, space: &str) -> Dictionary {
    let mut new_dict = dict.clone();
    new_dict.remove(b"SMask");
    new_dict.remove(b"DecodeParms");
    new_dict.remove(b"Filter");
    new_dict.set("ColorSpace", Object::from(space));
    new_dict.set("BitsPerComponent", Object::Integer(8));
    new_dict
}

/// An indexed image keeps its indices; only the palette is separated.
fn convert_indexed(stream: &Stream, space: &Object, doc: &Document) -> std::result::Result<Option<Stream>, String> {
    let Object::Array(items) = space else { return Ok(None) };
    let [_, base, hival, lookup] = &items[..] else { return Err("a malformed /Indexed colour space".into()) };
    let base_family = family(base, doc);
    let (components, target) = match base_family {
        Family::Rgb => (3, Family::Cmyk),
        Family::Gray => (1, Family::Gray),
        Family::Cmyk => (4, Family::Cmyk),
        Family::Lab => return Err("an indexed Lab image, which PDF/X-1a forbids".into()),
        Family::Other => return Ok(None),
    };
    let entries = hival.as_i64().map_err(|_| "an /Indexed hival that is not a number")? as usize + 1;
    let table: Vec<u8> = match deref(lookup, doc) {
        Object::String(bytes, _) => bytes.clone(),
        Object::Stream(s) => s.get_plain_content().map_err(|e| format!("cannot decode the palette: {e}"))?,
        _ => return Err("an /Indexed palette that is neither string nor stream".into()),
    };
    if table.len() < entries * components {
        return Err("an /Indexed palette shorter than its hival".into());
    }
    let unit = |b: u8| f32::from(b) / 255.0;
    let new_table: Vec<u8> = (0..entries)
        .flat_map(|i| {
            let p = &table[i * components..(i + 1) * components];
            match components {
                1 => vec![p[0]],
                3 => rgb_to_cmyk(unit(p[0]), unit(p[1]), unit(p[2])).iter().map(|v| (v * 255.0).round() as u8).collect(),
                _ => limit_ink([unit(p[0]), unit(p[1]), unit(p[2]), unit(p[3])]).iter().map(|v| (v * 255.0).round() as u8).collect(),
            }
        })
        .collect();
    let base_name = if target == Family::Gray { "DeviceGray" } else { "DeviceCMYK" };
    let mut dict = stream.dict.clone();
    dict.set(
        "ColorSpace",
        Object::Array(vec![
            Object::from("Indexed"),
            Object::from(base_name),
            Object::Integer(entries as i64 - 1),
            Object::String(new_table, lopdf::StringFormat::Hexadecimal),
        ]),
    );
    Ok(Some(Stream { dict, ..stream.clone() }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pure_rgb_black_becomes_k_alone() {
        assert_eq!(rgb_to_cmyk(0.0, 0.0, 0.0), [0.0, 0.0, 0.0, 1.0]);
        assert!(is_full_black(rgb_to_cmyk(0.0, 0.0, 0.0)));
    }

    #[test]
    fn white_is_no_ink_and_does_not_overprint() {
        assert_eq!(rgb_to_cmyk(1.0, 1.0, 1.0), [0.0, 0.0, 0.0, 0.0]);
        assert!(!is_full_black([0.0, 0.0, 0.0, 0.0]));
    }

    #[test]
    fn masthead_red_is_magenta_and_yellow_within_the_limit() {
        let [c, m, y, k] = rgb_to_cmyk(1.0, 0.0, 0.0);
        assert_eq!([c, m, y, k], [0.0, 1.0, 1.0, 0.0]);
        assert!(!is_full_black([c, m, y, k]));
    }

    #[test]
    fn dark_colours_are_capped_at_220_percent() {
        let cmyk = rgb_to_cmyk(0.4, 0.0, 0.0); // k 0.6, m 1, y 1 → 260 % before the cap
        let total: f32 = cmyk.iter().sum();
        assert!((total - MAX_TOTAL_INK).abs() < 1e-4, "{cmyk:?}");
        assert!((cmyk[3] - 0.6).abs() < 1e-4, "K is kept: {cmyk:?}");
    }

    #[test]
    fn ink_within_the_limit_is_untouched() {
        assert_eq!(limit_ink([0.0, 1.0, 1.0, 0.0]), [0.0, 1.0, 1.0, 0.0]);
        assert_eq!(limit_ink([0.3, 0.3, 0.3, 1.0]), [0.3, 0.3, 0.3, 1.0]);
    }

    #[test]
    fn the_separation_table_gives_the_formulas_bytes() {
        // Every third level of each component, and the ends: dark saturated colours that the
        // ink limit scales, greys, and white and black.
        let levels: Vec<u8> = (0..=255).step_by(3).chain([1, 254, 255]).collect();
        let mut rgb = Vec::new();
        for &r in &levels {
            for &g in &levels {
                for &b in &levels {
                    rgb.extend_from_slice(&[r, g, b]);
                }
            }
        }
        let unit = |b: u8| f32::from(b) / 255.0;
        let expected: Vec<u8> =
            rgb.chunks_exact(3).flat_map(|p| rgb_to_cmyk(unit(p[0]), unit(p[1]), unit(p[2])).map(ink_byte)).collect();
        assert_eq!(Separation::get().separate(&rgb), expected);
    }

    #[test]
    fn grey_tints_knock_out_only_solid_black_overprints() {
        assert!(is_full_black([0.0, 0.0, 0.0, 1.0]));
        assert!(!is_full_black([0.0, 0.0, 0.0, 0.5]));
        assert!(!is_full_black([0.4, 0.3, 0.3, 1.0])); // rich black knocks out
    }

    fn rewritten(text: &str) -> std::result::Result<String, String> {
        let doc = Document::with_version("1.3");
        rewrite(text.as_bytes(), page_start(), None, &doc).map(|b| String::from_utf8(b).unwrap())
    }

    fn page_start() -> State {
        State { fill_space: Family::Cmyk, stroke_space: Family::Cmyk, fill_black: true, stroke_black: true, overprint: None }
    }

    #[test]
    fn rewrite_converts_rgb_and_switches_overprint_with_the_colour() {
        let out = rewritten("1 0 0 rg 0 0 10 10 re f 0 g BT ET").unwrap();
        assert!(!out.contains(" rg"), "{out}");
        assert!(out.contains("0 1 1 0 k"), "{out}");
        assert!(out.contains("0 0 0 1 k"), "grey 0 is K: {out}");
        let both = out.find("/PapertoolOverprintBoth gs").unwrap();
        let stroke_only = out.find("/PapertoolOverprintStroke gs").unwrap();
        let last_both = out.rfind("/PapertoolOverprintBoth gs").unwrap();
        assert!(both < stroke_only && stroke_only < last_both, "on, off for red fill, on again: {out}");
    }

    #[test]
    fn rewrite_restores_the_overprint_state_with_q_and_does_not_repeat_it() {
        let out = rewritten("q 1 0 0 rg Q 0 0 0 1 k").unwrap();
        // After Q the state is "both" again, so setting 100 % K needs no new gs.
        assert_eq!(out.matches("/PapertoolOverprintBoth gs").count(), 1, "{out}");
    }

    #[test]
    fn rewrite_refuses_inline_images() {
        assert!(rewritten("BI /W 1 /H 1 /CS /RGB /BPC 8 ID \x00\x00\x00 EI").is_err());
        assert!(rewritten("/L0 cs").is_ok(), "an unknown space is left to the checker");
    }
}

#[cfg(test)]
mod copy_tests {
    use super::*;

    #[test]
    fn everything_but_colour_is_copied_byte_for_byte() {
        let doc = Document::with_version("1.3");
        let start = State { fill_space: Family::Cmyk, stroke_space: Family::Cmyk, fill_black: true, stroke_black: true, overprint: Some((true, true)) };
        let text = "BT /F1 9 Tf 1 0 0 1 60 700 Tm [(\\(x) -120 <4e2d>] TJ ET\n% comment\n0.5 g";
        let out = String::from_utf8(rewrite(text.as_bytes(), start, None, &doc).unwrap()).unwrap();
        assert!(out.starts_with("BT /F1 9 Tf 1 0 0 1 60 700 Tm [(\\(x) -120 <4e2d>] TJ ET\n% comment\n0 0 0 0.5 k"), "{out}");
        assert!(out.ends_with("/PapertoolOverprintStroke gs\n"), "{out}");
    }
}

#[cfg(test)]
mod prepared_tests {
    use super::*;

    /// An RGB JPEG of `w`×`h` with a gradient in each channel, and its image object.
    fn jpeg_image(w: u32, h: u32) -> (Vec<u8>, Stream) {
        let pixels = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 7) as u8, (y * 5) as u8, ((x + y) * 3) as u8]));
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90).encode_image(&pixels).unwrap();
        let dict = Dictionary::from_iter([
            ("Type", Object::from("XObject")),
            ("Subtype", Object::from("Image")),
            ("Width", Object::Integer(i64::from(w))),
            ("Height", Object::Integer(i64::from(h))),
            ("ColorSpace", Object::from("DeviceRGB")),
            ("BitsPerComponent", Object::Integer(8)),
            ("Filter", Object::from("DCTDecode")),
        ]);
        (jpeg.clone(), Stream::new(dict, jpeg).with_compression(false))
    }

    #[test]
    fn a_prepared_photo_separates_as_the_pass_would_and_is_used_once() {
        let dir = tempfile::tempdir().unwrap();
        let (jpeg, stream) = jpeg_image(40, 24);
        let path = dir.path().join("photo.jpg");
        std::fs::write(&path, &jpeg).unwrap();
        std::fs::write(dir.path().join("not-a-photo.jpg"), b"GIF89a").unwrap();
        let doc = Document::with_version("1.3");
        let own = convert_image(&stream, &doc, &mut PreparedPhotos::default()).unwrap().unwrap();
        let mut prepared = PreparedPhotos::of(&[path, dir.path().join("not-a-photo.jpg"), dir.path().join("missing.jpg")]);
        assert_eq!(prepared.0.len(), 1, "only the readable JPEG is prepared");
        let from_prepared = convert_image(&stream, &doc, &mut prepared).unwrap().unwrap();
        // Deflated already, as the writer would: the same stream once it has been.
        let mut own_written = own.clone();
        crate::pdf::serialize::deflate_now(&mut own_written);
        assert_eq!(from_prepared.content, own_written.content);
        assert_eq!(from_prepared.dict, own_written.dict);
        assert!(from_prepared.dict.has(b"Filter"));
        assert_eq!(own.content.len(), 40 * 24 * 4);
        assert!(prepared.0.is_empty(), "taken when used");
        // A photo not prepared is decoded by the pass itself.
        let (_, other) = jpeg_image(16, 16);
        assert_eq!(convert_image(&other, &doc, &mut prepared).unwrap().unwrap().content.len(), 16 * 16 * 4);
    }
}
