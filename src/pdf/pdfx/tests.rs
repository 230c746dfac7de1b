//! The PDF/X pass and checker on PDFs made with printpdf the way `render` makes them, good
//! ones and deliberately bad ones.

use std::sync::OnceLock;

use lopdf::{Dictionary, Document, Object, Stream};
use printpdf::{
    Actions, Cmyk, Color, Destination, ExtendedGraphicsState, LinkAnnotation, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Pt, RawImage, RawImageData, RawImageFormat, Rect as PdfRect, Rgb, TextItem,
    XObjectTransform,
};

use super::*;
use crate::fonts::{Face, FontDir};

const NEWSPRINT_SUBSET: &str = "fonts (newsprint)";

/// A document as plain bytes, the way a file from elsewhere reaches `make_pdfx`.
fn save(doc: &mut Document) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(|e| Error::failed(e.to_string()))?;
    Ok(out)
}

fn meta() -> PdfxMeta {
    PdfxMeta {
        title: "嘉陵报 2025-10-15".into(),
        author: Some("嘉陵报社".into()),
        subject: Some("四版 & 要闻".into()),
        date: IssueDate::parse("2025-10-15").unwrap(),
        bleed_pt: 0.0,
    }
}

fn serif() -> &'static ParsedFont {
    static FONT: OnceLock<ParsedFont> = OnceLock::new();
    FONT.get_or_init(|| {
        let data = FontDir::locate(None).expect("fonts/").load(Face::SerifRegular).expect("serif face");
        ParsedFont::from_bytes(&data, 0, &mut Vec::new()).expect("parsable serif")
    })
}

fn cmyk(c: f32, m: f32, y: f32, k: f32) -> Color {
    Color::Cmyk(Cmyk { c, m, y, k, icc_profile: None })
}

/// What can go into a test page.
#[derive(Default, Clone, Copy)]
struct Page {
    /// Leave out the red masthead line: a page of black type only.
    no_masthead: bool,
    rgb_text: bool,
    rgb_image: bool,
    link: bool,
    /// printpdf's `[x y w h]` TrimBox with an origin off (0, 0), which it then writes wrong.
    offset_trim: bool,
    transparency: bool,
    builtin_font: bool,
}

/// A broadsheet-like page the way the renderer writes one: black text in our serif through
/// printpdf's swapped overprint state, a masthead line in CMYK red, a black rule.
fn printpdf_page(page: Page) -> Vec<u8> {
    let mut doc = PdfDocument::new("test");
    let font = doc.add_font(serif());
    // What the renderer asks for to make black overprint; printpdf writes it as /OP, swapped.
    let overprint = doc.add_graphics_state(ExtendedGraphicsState::default().with_overprint_fill(true));
    let mut ops = vec![Op::LoadGraphicsState { gs: overprint }];
    if !page.no_masthead {
        ops.extend([
            Op::SetFillColor { col: cmyk(0.0, 1.0, 1.0, 0.0) },
            Op::StartTextSection,
            Op::SetFont { font: PdfFontHandle::External(font.clone()), size: Pt(48.0) },
            Op::SetTextCursor { pos: Point { x: Pt(60.0), y: Pt(1450.0) } },
            Op::ShowText { items: vec![TextItem::Text("嘉陵报".into())] },
            Op::EndTextSection,
        ]);
    }
    ops.extend([
        Op::SetFillColor { col: if page.rgb_text { Color::Rgb(Rgb { r: 0.0, g: 0.0, b: 0.0, icc_profile: None }) } else { cmyk(0.0, 0.0, 0.0, 1.0) } },
        Op::StartTextSection,
        Op::SetFont { font: PdfFontHandle::External(font.clone()), size: Pt(9.0) },
        Op::SetTextCursor { pos: Point { x: Pt(60.0), y: Pt(1300.0) } },
        Op::ShowText { items: vec![TextItem::Text("本报讯（记者 王明）昨日，嘉陵江畔新修步道正式开放。".into())] },
        Op::EndTextSection,
        Op::SetOutlineColor { col: cmyk(0.0, 0.0, 0.0, 1.0) },
        Op::SetOutlineThickness { pt: Pt(0.5) },
        Op::DrawLine {
            line: printpdf::Line {
                points: vec![
                    printpdf::LinePoint { p: Point { x: Pt(60.0), y: Pt(1290.0) }, bezier: false },
                    printpdf::LinePoint { p: Point { x: Pt(1000.0), y: Pt(1290.0) }, bezier: false },
                ],
                is_closed: false,
            },
        },
    ]);
    if page.rgb_image {
        // A 40 × 30 px photo, dark red to blue, placed 2 inches wide: 20 ppi.
        let pixels: Vec<u8> = (0..40 * 30).flat_map(|i| [(i % 40 * 6) as u8, 0, (i / 40 * 8) as u8]).collect();
        let image = RawImage {
            pixels: RawImageData::U8(pixels),
            width: 40,
            height: 30,
            data_format: RawImageFormat::RGB8,
            tag: Vec::new(),
        };
        let id = doc.add_image(&image);
        ops.push(Op::UseXobject {
            id,
            transform: XObjectTransform {
                translate_x: Some(Pt(100.0)),
                translate_y: Some(Pt(800.0)),
                dpi: Some(20.0),
                ..Default::default()
            },
        });
    }
    if page.link {
        ops.push(Op::LinkAnnotation {
            link: LinkAnnotation::new(
                PdfRect::from_xywh(Pt(60.0), Pt(1280.0), Pt(100.0), Pt(12.0)),
                Actions::Goto(Destination::Xyz { page: 1, left: None, top: None, zoom: None }),
                None,
                None,
                None,
            ),
        });
    }
    if page.transparency {
        let half = doc.add_graphics_state(ExtendedGraphicsState::default().with_current_fill_alpha(0.5));
        ops.push(Op::LoadGraphicsState { gs: half });
        ops.push(Op::DrawRectangle { rectangle: PdfRect::from_xywh(Pt(60.0), Pt(60.0), Pt(50.0), Pt(50.0)) });
    }
    if page.builtin_font {
        ops.extend([
            Op::StartTextSection,
            Op::SetFont { font: PdfFontHandle::Builtin(printpdf::BuiltinFont::Helvetica), size: Pt(9.0) },
            Op::SetTextCursor { pos: Point { x: Pt(60.0), y: Pt(100.0) } },
            Op::ShowText { items: vec![TextItem::Text("Page 1".into())] },
            Op::EndTextSection,
        ]);
    }
    let mut pdf_page = PdfPage::new(Mm(390.0), Mm(545.0), ops);
    if page.offset_trim {
        let media = pdf_page.media_box.clone();
        pdf_page.trim_box = PdfRect::from_xywh(Pt(20.0), Pt(20.0), Pt(media.width.0 - 40.0), Pt(media.height.0 - 40.0));
    }
    doc.pages.push(pdf_page);
    doc.save(&PdfSaveOptions::default(), &mut Vec::new())
}

fn rules(violations: &[Violation]) -> Vec<&'static str> {
    let mut rules: Vec<&'static str> = violations.iter().map(|v| v.rule).collect();
    rules.dedup();
    rules
}

fn has(violations: &[Violation], rule: &str, words: &str) -> bool {
    violations.iter().any(|v| v.rule == rule && v.detail.contains(words))
}

fn good() -> &'static (Vec<u8>, Vec<u8>) {
    static GOOD: OnceLock<(Vec<u8>, Vec<u8>)> = OnceLock::new();
    GOOD.get_or_init(|| {
        let raw = printpdf_page(Page::default());
        let made = make_pdfx(raw.clone(), &meta()).expect("pdfx");
        (raw, made)
    })
}

#[test]
fn printpdf_output_as_it_comes_is_not_pdfx() {
    let violations = check(&good().0);
    for (rule, words) in [
        ("info", "GTS_PDFXVersion"),
        ("info", "GTS_PDFXConformance"),
        ("xmp", "no XMP"),
        ("output-intent", "0 GTS_PDFX"),
        ("overprint (newsprint)", "do not overprint"),
    ] {
        assert!(has(&violations, rule, words), "expected {rule}: {words} in {violations:#?}");
    }
}

#[test]
fn made_file_passes_every_rule_but_font_subsetting() {
    // The fixture embeds printpdf's whole face (its subsetter needs a feature we leave off);
    // the renderer subsets, and tests/pdfx.rs holds its real output to an empty list.
    let violations = check(&good().1);
    assert_eq!(rules(&violations), [NEWSPRINT_SUBSET], "{violations:#?}");
}

#[test]
fn made_file_says_what_it_is() {
    let bytes = &good().1;
    assert!(bytes.starts_with(b"%PDF-1.3\n"));
    let doc = Document::load_mem(bytes).unwrap();
    let info = doc.get_dictionary(doc.trailer.get(b"Info").unwrap().as_reference().unwrap()).unwrap();
    let text = |key: &[u8]| decode_text_string(info.get(key).unwrap().as_str().unwrap());
    assert_eq!(text(b"Title"), "嘉陵报 2025-10-15");
    assert_eq!(text(b"Author"), "嘉陵报社");
    assert_eq!(text(b"CreationDate"), "D:20251015000000+08'00'");
    assert_eq!(text(b"GTS_PDFXVersion"), "PDF/X-1:2001");
    assert_eq!(text(b"GTS_PDFXConformance"), "PDF/X-1a:2001");
    assert_eq!(info.get(b"Trapped").unwrap().as_name().unwrap(), b"False");
    let intents = doc.catalog().unwrap().get(b"OutputIntents").unwrap().as_array().unwrap();
    let intent = doc.get_dictionary(intents[0].as_reference().unwrap()).unwrap();
    assert_eq!(intent.get(b"OutputConditionIdentifier").unwrap().as_str().unwrap(), b"IFRA26");
    assert!(!intent.has(b"DestOutputProfile"));
    let xmp = String::from_utf8_lossy(&doc.get_object(doc.catalog().unwrap().get(b"Metadata").unwrap().as_reference().unwrap()).unwrap().as_stream().unwrap().content).into_owned();
    assert!(xmp.contains("四版 &amp; 要闻"), "{xmp}");
}

#[test]
fn made_file_is_deterministic_and_its_id_follows_the_content() {
    let (raw, made) = good();
    assert_eq!(&make_pdfx(raw.clone(), &meta()).unwrap(), made, "same input, same bytes");
    let other = PdfxMeta { title: "嘉陵报 2025-10-16".into(), ..meta() };
    let id = |bytes: &[u8]| Document::load_mem(bytes).unwrap().trailer.get(b"ID").unwrap().clone();
    assert_ne!(id(&make_pdfx(raw.clone(), &other).unwrap()), id(made), "another title, another /ID");
}

#[test]
fn made_file_is_clean_for_qpdf() {
    let Some(status) = validator("qpdf", &["--version"]) else { return };
    assert!(status);
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &good().1).unwrap();
    let out = std::process::Command::new("qpdf").arg("--check").arg(file.path()).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && !text.contains("WARNING"), "{text}{}", String::from_utf8_lossy(&out.stderr));
}

/// Runs an outside tool if it is installed; `None` (with the reason printed) when it is not,
/// unless CI requires validators.
fn validator(tool: &str, args: &[&str]) -> Option<bool> {
    match std::process::Command::new(tool).args(args).output() {
        Ok(out) => Some(out.status.success()),
        Err(e) => {
            assert!(std::env::var_os("PAPERTOOL_REQUIRE_VALIDATORS").is_none(), "{tool} is required: {e}");
            eprintln!("skipped: {tool} is not installed ({e})");
            None
        }
    }
}

#[test]
fn black_text_overprints_and_the_red_knocks_out() {
    let doc = Document::load_mem(&good().1).unwrap();
    let page = *doc.get_pages().get(&1).unwrap();
    let content = String::from_utf8_lossy(&doc.get_page_content(page)).into_owned();
    let red = content.find("0 1 1 0 k").expect("masthead red");
    let knockout = content[red..].find("/PapertoolOverprintStroke gs").expect("red fill knocks out");
    let black = content[red..].find("0 0 0 1 k").expect("black body text");
    assert!(knockout < black, "{content}");
    assert!(content[red + black..].starts_with("0 0 0 1 k\n/PapertoolOverprintBoth gs"), "{content}");
    // The renderer's own state no longer carries the swapped flag.
    for state in check::graphics_states(&doc) {
        if !state.has(b"OPM") {
            assert!(!state.has(b"OP") && !state.has(b"op"), "{state:?}");
        }
    }
}

#[test]
fn rgb_text_and_images_are_caught_and_converted() {
    let raw = printpdf_page(Page { rgb_text: true, rgb_image: true, ..Page::default() });
    let before = check(&raw);
    assert!(has(&before, "colour", "DeviceRGB colour (`rg`)"), "{before:#?}");
    assert!(has(&before, "colour", "DeviceRGB"), "{before:#?}");
    let made = make_pdfx(raw, &meta()).unwrap();
    let after = check(&made);
    assert_eq!(rules(&after), [NEWSPRINT_SUBSET], "{after:#?}");
    let doc = Document::load_mem(&made).unwrap();
    let image = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .find(|s| s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image"))
        .expect("the photo");
    assert_eq!(image.dict.get(b"ColorSpace").unwrap().as_name().unwrap(), b"DeviceCMYK");
    let samples = image.get_plain_content().unwrap();
    assert_eq!(samples.len(), 40 * 30 * 4);
    let worst = samples.chunks(4).map(|p| p.iter().map(|&v| u32::from(v)).sum::<u32>()).max().unwrap();
    assert!(worst <= 561 + 4, "total ink {worst}/255 over 220 %");
    // Black RGB text became 100 % K and overprints (no overprint violation above).
    let page = *doc.get_pages().get(&1).unwrap();
    assert!(!String::from_utf8_lossy(&doc.get_page_content(page)).contains(" rg"));
}

#[test]
fn a_low_resolution_photo_is_reported_at_its_placed_size() {
    let raw = printpdf_page(Page { rgb_image: true, ..Page::default() });
    let images = placed_images(&make_pdfx(raw, &meta()).unwrap());
    assert_eq!(images.len(), 1, "{images:?}");
    assert_eq!((images[0].page, images[0].width_px, images[0].height_px), (1, 40, 30));
    assert!((images[0].ppi - 20.0).abs() < 0.5, "{images:?}");
    assert_eq!(low_resolution_images(&make_pdfx(printpdf_page(Page { rgb_image: true, ..Page::default() }), &meta()).unwrap()).len(), 1);
    assert!(low_resolution_images(&good().1).is_empty(), "no photo, no warning");
}

#[test]
fn printpdf_trim_box_and_missing_boxes_are_caught_and_fixed() {
    let raw = printpdf_page(Page { offset_trim: true, ..Page::default() });
    let before = check(&raw);
    assert!(has(&before, "boxes (newsprint)", "off centre"), "{before:#?}");
    let made = make_pdfx(raw, &meta()).unwrap();
    assert_eq!(rules(&check(&made)), [NEWSPRINT_SUBSET]);
    let doc = Document::load_mem(&made).unwrap();
    let page = doc.get_dictionary(*doc.get_pages().get(&1).unwrap()).unwrap();
    let boxes: Vec<Rect> = [&b"MediaBox"[..], b"BleedBox", b"TrimBox"].iter().map(|k| Rect::from_object(page.get(k).unwrap(), &doc).unwrap()).collect();
    assert_eq!(boxes[0], boxes[1]);
    assert_eq!(boxes[0], boxes[2]);
    assert!((boxes[0].urx - 390.0 / 25.4 * 72.0).abs() < 0.01, "{boxes:?}");
    assert!(!page.has(b"CropBox"));

    let mut doc = Document::load_mem(&made).unwrap();
    let page_id = *doc.get_pages().get(&1).unwrap();
    doc.get_dictionary_mut(page_id).unwrap().remove(b"TrimBox");
    assert!(has(&check(&save(&mut doc).unwrap()), "boxes", "no TrimBox"));
}

#[test]
fn bleed_extends_media_and_bleed_box_past_the_trim() {
    let made = make_pdfx(good().0.clone(), &PdfxMeta { bleed_pt: 9.0, ..meta() }).unwrap();
    let doc = Document::load_mem(&made).unwrap();
    let page = doc.get_dictionary(*doc.get_pages().get(&1).unwrap()).unwrap();
    let trim = Rect::from_object(page.get(b"TrimBox").unwrap(), &doc).unwrap();
    let bleed = Rect::from_object(page.get(b"BleedBox").unwrap(), &doc).unwrap();
    assert!((trim.llx - bleed.llx - 9.0).abs() < 0.01 && (bleed.ury - trim.ury - 9.0).abs() < 0.01);
    assert_eq!(rules(&check(&made)), [NEWSPRINT_SUBSET]);
}

#[test]
fn links_inside_the_trim_are_caught_and_removed() {
    let raw = printpdf_page(Page { link: true, ..Page::default() });
    let before = check(&raw);
    assert!(has(&before, "annotations", "Link annotation inside"), "{before:#?}");
    assert!(has(&before, "actions", "action on an annotation"), "{before:#?}");
    let made = make_pdfx(raw, &meta()).unwrap();
    assert_eq!(rules(&check(&made)), [NEWSPRINT_SUBSET]);
    let doc = Document::load_mem(&made).unwrap();
    assert!(!doc.get_dictionary(*doc.get_pages().get(&1).unwrap()).unwrap().has(b"Annots"));
}

#[test]
fn transparency_and_unembedded_fonts_are_refused() {
    let transparent = printpdf_page(Page { transparency: true, ..Page::default() });
    assert!(has(&check(&transparent), "transparency", "constant alpha /ca 0.5"), "{:#?}", check(&transparent));
    let error = make_pdfx(transparent, &meta()).unwrap_err().to_string();
    assert!(error.contains("transparency"), "{error}");

    let builtin = printpdf_page(Page { builtin_font: true, ..Page::default() });
    assert!(has(&check(&builtin), "fonts", "Helvetica is not embedded"), "{:#?}", check(&builtin));
    let error = make_pdfx(builtin, &meta()).unwrap_err().to_string();
    assert!(error.contains("not embedded"), "{error}");
}

/// The made file, edited with lopdf to break one rule.
fn broken(edit: impl FnOnce(&mut Document)) -> Vec<Violation> {
    let mut doc = Document::load_mem(&good().1).unwrap();
    edit(&mut doc);
    check(&save(&mut doc).unwrap())
}

#[test]
fn a_newer_version_is_caught() {
    assert!(has(&broken(|d| d.version = "1.7".into()), "version", "%PDF-1.7"));
}

#[test]
fn lzw_is_caught_and_reencoded() {
    // "\x80\x0b\x60\x50\x22\x0c\x0c\x85\x01" is `-----A---B` in LZW (the PDF reference's example).
    let lzw = vec![0x80, 0x0b, 0x60, 0x50, 0x22, 0x0c, 0x0c, 0x85, 0x01];
    let add = |d: &mut Document| {
        let stream = Stream::new(Dictionary::from_iter([("Filter", Object::from("LZWDecode"))]), lzw.clone()).with_compression(false);
        let id = d.add_object(stream);
        d.catalog_mut().unwrap().set("PieceInfo", Object::Reference(id));
    };
    assert!(has(&broken(add), "filters", "LZW"));
    let mut doc = Document::load_mem(&good().0).unwrap();
    add(&mut doc);
    let made = make_pdfx(save(&mut doc).unwrap(), &meta()).unwrap();
    assert!(!has(&check(&made), "filters", "LZW"));
    let doc = Document::load_mem(&made).unwrap();
    let piece = doc.get_object(doc.catalog().unwrap().get(b"PieceInfo").unwrap().as_reference().unwrap()).unwrap();
    assert_eq!(piece.as_stream().unwrap().get_plain_content().unwrap(), b"-----A---B");
}

#[test]
fn javascript_is_caught_and_refused() {
    let add = |d: &mut Document| {
        let action = Dictionary::from_iter([("S", Object::from("JavaScript")), ("JS", Object::string_literal("app.alert(1)"))]);
        d.catalog_mut().unwrap().set("OpenAction", Object::Dictionary(action));
    };
    assert!(has(&broken(add), "actions", "JavaScript"));
    let mut doc = Document::load_mem(&good().0).unwrap();
    add(&mut doc);
    assert!(make_pdfx(save(&mut doc).unwrap(), &meta()).is_err());
}

#[test]
fn info_and_xmp_disagreeing_or_invalid_are_caught() {
    let info_id = |d: &Document| d.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let bad_date = broken(|d| {
        let id = info_id(d);
        d.get_dictionary_mut(id).unwrap().set("ModDate", Object::string_literal("D:20251340000000Z"));
    });
    assert!(has(&bad_date, "info", "ModDate"), "{bad_date:#?}");
    let other_title = broken(|d| {
        let id = info_id(d);
        d.get_dictionary_mut(id).unwrap().set("Title", text_string("另一份报纸"));
    });
    assert!(has(&other_title, "xmp", "dc:title"), "{other_title:#?}");
    let unknown_trapping = broken(|d| {
        let id = info_id(d);
        d.get_dictionary_mut(id).unwrap().set("Trapped", Object::from("Unknown"));
    });
    assert!(has(&unknown_trapping, "info", "Trapped"));
    let broken_xml = broken(|d| {
        let id = d.catalog().unwrap().get(b"Metadata").unwrap().as_reference().unwrap();
        let stream = d.get_object_mut(id).unwrap().as_stream_mut().unwrap();
        let text = String::from_utf8(stream.content.clone()).unwrap().replace("</dc:format>", "");
        stream.set_content(text.into_bytes());
    });
    assert!(has(&broken_xml, "xmp", "not well-formed"), "{broken_xml:#?}");
}

#[test]
fn a_second_or_missing_output_intent_is_caught() {
    let none = broken(|d| {
        d.catalog_mut().unwrap().remove(b"OutputIntents");
    });
    assert!(has(&none, "output-intent", "0 GTS_PDFX"));
    let coated = broken(|d| {
        let intents = d.catalog().unwrap().get(b"OutputIntents").unwrap().as_array().unwrap().clone();
        let id = intents[0].as_reference().unwrap();
        let intent = d.get_dictionary_mut(id).unwrap();
        intent.set("OutputConditionIdentifier", Object::string_literal("FOGRA39"));
        intent.remove(b"RegistryName");
    });
    assert!(has(&coated, "output-intent", "no RegistryName"), "{coated:#?}");
    assert!(has(&coated, "output-intent (newsprint)", "FOGRA39"), "{coated:#?}");
}

#[test]
fn issue_dates_are_validated() {
    assert_eq!(IssueDate::parse("2025-09-01"), Some(IssueDate { year: 2025, month: 9, day: 1 }));
    assert_eq!(IssueDate::parse("2024-02-29").map(|d| d.day), Some(29));
    assert_eq!(IssueDate::parse("2025-02-29"), None);
    assert_eq!(IssueDate::parse("2025-13-01"), None);
    assert_eq!(IssueDate::parse("九月一日"), None);
    assert_eq!(IssueDate::parse("2025-09-01").unwrap().pdf_date(), "D:20250901000000+08'00'");
}

#[test]
fn an_opentype_font_program_becomes_a_bare_cff_for_pdf_1_3() {
    let otf = FontDir::locate(None).unwrap().load(Face::SerifRegular).unwrap().to_vec();
    assert!(otf.starts_with(b"OTTO"));
    let mut doc = Document::load_mem(&good().0).unwrap();
    let program = doc
        .objects
        .iter()
        .find(|(_, o)| o.as_stream().is_ok_and(|s| s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"CIDFontType0C")))
        .map(|(id, _)| *id)
        .unwrap();
    let wrapped = Stream::new(Dictionary::from_iter([("Subtype", Object::from("OpenType"))]), otf);
    doc.objects.insert(program, Object::Stream(wrapped));
    let raw = save(&mut doc).unwrap();
    assert!(has(&check(&raw), "fonts", "OpenType (PDF 1.6)"));
    let made = make_pdfx(raw, &meta()).unwrap();
    assert_eq!(rules(&check(&made)), [NEWSPRINT_SUBSET]);
    let doc = Document::load_mem(&made).unwrap();
    let cff = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .find(|s| s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"CIDFontType0C"))
        .expect("the unwrapped program");
    // A CFF header: major version 1, header size 4.
    assert_eq!(&cff.get_plain_content().unwrap()[..3], &[1, 0, 4]);
}

#[test]
fn printpdf_page_mode_string_becomes_a_name() {
    let mut doc = Document::load_mem(&good().0).unwrap();
    doc.catalog_mut().unwrap().set("PageMode", Object::string_literal("UseOutlines"));
    let made = make_pdfx(save(&mut doc).unwrap(), &meta()).unwrap();
    let doc = Document::load_mem(&made).unwrap();
    assert_eq!(doc.catalog().unwrap().get(b"PageMode").unwrap().as_name().unwrap(), b"UseOutlines");
}

/// Ghostscript's ink coverage of each page, `[c, m, y, k]` as fractions of the page area.
fn ink_coverage(pdf: &[u8]) -> Option<Vec<[f64; 4]>> {
    validator("gs", &["--version"])?;
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), pdf).unwrap();
    let out = std::process::Command::new("gs").args(["-q", "-o", "-", "-sDEVICE=inkcov"]).arg(file.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let pages = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.contains("CMYK"))
        .map(|l| {
            let v: Vec<f64> = l.split_whitespace().take(4).map(|n| n.parse().unwrap()).collect();
            [v[0], v[1], v[2], v[3]]
        })
        .collect();
    Some(pages)
}

#[test]
fn black_type_prints_on_the_black_plate_alone() {
    // Even when the renderer hands over RGB black: the pass makes it K.
    let raw = printpdf_page(Page { no_masthead: true, rgb_text: true, ..Page::default() });
    let Some(pages) = ink_coverage(&make_pdfx(raw, &meta()).unwrap()) else { return };
    let [c, m, y, k] = pages[0];
    assert_eq!([c, m, y], [0.0, 0.0, 0.0], "{:?}", pages[0]);
    assert!(k > 0.0, "{:?}", pages[0]);
}

#[test]
fn the_masthead_red_is_magenta_and_yellow_without_cyan() {
    let Some(pages) = ink_coverage(&good().1) else { return };
    let [c, m, y, k] = pages[0];
    assert_eq!(c, 0.0, "{:?}", pages[0]);
    assert!(m > 0.0 && y > 0.0 && k > 0.0, "{:?}", pages[0]);
}

#[test]
fn metadata_comes_from_the_masthead_and_a_missing_date_is_refused() {
    let mut issue = crate::model::Issue {
        schema: crate::model::SCHEMA.into(),
        encoding: None,
        masthead: crate::model::Masthead {
            paper: Some("嘉陵报".into()),
            date: Some("2025-10-15".into()),
            issue_number: Some(77),
            total_issue_number: Some(3021),
            page_count: 4,
            publisher: Some("中共嘉陵区委主办".into()),
            ..Default::default()
        },
        pages: Vec::new(),
        warnings: Vec::new(),
    };
    let meta = PdfxMeta::for_issue(&issue, 0.0).unwrap();
    assert_eq!(meta.title, "嘉陵报 2025-10-15");
    assert_eq!(meta.author.as_deref(), Some("中共嘉陵区委主办"));
    assert_eq!(meta.subject.as_deref(), Some("第77期 总第3021期 今日4版"));
    assert_eq!(meta.date, IssueDate { year: 2025, month: 10, day: 15 });
    issue.masthead.date = None;
    let error = PdfxMeta::for_issue(&issue, 0.0).unwrap_err().to_string();
    assert!(error.contains("no issue date") && error.contains("--no-pdfx"), "{error}");
}

#[test]
fn opi_and_external_files_are_caught() {
    let opi = broken(|d| {
        let id = d.add_object(Dictionary::from_iter([("OPI", Object::Dictionary(Dictionary::new()))]));
        d.catalog_mut().unwrap().set("PieceInfo", Object::Reference(id));
    });
    assert!(has(&opi, "structure", "OPI"), "{opi:#?}");
    let file = broken(|d| {
        let spec = Dictionary::from_iter([("Type", Object::from("Filespec")), ("F", Object::string_literal("photo.tif"))]);
        d.catalog_mut().unwrap().set("PieceInfo", Object::Dictionary(spec));
    });
    assert!(has(&file, "structure", "file specification"), "{file:#?}");
}

/// A page's operations as text, whitespace normalized, each run of the same graphics state
/// selected again and again kept once.
fn operations(doc: &Document, page: ObjectId) -> Vec<String> {
    let content = doc.get_page_content(page);
    let mut scanner = super::content::Scanner::new(&content);
    let mut ops: Vec<String> = Vec::new();
    while let Some(op) = scanner.next_operation().unwrap() {
        let text = String::from_utf8_lossy(&content[op.start..op.end]).split_whitespace().collect::<Vec<_>>().join(" ");
        if !(op.operator == b"gs" && ops.last() == Some(&text)) {
            ops.push(text);
        }
    }
    ops
}

#[test]
fn the_renderers_content_is_what_the_rewrite_would_make_of_it() {
    use crate::pdf::frame::{Color as Ink, Frame, Item};
    use crate::pdf::text::{set, shape::tests::fonts, Style};
    let mut frame = Frame::new(300.0, 400.0);
    let body = set(fonts(), "江边的老码头清晨五点就热闹起来，挑夫和摊贩挤在石阶上。", &Style::body(9.0), 117.0, 1);
    for (i, line) in body.lines.into_iter().enumerate() {
        let color = if i == 1 { Ink::cmyk(0.0, 1.0, 1.0, 0.0) } else { Ink::BLACK };
        frame.items.push(Item::Text { x: 20.0, y_baseline: 40.0 + 12.0 * i as f32, line, size: 9.0, color });
    }
    frame.items.push(Item::Rule { from: (20.0, 10.0), to: (137.0, 10.0), width: 0.5, color: Ink::BLACK });
    frame.items.push(Item::Rect { x: 10.0, y: 100.0, w: 50.0, h: 20.0, stroke: Some((0.6, Ink::BLACK)), fill: Some(Ink::cmyk(0.0, 0.0, 0.0, 0.08)) });
    frame.items.push(Item::Rect { x: 70.0, y: 100.0, w: 50.0, h: 20.0, stroke: None, fill: Some(Ink::cmyk(1.0, 1.0, 1.0, 1.0)) });
    let doc = crate::pdf::render::render(fonts(), &[frame], &crate::pdf::render::DocMeta::default()).unwrap();
    let mut kept_doc = doc.clone();
    make_print_ready(&mut kept_doc, &meta(), ContentStreams::PressReady, &mut PreparedPhotos::default()).unwrap();
    let mut rewritten = doc;
    make_print_ready(&mut rewritten, &meta(), ContentStreams::Foreign, &mut PreparedPhotos::default()).unwrap();
    let page = |d: &Document| *d.get_pages().values().next().unwrap();
    let kept = operations(&kept_doc, page(&kept_doc));
    let rewritten = operations(&rewritten, page(&rewritten));
    // The rewrite puts its own start (CMYK black, overprinting) before the renderer's, the same.
    assert_eq!(rewritten[..3], kept[..3]);
    assert_eq!(rewritten[3..], kept[..], "the rewrite would change the renderer's content");
    assert!(kept.iter().any(|op| op.ends_with("PapertoolOverprintStroke gs")), "the red knocks out");
    let found = check(&crate::pdf::serialize::save(kept_doc).unwrap());
    let colour_rules = ["colour", "overprint (newsprint)", "ink (newsprint)"];
    assert!(!found.iter().any(|v| colour_rules.contains(&v.rule)), "{found:?}");
}
