//! Hostile input, whole command: `papertool all ISSUE -o OUT` on every kind of bad input an
//! extraction tool or a mistaken argument gives. Each case must end with the right exit code, a
//! clear message, no panic, no partial or temporary file, within a time limit and under 1 GiB of
//! peak memory (measured with `/usr/bin/time -v` when installed, else by sampling the child's
//! `VmHWM`).

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_papertool");
/// A case still running after this is killed and fails: no input may make papertool hang.
const TIME_LIMIT: Duration = Duration::from_secs(60);
/// Peak resident memory allowed for one run.
const MEMORY_LIMIT_KB: u64 = 1024 * 1024;

const MASTHEAD: &str = "# 测试报\n\n2025年10月15日 星期三\n\n第1期\n\n今日4版\n\n";
const BODY: &str = "## 城区新建口袋公园十二座\n\n本报讯（记者 李明）今年以来，城区利用边角空地新建口袋公园十二座，方便市民就近休闲。\n\n";

/// Makes a case's issue (`issue.txt`), writing any files it needs into the case's folder.
type MakeIssue = Box<dyn Fn(&Path) -> Vec<u8>>;

/// What a case writes into its folder: the issue (`issue.txt`) and any files beside it.
struct Case {
    name: &'static str,
    issue: MakeIssue,
    /// Exit status expected.
    status: i32,
    /// Which editions must exist afterwards (complete); the others must not exist at all.
    epub: bool,
    pdf: bool,
    /// A phrase the messages must contain.
    message: Option<&'static str>,
    /// Characters that must reach the EPUB's text.
    kept: &'static str,
    /// Options after `all ISSUE -o OUT`.
    args: &'static [&'static str],
}

fn text(s: String) -> MakeIssue {
    Box::new(move |_| s.clone().into_bytes())
}

/// A PNG whose header claims `w`×`h` pixels, with a token IDAT: enough for a decoder to try to
/// allocate the whole image if no limit stops it.
fn png_claiming(w: u32, h: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&crc32(&[&kind[..], data].concat()).to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
    chunk(&mut out, b"IEND", &[]);
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn with_photo(src: &'static str) -> String {
    format!("{MASTHEAD}## 滨江步道全线贯通\n\n![江边步道](  {src}  )\n\n步道全长八公里，沿线设有驿站六处。\n\n")
        .replace("(  ", "(")
        .replace("  )", ")")
}

fn cases() -> Vec<Case> {
    let ok = |name, issue, message: Option<&'static str>, kept| Case { name, issue, status: 0, epub: true, pdf: true, message, kept, args: &[] };
    let bad = |name, issue, message| Case { name, issue, status: 2, epub: false, pdf: false, message: Some(message), kept: "", args: &[] };
    // The EPUB reflows and takes any length; four pages do not.
    let no_fit = |name, issue| Case { name, issue, status: 1, epub: true, pdf: false, message: Some("pages cannot hold all the content"), kept: "", args: &[] };
    vec![
        bad("empty", text(String::new()), "empty"),
        bad("whitespace only", text(" \n\t\n　\r\n".into()), "only whitespace"),
        bad("binary", Box::new(|_| (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect()), "not a text file"),
        bad("PDF renamed .txt", Box::new(|_| b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\nstream\n\x00\x01\x02endstream\n%%EOF\n".to_vec()), "is a PDF file"),
        bad("invalid UTF-8 and not GB18030", Box::new(|_| [MASTHEAD.as_bytes(), b"\xff\xfe\x80\xff\x81\x30\xff abc \xc3\x28 \xa0\xa1\xff\n"].concat()), "decode"),
        no_fit("60 MiB of text", Box::new(|_| {
            let mut out = MASTHEAD.to_string();
            while out.len() < 60 * 1024 * 1024 {
                out.push_str(BODY);
            }
            out.into_bytes()
        })),
        no_fit("one 1 MiB line without punctuation", text(format!("{MASTHEAD}## 长文\n\n{}\n", "城区新建口袋公园".repeat(1024 * 1024 / 24)))),
        // Hundreds of short articles: once no make-up of a page can take more, its search stops
        // trying the rest on each (it was about cubic in the articles: 800 took over a minute).
        no_fit("800 short articles", text(format!("{MASTHEAD}{}", (0..800).map(|i| format!("## 城区新建口袋公园第{i}座\n\n本报讯（记者 李明）今年以来，城区利用边角空地新建口袋公园，方便市民就近休闲。\n\n")).collect::<String>()))),
        no_fit("10 000 headlines and no body", text(format!("{MASTHEAD}{}", (0..10_000).map(|i| format!("## 第{i}条消息\n\n")).collect::<String>()))),
        ok("only a masthead", text(MASTHEAD.into()), None, "测试报"),
        // PDF/X needs the issue's date for its CreationDate: the print edition is refused with
        // the way out, the e-reader edition is made; the screen edition is made too.
        Case { status: 2, pdf: false, ..ok("no masthead", text(BODY.into()), Some("use --no-pdfx"), "口袋公园") },
        Case { args: &["--no-pdfx"], ..ok("no masthead, screen edition", text(BODY.into()), None, "口袋公园") },
        // 100 000 `#` are a paragraph of that many marks: more than four pages hold.
        no_fit("deeply repeated #", text(format!("{MASTHEAD}{} 标题\n\n正文一段。\n", "#".repeat(100_000)))),
        ok("unmatched (下转", text(format!("{MASTHEAD}{BODY}市民纷纷点赞（下转\n\n(下转\n")), None, "点赞"),
        ok("a jump to page 99", text(format!("{MASTHEAD}{BODY}公园还将增加（下转99版）\n")), Some("99"), "增加"),
        ok("missing photo", text(with_photo("gone.jpg")), Some("gone.jpg"), "步道"),
        Case { issue: Box::new(|dir| { std::fs::write(dir.join("bad.jpg"), b"\xff\xd8\xff\xe0 not really a jpeg").unwrap(); with_photo("bad.jpg").into_bytes() }), ..ok("corrupt photo", Box::new(|_| Vec::new()), Some("bad.jpg"), "步道") },
        Case { issue: Box::new(|dir| { std::fs::write(dir.join("huge.png"), png_claiming(20_000, 20_000)).unwrap(); with_photo("huge.png").into_bytes() }), ..ok("20000×20000 photo", Box::new(|_| Vec::new()), Some("huge.png"), "步道") },
        Case { issue: Box::new(|dir| { write_secret(dir); with_photo("../secret/photo.jpg").into_bytes() }), ..ok("photo outside the issue folder", Box::new(|_| Vec::new()), Some("outside"), "步道") },
        Case { issue: Box::new(|_| with_photo("../../../../../../etc/passwd").into_bytes()), ..ok("photo ../../etc/passwd", Box::new(|_| Vec::new()), Some("outside"), "步道") },
        Case { issue: Box::new(|dir| { let p = write_secret(dir); with_photo(Box::leak(p.display().to_string().into_boxed_str())).into_bytes() }), ..ok("photo by absolute path", Box::new(|_| Vec::new()), Some("outside"), "步道") },
        ok("characters outside every font", text(format!("{MASTHEAD}## 𠀀𪚥姓氏\n\n居民𠮷先生说：“太好了😀👍🏽”。\n")), None, "𠀀𪚥𠮷"),
        ok("right-to-left and combining marks", text(format!("{MASTHEAD}{BODY}外宾致辞：שָׁלוֹם、مرحبا、café、e\u{301}\u{302}\u{303}。\n")), None, "外宾致辞"),
        no_fit("an over-full issue", Box::new(|_| {
            let sample = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/jialing-2025-10-15.txt")).unwrap();
            // Each page's content four times over: four pages cannot hold it.
            sample.repeat(4).into_bytes()
        })),
    ]
}

/// A valid little JPEG outside the issue's folder, which must never be read into a book.
fn write_secret(issue_dir: &Path) -> PathBuf {
    let dir = issue_dir.parent().unwrap().join("secret");
    std::fs::create_dir_all(&dir).unwrap();
    let photo = dir.join("photo.jpg");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/images/jialing-riverside.jpg"), &photo).unwrap();
    photo
}

struct Run {
    status: Option<i32>,
    stderr: String,
    peak_kb: Option<u64>,
    elapsed: Duration,
}

/// Runs papertool with a time limit, measuring its peak memory.
fn run(args: &[&std::ffi::OsStr]) -> Run {
    let time = Path::new("/usr/bin/time");
    let mut cmd = if time.is_file() {
        let mut c = Command::new(time);
        c.arg("-v").arg(BIN);
        c
    } else {
        Command::new(BIN)
    };
    cmd.args(args).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
    // Its own process group, so that a timeout kills papertool and not only `time` around it.
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let started = Instant::now();
    let mut child = cmd.spawn().unwrap();
    let mut stderr_pipe = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut stderr_pipe, &mut s).unwrap();
        String::from_utf8_lossy(&s).into_owned()
    });
    let mut sampled = 0u64;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if started.elapsed() > TIME_LIMIT {
            let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", child.id())]).status();
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        if let Ok(s) = std::fs::read_to_string(format!("/proc/{}/status", child.id())) {
            if let Some(kb) = s.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok()) {
                sampled = sampled.max(kb);
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let elapsed = started.elapsed();
    let stderr = reader.join().unwrap();
    let from_time = stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
        .and_then(|v| v.trim().parse().ok());
    let peak_kb = from_time.or((sampled > 0).then_some(sampled));
    // `time -v` appends its report; the command's own messages are what precedes it.
    let stderr = match stderr.find("\tCommand being timed:") {
        Some(at) => stderr[..at].to_string(),
        None => stderr,
    };
    Run { status, stderr, peak_kb, elapsed }
}


#[test]
fn hostile_inputs() {
    let mut failures = Vec::new();
    for case in cases() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("issue");
        let out = root.path().join("out");
        std::fs::create_dir_all(&dir).unwrap();
        let issue = dir.join("issue.txt");
        let bytes = (case.issue)(&dir);
        std::fs::File::create(&issue).unwrap().write_all(&bytes).unwrap();
        drop(bytes);
        let mut args = vec!["all".as_ref(), issue.as_os_str(), "-o".as_ref(), out.as_os_str()];
        args.extend(case.args.iter().map(std::ffi::OsStr::new));
        let r = run(&args);
        let mut problems = Vec::new();
        match r.status {
            None => problems.push(format!("killed after {:?} (or by a signal)", r.elapsed)),
            Some(s) if s != case.status => problems.push(format!("exit {s}, expected {}", case.status)),
            _ => {}
        }
        if r.stderr.contains("panicked") {
            problems.push("panicked".into());
        }
        if case.status != 0 && !r.stderr.lines().any(|l| l.starts_with("papertool: ") && l.contains("issue.txt")) {
            problems.push("no `papertool: FILE: reason` line".into());
        }
        if let Some(m) = case.message {
            if !r.stderr.contains(m) {
                problems.push(format!("messages do not mention {m:?}"));
            }
        }
        if let Some(kb) = r.peak_kb {
            if kb > MEMORY_LIMIT_KB {
                problems.push(format!("peak memory {} MiB", kb / 1024));
            }
        }
        let left: Vec<String> = std::fs::read_dir(&out)
            .map(|d| d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect())
            .unwrap_or_default();
        if left.iter().any(|n| n.ends_with(".tmp")) {
            problems.push(format!("temporary files left: {left:?}"));
        }
        let epub = out.join("issue.epub");
        let pdf = out.join("issue.pdf");
        if epub.exists() != case.epub || pdf.exists() != case.pdf {
            problems.push(format!("outputs {left:?}, expected epub {} pdf {}", case.epub, case.pdf));
        }
        if pdf.exists() {
            let b = std::fs::read(&pdf).unwrap();
            if !b.starts_with(b"%PDF-") || !b.trim_ascii_end().ends_with(b"%%EOF") {
                problems.push("PDF incomplete".into());
            }
        }
        if epub.exists() {
            let t = common::epub_text(&epub);
            for ch in case.kept.chars() {
                if !t.contains(ch) {
                    problems.push(format!("{ch:?} lost from the EPUB"));
                }
            }
            let secret = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/images/jialing-riverside.jpg")).unwrap();
            let raw = std::fs::read(&epub).unwrap();
            let outside = case.name.contains("outside") || case.name.contains("absolute");
            if outside && raw.windows(64).any(|w| w == &secret[secret.len() / 2..secret.len() / 2 + 64]) {
                problems.push("a photo outside the issue folder was read into the book".into());
            }
        }
        eprintln!(
            "{:40} exit {:?} in {:.1} s, peak {} — {}",
            case.name,
            r.status,
            r.elapsed.as_secs_f64(),
            r.peak_kb.map_or("unmeasured".into(), |k| format!("{} MiB", k / 1024)),
            r.stderr.lines().find(|l| l.starts_with("papertool:") || l.contains("warning")).unwrap_or("")
        );
        if !problems.is_empty() {
            failures.push(format!("{}: {}\n    stderr: {}", case.name, problems.join("; "), r.stderr.lines().take(4).collect::<Vec<_>>().join(" | ")));
        }
    }
    assert!(failures.is_empty(), "{} hostile cases failed:\n{}", failures.len(), failures.join("\n"));
}
