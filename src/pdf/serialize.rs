//! The edition's one trip from a lopdf `Document` to bytes: the last step of `papertool pdf`.
//!
//! Render, the outline pass and the PDF/X pass all work on the same in-memory document; only
//! here is it written, once. Two things are done on the way:
//!
//! - every stream not yet encoded is deflated, once, by libdeflate at its fastest level
//!   ([`LEVEL`]), the streams in parallel (libdeflate was twice as fast as zlib-rs for the same
//!   size); streams that carry a filter already (a photo's own JPEG bytes, anything read from a
//!   file) are left as they are, and so are streams marked not to be compressed (the renderer's
//!   CFF programs, stored). The renderer deflates its TrueType programs and page content
//!   itself, with [`deflate_now`], on the workers that make them: nothing later changes them,
//!   and there they overlap with the rest of the rendering instead of waiting for this step;
//! - the trailer `/ID` is derived from the content, so that the same edition gives the same
//!   bytes: the file is written with a fixed placeholder ID, a 128-bit digest of those bytes
//!   ([`digest`]) becomes the ID, and it is patched in place over the placeholder (same length,
//!   so no offset moves). An XMP packet that quotes the ID as a UUID ([`id_uuid`]) is patched in
//!   the same way.

use std::cell::RefCell;

use lopdf::{Dictionary, Document, Object, Stream, StringFormat};
use rayon::prelude::*;

use crate::error::{Error, Result};

/// The ID the file is first written with. Any fixed 16 bytes would do; these spell what they
/// are, so a file where patching was skipped (a bug) shows it plainly.
pub const ID_PLACEHOLDER: [u8; 16] = *b"papertool:ID:tbd";

/// libdeflate's level for every stream: its fastest. Measured with callgrind on the seed and
/// on jialing's four pages, against the levels used before (content and ToUnicode maps at 6):
/// 4.2 M fewer instructions on the seed (56.5 M to 52.3 M) for 3.5 KB more (1.2 %), 18 M fewer
/// on jialing for 15 KB more (1.8 %); one compressor a thread instead of two, one of them
/// large. Fonts and photos were at level 1 already: a CMYK photo (614 KB) makes 79 KB, 3 KB
/// more than at level 6 in half the time. (The renderer's CFF programs are not deflated at all,
/// see `render`.)
const LEVEL: i32 = 1;

/// `bytes` deflated into a zlib stream, as [`deflate_now`] deflates a stream's; for a stream
/// made later, see [`adopt_deflated`].
pub fn deflate(bytes: &[u8]) -> Vec<u8> {
    /// A thread's means to deflate, kept for its next stream.
    struct Deflater {
        /// libdeflate allocates its match finder with the C allocator: a fresh one a stream
        /// would cost fresh pages.
        compressor: libdeflater::Compressor,
        /// What libdeflate writes into, its bound (about the input's size) long, and the
        /// compressed bytes are then copied out of: paged in once, not once a stream, and the
        /// streams do not keep their bounds' worth of memory (a photo's 614 KB make 79 KB).
        out: Vec<u8>,
    }
    thread_local! {
        static DEFLATER: RefCell<Deflater> = RefCell::new(Deflater {
            compressor: libdeflater::Compressor::new(libdeflater::CompressionLvl::new(LEVEL).expect("a level libdeflate has")),
            out: Vec::new(),
        });
    }
    DEFLATER.with_borrow_mut(|Deflater { compressor, out }| {
        let bound = compressor.zlib_compress_bound(bytes.len());
        if out.len() < bound {
            out.resize(bound, 0);
        }
        let len = compressor.zlib_compress(bytes, out).expect("the buffer is the bound libdeflate asked for");
        out[..len].to_vec()
    })
}

/// The file's ID: XXH3's 128-bit digest of the file as written with the placeholder. The PDF
/// reference suggests MD5 but asks only that the ID be unique to the file; MD5 was 4 % of the
/// seed's `papertool pdf`, XXH3 is a tenth of that.
fn digest(bytes: &[u8]) -> [u8; 16] {
    xxhash_rust::xxh3::xxh3_128(bytes).to_be_bytes()
}

/// The UUID form of a file ID that an XMP packet quotes (`xmpMM:DocumentID`): the 16 bytes as a
/// version 8 (custom) UUID, stable for the same content.
pub fn id_uuid(id: &[u8; 16]) -> String {
    uuid::Uuid::new_v8(*id).hyphenated().to_string()
}

/// Compresses what needs it, writes `doc` once, and gives it its content-derived `/ID`.
pub fn save(mut doc: Document) -> Result<Vec<u8>> {
    compress(&mut doc);
    let placeholder = Object::String(ID_PLACEHOLDER.to_vec(), StringFormat::Hexadecimal);
    doc.trailer.set("ID", Object::Array(vec![placeholder.clone(), placeholder]));
    // The XMP packet, if the document has one that quotes the ID: found again in the output by
    // its whole content, which is written as is (it is never compressed).
    let packet = metadata_quoting_the_id(&doc);
    let mut bytes = Vec::with_capacity(estimated_size(&doc));
    doc.save_to(&mut bytes).map_err(|e| Error::failed(format!("cannot write the PDF: {e}")))?;
    let id = digest(&bytes);
    patch_trailer_id(&mut bytes, &id)?;
    if let Some(packet) = packet {
        let at = rfind(&bytes, &packet).ok_or_else(|| Error::failed("cannot write the PDF: the XMP packet went missing"))?;
        let (from, to) = (id_uuid(&ID_PLACEHOLDER), id_uuid(&id));
        replace_all(&mut bytes[at..at + packet.len()], from.as_bytes(), to.as_bytes());
    }
    Ok(bytes)
}

/// Deflates every stream that may be compressed and carries no filter yet; a stream that would
/// not shrink stays plain. The streams are independent, so they are deflated in parallel. After
/// `papertool pdf`'s renderer, which deflated its pages and TrueType fonts, what is left is the
/// ToUnicode maps and what the PDF/X pass wrote (a photo's CMYK samples).
fn compress(doc: &mut Document) {
    let mut pending: Vec<&mut Stream> = doc
        .objects
        .values_mut()
        .filter_map(|object| match object {
            Object::Stream(stream) if stream.allows_compression && !stream.dict.has(b"Filter") && !stream.content.is_empty() => Some(stream),
            _ => None,
        })
        .collect();
    pending.par_iter_mut().for_each(|stream| deflate_now(stream));
}

/// Deflates `stream`, which carries no filter; a stream that would not shrink stays plain. For
/// a stream that is final before [`save`]: `save` leaves a stream with a filter as it is.
pub fn deflate_now(stream: &mut Stream) {
    let compressed = deflate(&stream.content);
    adopt_deflated(stream, compressed);
}

/// Makes `stream` what [`deflate_now`] makes of it, given its content [`deflate`]d already.
pub fn adopt_deflated(stream: &mut Stream, compressed: Vec<u8>) {
    debug_assert!(!stream.dict.has(b"Filter"), "a stream is deflated once");
    if compressed.len() < stream.content.len() {
        stream.set_content(compressed);
        stream.dict.set("Filter", Object::from("FlateDecode"));
    }
}

/// The content of the catalog's `/Metadata` stream, if it quotes the placeholder ID.
fn metadata_quoting_the_id(doc: &Document) -> Option<Vec<u8>> {
    let id = doc.catalog().ok()?.get(b"Metadata").and_then(Object::as_reference).ok()?;
    let stream = doc.get_object(id).and_then(Object::as_stream).ok()?;
    let quoted = id_uuid(&ID_PLACEHOLDER);
    (!stream.dict.has(b"Filter") && rfind(&stream.content, quoted.as_bytes()).is_some()).then(|| stream.content.clone())
}

/// Writes `id` over the placeholder in the trailer: the last two hex strings of the file that
/// spell the placeholder (the trailer, or the cross-reference stream's dictionary, is written
/// after every object, so nothing an issue's text put into the file can come later).
fn patch_trailer_id(bytes: &mut [u8], id: &[u8; 16]) -> Result<()> {
    let hex = |b: &[u8; 16]| -> Vec<u8> {
        let mut s = vec![b'<'];
        s.extend(b.iter().flat_map(|byte| format!("{byte:02X}").into_bytes()));
        s.push(b'>');
        s
    };
    let (from, to) = (hex(&ID_PLACEHOLDER), hex(id));
    let mut end = bytes.len();
    for _ in 0..2 {
        let at = rfind(&bytes[..end], &from).ok_or_else(|| Error::failed("cannot write the PDF: its trailer has no /ID"))?;
        bytes[at..at + to.len()].copy_from_slice(&to);
        end = at;
    }
    Ok(())
}

/// Where `needle` last occurs in `haystack`.
fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || needle.len() > haystack.len() {
        return None;
    }
    (0..=haystack.len() - needle.len()).rev().find(|&i| haystack[i] == needle[0] && &haystack[i..i + needle.len()] == needle)
}

/// Replaces every occurrence of `from` by `to` (the same length) in `bytes`.
fn replace_all(bytes: &mut [u8], from: &[u8], to: &[u8]) {
    debug_assert_eq!(from.len(), to.len());
    let mut i = 0;
    while i + from.len() <= bytes.len() {
        if &bytes[i..i + from.len()] == from {
            bytes[i..i + from.len()].copy_from_slice(to);
            i += from.len();
        } else {
            i += 1;
        }
    }
}

/// An upper estimate of the written file's size, for its one allocation: a buffer that grows
/// past its estimate is copied into one twice its size (jialing's 829 KB file, estimated at
/// 823 KB from its streams alone, took 2.4 MB of fresh pages). Each object is counted as it
/// will be written: a number at its widest, a string in hex, plus its header and its line in
/// the cross-reference table.
fn estimated_size(doc: &Document) -> usize {
    /// `12 0 obj` … `endobj`, and the cross-reference line (20 bytes).
    const BYTES_PER_OBJECT: usize = 48;
    /// The trailer, the header and what lopdf writes beside.
    const BYTES_PER_FILE: usize = 1024;
    BYTES_PER_FILE + doc.objects.values().map(|o| written_size(o) + BYTES_PER_OBJECT).sum::<usize>()
}

/// How many bytes `object` takes written, on the high side (a real of extreme magnitude can
/// take more; the file's buffer then grows, which costs time, not correctness).
fn written_size(object: &Object) -> usize {
    /// A number, a boolean, null or a reference at its widest (`-1234567.123456`, `123 0 R`).
    const SCALAR: usize = 16;
    let dict = |d: &Dictionary| 4 + d.iter().map(|(key, value)| key.len() + 2 + written_size(value)).sum::<usize>();
    match object {
        Object::Stream(s) => dict(&s.dict) + s.content.len() + "\nstream\n\nendstream".len(),
        Object::Dictionary(d) => dict(d),
        Object::Array(items) => 2 + items.iter().map(|item| written_size(item) + 1).sum::<usize>(),
        Object::String(bytes, _) => 2 + 2 * bytes.len(),
        Object::Name(name) => 1 + 3 * name.len(),
        _ => SCALAR,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    #[test]
    fn round_trips_through_an_independent_inflater() {
        let text: Vec<u8> = (0..200_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 27) as u8 + b'a').collect();
        let packed = deflate(&text);
        assert!(packed.len() < text.len(), "it compresses");
        let mut unpacked = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(&packed[..]), &mut unpacked).unwrap();
        assert_eq!(unpacked, text);
        assert_eq!(deflate(&text), packed, "a kept compressor gives the same bytes");
        let mut unpacked = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(&deflate(b"")[..]), &mut unpacked).unwrap();
        assert!(unpacked.is_empty());
    }

    fn document(text: &str) -> Document {
        let mut doc = Document::with_version("1.6");
        let pages_id = doc.new_object_id();
        let content = format!("BT /F1 12 Tf 72 712 Td ({text}) Tj ET ").repeat(40).into_bytes();
        let content_id = doc.add_object(Stream::new(dictionary! {}, content));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        doc.objects.insert(pages_id, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1 }));
        let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog_id);
        doc
    }

    fn trailer_id(bytes: &[u8]) -> Vec<u8> {
        let doc = Document::load_mem(bytes).expect("a PDF lopdf reads");
        doc.trailer.get(b"ID").unwrap().as_array().unwrap()[0].as_str().unwrap().to_vec()
    }

    #[test]
    fn the_id_is_the_digest_of_the_file_written_with_the_placeholder() {
        let bytes = save(document("one")).unwrap();
        let id = trailer_id(&bytes);
        assert_eq!(id.len(), 16);
        assert_ne!(id, ID_PLACEHOLDER);
        // Put the placeholder back and the digest is the ID again.
        let mut again = bytes.clone();
        let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02X}")).collect::<String>();
        let at = rfind(&again, hex(&id).as_bytes()).unwrap();
        again[at..at + 32].copy_from_slice(hex(&ID_PLACEHOLDER).as_bytes());
        let at = rfind(&again[..at], hex(&id).as_bytes()).unwrap();
        again[at..at + 32].copy_from_slice(hex(&ID_PLACEHOLDER).as_bytes());
        assert_eq!(id, digest(&again));
    }

    #[test]
    fn the_size_estimate_holds_the_written_file() {
        let mut doc = document("一二三");
        // What a font's /W array and a ToUnicode map make: wide arrays, hex strings, names.
        let widths: Vec<Object> = (0..20_000).map(|i| Object::Real(-1234.5 - i as f32 / 7.0)).collect();
        let strings: Vec<Object> = (0..500).map(|i| Object::String(vec![0xFE, i as u8, b'(', b'\\'], StringFormat::Literal)).collect();
        doc.add_object(dictionary! { "W" => widths, "Names" => strings, "N#ame" => Object::Name(b"A B#()".to_vec()) });
        for i in 0..300 {
            doc.add_object(Object::Integer(-i * 1_000_000));
        }
        compress(&mut doc);
        let estimate = estimated_size(&doc);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        assert!(bytes.len() <= estimate, "{} bytes written, {estimate} estimated", bytes.len());
    }

    #[test]
    fn same_content_same_bytes_other_content_other_id() {
        assert_eq!(save(document("one")).unwrap(), save(document("one")).unwrap());
        assert_ne!(trailer_id(&save(document("one")).unwrap()), trailer_id(&save(document("two")).unwrap()));
    }

    #[test]
    fn content_is_deflated_and_encoded_streams_are_left_alone() {
        let mut doc = document("text");
        let jpeg_like = Stream::new(dictionary! { "Subtype" => "Image", "Filter" => "DCTDecode" }, vec![0xFF; 4096]);
        let jpeg_id = doc.add_object(jpeg_like);
        let loaded = Document::load_mem(&save(doc).unwrap()).unwrap();
        let page = *loaded.get_pages().values().next().unwrap();
        assert!(String::from_utf8_lossy(&loaded.get_page_content(page)).contains("(text) Tj"));
        let content_id = loaded.get_dictionary(page).unwrap().get(b"Contents").unwrap().as_reference().unwrap();
        let content = loaded.get_object(content_id).unwrap().as_stream().unwrap();
        assert_eq!(content.dict.get(b"Filter").unwrap().as_name().unwrap(), b"FlateDecode");
        let jpeg = loaded.get_object(jpeg_id).unwrap().as_stream().unwrap();
        assert_eq!(jpeg.dict.get(b"Filter").unwrap().as_name().unwrap(), b"DCTDecode");
        assert_eq!(jpeg.content, vec![0xFF; 4096], "not deflated on top");
    }

    #[test]
    fn an_xmp_packet_quoting_the_id_is_patched_with_it() {
        let mut doc = document("xmp");
        let packet = format!("<x:xmpmeta><xmpMM:DocumentID>uuid:{}</xmpMM:DocumentID></x:xmpmeta>", id_uuid(&ID_PLACEHOLDER));
        let xmp = Stream::new(dictionary! { "Type" => "Metadata", "Subtype" => "XML" }, packet.into_bytes()).with_compression(false);
        let xmp_id = doc.add_object(xmp);
        doc.catalog_mut().unwrap().set("Metadata", Object::Reference(xmp_id));
        let bytes = save(doc).unwrap();
        let id: [u8; 16] = trailer_id(&bytes).try_into().unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains(&format!("uuid:{}", id_uuid(&id))), "the packet quotes the real ID");
        assert!(!text.contains(&id_uuid(&ID_PLACEHOLDER)));
    }
}
