//! The issue's photos: found beside the issue file, checked by decoding, scaled to what a reader's
//! screen can show, and re-encoded for the book — or, for a JPEG that every reader already shows
//! as it is, kept as its own bytes without their metadata.
//!
//! Runs before the documents are written (`book` needs to know which images made it). A photo that
//! is missing, unreadable, corrupt, remote or outside the issue's folder is a warning with its
//! source line; the article keeps its caption and the book is still made.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Component, Path, PathBuf};

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{DynamicImage, ImageFormat, ImageReader, Limits};

use crate::model::{Block, Issue, Warning};

/// Longest side of a photo in the book: a 300 ppi 6″ reader screen is 1448 px tall and tablets
/// show a book page at about 1600 px, so more only makes the book bigger.
pub const MAX_SIDE: u32 = 1600;

/// JPEG quality of re-encoded photos: at 85 artefacts are not visible on a reader's screen and
/// a 1600 px news photo stays around 200–300 KB.
const JPEG_QUALITY: u8 = 85;

/// A photo larger than this in either direction is refused before decoding: no camera makes one,
/// and decoding it could take gigabytes (a decompression bomb).
const MAX_SOURCE_SIDE: u32 = 20_000;

/// Memory the decoder may take for one photo.
const MAX_DECODE_BYTES: u64 = 512 * 1024 * 1024;

/// One photo as it goes into the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// Path inside the package folder: `images/photo-01.jpg`.
    pub href: String,
    pub media_type: &'static str,
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// The photos of an issue, by the `src` the issue gives them.
#[derive(Debug, Default)]
pub struct Pictures {
    by_src: HashMap<String, usize>,
    pub list: Vec<Picture>,
}

impl Pictures {
    /// The picture for an image block's `src`, if it could be used.
    pub fn get(&self, src: &str) -> Option<&Picture> {
        self.by_src.get(src).map(|&i| &self.list[i])
    }
}

/// Loads every image the issue's articles name, relative to `dir` (the issue file's folder).
/// Each problem becomes a warning at the image's line.
pub fn load(issue: &Issue, dir: &Path, warnings: &mut Vec<Warning>) -> Pictures {
    let mut pictures = Pictures::default();
    let mut refused: Vec<&str> = Vec::new();
    let images = issue.articles().flat_map(|(_, a)| a.blocks.iter()).filter_map(|b| match b {
        Block::Image { src, line, .. } => Some((src.as_str(), *line)),
        _ => None,
    });
    for (src, line) in images {
        if pictures.by_src.contains_key(src) || refused.contains(&src) {
            continue;
        }
        match load_one(dir, src) {
            Ok((format, image, bytes)) => {
                let number = pictures.list.len() + 1;
                let kept = (format == ImageFormat::Jpeg).then(|| jpeg_as_it_is(&bytes, &image)).flatten();
                let picture = match kept {
                    Some(bytes) => picture(number, &image, "jpg", "image/jpeg", bytes),
                    None => encode(image, format, number),
                };
                pictures.by_src.insert(src.to_string(), pictures.list.len());
                pictures.list.push(picture);
            }
            Err(reason) => {
                refused.push(src);
                warnings.push(Warning { line, message: format!("image {src:?} {reason}; its caption is kept") });
            }
        }
    }
    pictures
}

/// Reads and decodes one image (the file's bytes are returned too); the error is the reason,
/// worded to follow `image "…"`.
fn load_one(dir: &Path, src: &str) -> Result<(ImageFormat, DynamicImage, Vec<u8>), String> {
    let path = resolve(dir, src)?;
    let bytes = std::fs::read(&path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("not found (looked for {})", path.display()),
        _ => format!("cannot be read: {e}"),
    })?;
    let mut reader = ImageReader::new(Cursor::new(&bytes))
        .with_guessed_format()
        .map_err(|e| format!("cannot be read: {e}"))?;
    let format = reader.format().ok_or("is not an image papertool can read (JPEG, PNG, GIF or WebP)")?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SOURCE_SIDE);
    limits.max_image_height = Some(MAX_SOURCE_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let image = reader.decode().map_err(|e| format!("cannot be decoded ({e})"))?;
    Ok((format, image, bytes))
}

/// The file an image's `src` names, inside `dir`: absolute paths, `..`, URLs and links that lead
/// out of the folder are refused, so an issue file cannot pull arbitrary files into a book.
pub fn resolve(dir: &Path, src: &str) -> Result<PathBuf, String> {
    if src.contains("://") || src.starts_with("data:") {
        return Err("is not a local file and is not fetched".into());
    }
    let rel = Path::new(src);
    if rel.components().any(|c| !matches!(c, Component::Normal(_) | Component::CurDir)) {
        return Err("is outside the issue's folder and is not read".into());
    }
    let path = dir.join(rel);
    if let (Ok(real), Ok(base)) = (path.canonicalize(), dir.canonicalize()) {
        if !real.starts_with(&base) {
            return Err("leads outside the issue's folder and is not read".into());
        }
    }
    Ok(path)
}

/// A JPEG that decoded, is no larger than [`MAX_SIDE`] and that every reading system shows —
/// baseline or extended sequential (Kindle's converters and some older readers mishandle
/// progressive ones), Huffman-coded, grey or YCbCr (a CMYK one shows in wrong colours on most
/// screens) — is kept as its own bytes: a second lossy encoding would only lose detail and cost
/// the time of encoding it (42 M of the 306 M instructions of jialing's EPUB). What those bytes
/// say besides the picture goes, as re-encoding drops it: EXIF (camera, place, time), XMP, IPTC
/// and comments. JFIF, the ICC profile and Adobe's colour transform stay, as they change how the
/// pixels look.
fn jpeg_as_it_is(bytes: &[u8], image: &DynamicImage) -> Option<Vec<u8>> {
    if image.width().max(image.height()) > MAX_SIDE || image.color().has_alpha() {
        return None;
    }
    const SOI: [u8; 2] = [0xFF, 0xD8];
    /// Segments that say how the pixels look: JFIF (APP0), ICC profile (APP2), Adobe (APP14).
    const KEPT_APPS: [u8; 3] = [0xE0, 0xE2, 0xEE];
    if !bytes.starts_with(&SOI) {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&SOI);
    let mut at = SOI.len();
    let mut frame_ok = false;
    loop {
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        let marker = *bytes.get(at + 1)?;
        if marker == 0xFF {
            at += 1; // a fill byte before the marker
            continue;
        }
        let length = usize::from(u16::from_be_bytes([*bytes.get(at + 2)?, *bytes.get(at + 3)?]));
        let segment = bytes.get(at..at + 2 + length)?;
        match marker {
            // Start of scan: what follows is the picture itself, kept to the end.
            0xDA => {
                out.extend_from_slice(&bytes[at..]);
                return frame_ok.then_some(out);
            }
            // Baseline and extended sequential Huffman frames of 8-bit samples in 1 or 3
            // components (precision at byte 4 of the segment, component count at byte 9).
            0xC0 | 0xC1 => {
                frame_ok = segment.get(4) == Some(&8) && matches!(segment.get(9), Some(1 | 3));
                out.extend_from_slice(segment);
            }
            // Other frames (progressive, lossless, arithmetic, hierarchical), and markers that
            // have no place before a scan.
            0xC2 | 0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF | 0x01 | 0xD0..=0xD9 => return None,
            0xE0..=0xEF if !KEPT_APPS.contains(&marker) => {}
            0xFE => {} // a comment
            _ => out.extend_from_slice(segment),
        }
        at += 2 + length;
    }
}

/// Scales a photo down to [`MAX_SIDE`] and re-encodes it: JPEG for photographs, PNG for what
/// came as PNG or GIF (drawings, screenshots, transparency), so nothing gains artefacts. The
/// re-encoding also drops EXIF (camera, GPS) and makes the bytes depend on the pixels only.
fn encode(image: DynamicImage, format: ImageFormat, number: usize) -> Picture {
    let (w, h) = (image.width(), image.height());
    let image = if w.max(h) > MAX_SIDE {
        image.resize(MAX_SIDE, MAX_SIDE, image::imageops::FilterType::CatmullRom)
    } else {
        image
    };
    let lossless = matches!(format, ImageFormat::Png | ImageFormat::Gif) || image.color().has_alpha();
    let mut bytes = Vec::new();
    let (ext, media_type) = if lossless {
        let encoder = PngEncoder::new_with_quality(&mut bytes, CompressionType::Default, FilterType::Adaptive);
        image.to_rgba8().write_with_encoder(encoder).expect("PNG encoding into memory cannot fail");
        ("png", "image/png")
    } else {
        let encoder = JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY);
        if image.color().has_color() {
            image.to_rgb8().write_with_encoder(encoder)
        } else {
            image.to_luma8().write_with_encoder(encoder)
        }
        .expect("JPEG encoding into memory cannot fail");
        ("jpg", "image/jpeg")
    };
    picture(number, &image, ext, media_type, bytes)
}

/// The book's `number`th photo: `image`'s size, in `bytes` of type `media_type`.
fn picture(number: usize, image: &DynamicImage, ext: &str, media_type: &'static str, bytes: Vec<u8>) -> Picture {
    Picture { href: format!("images/photo-{number:02}.{ext}"), media_type, bytes, width: image.width(), height: image.height() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_out_of_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        for src in ["../x.jpg", "/etc/passwd", "a/../../x.png", "http://example.com/a.jpg"] {
            assert!(resolve(dir.path(), src).is_err(), "{src}");
        }
        assert!(resolve(dir.path(), "images/a.jpg").is_ok());
        assert!(resolve(dir.path(), "./a.jpg").is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn refuses_a_link_that_leads_out() {
        let outside = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.png"), b"x").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.png"), dir.path().join("a.png")).unwrap();
        assert!(resolve(dir.path(), "a.png").unwrap_err().contains("outside"));
    }

    #[test]
    fn scales_the_long_side_and_keeps_png_lossless() {
        let big = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(3200, 1000, image::Rgb([200, 10, 10])));
        let p = encode(big, ImageFormat::Png, 1);
        assert_eq!((p.width, p.height), (1600, 500));
        assert_eq!(p.media_type, "image/png");
        let photo = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(800, 600, image::Rgb([10, 100, 200])));
        let p = encode(photo, ImageFormat::Jpeg, 2);
        assert_eq!((p.href.as_str(), p.width), ("images/photo-02.jpg", 800));
        assert!(p.bytes.starts_with(&[0xFF, 0xD8]));
    }

    /// A baseline JPEG of `w`×`h` from the image crate, with an EXIF segment and a comment
    /// put in after its JFIF header, as cameras and editors leave them.
    fn camera_jpeg(w: u32, h: u32) -> (Vec<u8>, Vec<u8>) {
        let photo = DynamicImage::ImageRgb8(image::RgbImage::from_fn(w, h, |x, y| image::Rgb([x as u8, y as u8, 90])));
        let mut clean = Vec::new();
        photo.write_with_encoder(JpegEncoder::new_with_quality(&mut clean, 80)).unwrap();
        let after_jfif = 4 + usize::from(u16::from_be_bytes([clean[4], clean[5]]));
        let exif = [&[0xFF, 0xE1, 0x00, 0x11][..], b"Exif\0\0GPS:29.5N"].concat();
        let comment = [&[0xFF, 0xFE, 0x00, 0x07][..], b"Nikon"].concat();
        let tagged = [&clean[..after_jfif], &exif, &comment, &clean[after_jfif..]].concat();
        (tagged, clean)
    }

    #[test]
    fn a_baseline_jpeg_is_kept_as_its_bytes_without_its_metadata() {
        let (tagged, clean) = camera_jpeg(64, 48);
        let image = image::load_from_memory(&tagged).unwrap();
        let kept = jpeg_as_it_is(&tagged, &image).expect("a baseline JPEG is kept");
        assert_eq!(kept, clean, "EXIF and the comment are gone, every other byte is the file's");
    }

    #[test]
    fn progressive_cmyk_and_oversized_jpegs_are_encoded_again() {
        let (tagged, _) = camera_jpeg(64, 48);
        let image = image::load_from_memory(&tagged).unwrap();
        let sof = tagged.windows(2).position(|m| m == [0xFF, 0xC0]).unwrap();
        let mut progressive = tagged.clone();
        progressive[sof + 1] = 0xC2;
        assert_eq!(jpeg_as_it_is(&progressive, &image), None);
        let mut four_components = tagged.clone();
        four_components[sof + 9] = 4;
        assert_eq!(jpeg_as_it_is(&four_components, &image), None);
        assert_eq!(jpeg_as_it_is(&tagged[..sof + 4], &image), None, "a file cut short");
        let big = DynamicImage::ImageRgb8(image::RgbImage::new(MAX_SIDE + 1, 10));
        assert_eq!(jpeg_as_it_is(&tagged, &big), None);
    }
}
