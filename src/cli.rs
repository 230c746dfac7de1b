//! Command-line interface: argument parsing and reporting, nothing else. Every subcommand is a
//! call into the library and a mapping of its result to messages and an exit code.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use papertool::epub;
use papertool::error::{exit, Error};
use papertool::frontend;
use papertool::model::{Block, Issue, Warning};
use papertool::output::write_atomic;
use papertool::pdf::edition;
use papertool::pdf::layout::template::Template;
use papertool::pdf::pdfx;

const PARSE_EXAMPLES: &str = "Example:\n  papertool parse samples/jialing-2025-10-15.txt -o issue.json\n\n\
Prints the model as JSON (schema papertool.issue/1); warnings go to stderr as FILE:LINE: warning: ….\n\
ISSUE may be the model's JSON itself, or - for stdin.\n\n\
Exit status: 0 done (warnings allowed), 1 cannot write the output, 2 unusable input.";

const PDF_EXAMPLES: &str = "Example:\n  papertool pdf samples/jialing-2025-10-15.txt -o jialing.pdf\n\n\
Writes the edition as the paper prints it: the masthead's page count (今日N版, 4 by default), each page\n\
made up on the template's column grid. Without -o the PDF goes next to ISSUE with the extension .pdf.\n\
Content that does not fit the pages is an error listing what is left over, and nothing is written.\n\
The file is PDF/X-1a:2001 for coldset newsprint (output intent IFRA26) unless --no-pdfx asks for a\n\
screen edition with jump links; an issue without a date in its masthead needs --no-pdfx.\n\n\
Exit status: 0 done (warnings allowed), 1 failed (content does not fit, cannot write), 2 unusable input.";

const CHECK_EXAMPLES: &str = "Example:\n  papertool check --strict samples/jialing-2025-10-15.txt\n\n\
Prints the pages and, per article, its page, headline, kicker, subtitle, byline, paragraph count and\n\
jump, then every warning as FILE:LINE: warning: ….\n\n\
Exit status: 0 done (warnings allowed), 1 --strict and there were warnings, 2 unusable input.";

const EPUB_EXAMPLES: &str = "Examples:\n  papertool epub samples/jialing-2025-10-15.txt   writes samples/jialing-2025-10-15.epub\n  \
papertool epub issue.json -o book.epub --no-embed-fonts\n\n\
ISSUE is the issue's text or its model's JSON (from papertool parse), or - for stdin (then -o is\n\
needed). Photos named in it (![alt](path)) are read relative to its folder. SOURCE_DATE_EPOCH, when\n\
set, is the book's modification time; otherwise the issue's date is.\n\n\
Exit status: 0 done (warnings allowed), 1 failed or --strict saw warnings, 2 unusable input.";

#[derive(Parser)]
#[command(
    name = "papertool",
    version,
    about = "Chinese newspaper issue text → EPUB 3 and broadsheet PDF",
    after_help = concat!(
        "Examples:\n",
        "  papertool parse issue.txt -o issue.json   the issue's model as JSON\n",
        "  papertool check --strict issue.txt        a summary and every warning\n",
        "  papertool epub issue.txt                  the e-reader edition, issue.epub\n",
        "  papertool pdf issue.txt                   the broadsheet PDF, as issue.pdf\n\n",
        "Exit status: 0 done (warnings allowed), 1 failed or --strict saw warnings, 2 unusable input."
    )
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the issue's model (masthead, pages, articles, blocks) as JSON.
    #[command(after_help = PARSE_EXAMPLES)]
    Parse {
        /// The issue's text (UTF-8, UTF-16 with BOM or GB18030), its model's JSON, or - for stdin.
        issue: PathBuf,
        /// Where to write the JSON; - (the default) is stdout.
        #[arg(short, long, default_value = "-")]
        output: PathBuf,
    },
    /// Summarize the issue's structure and list every warning.
    #[command(after_help = CHECK_EXAMPLES)]
    Check {
        /// The issue's text, its model's JSON, or - for stdin.
        issue: PathBuf,
        /// Exit with status 1 when there are warnings.
        #[arg(long)]
        strict: bool,
    },
    /// Write the issue as a reflowable EPUB 3 for e-readers.
    #[command(after_help = EPUB_EXAMPLES)]
    Epub {
        /// The issue's text, its model's JSON, or - for stdin.
        issue: PathBuf,
        /// Where to write the book [default: ISSUE with the extension .epub, beside it].
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Leave out the font subsets: a smaller book, shown in the reader's own Chinese fonts.
        #[arg(long)]
        no_embed_fonts: bool,
        /// The folder of papertool's faces [default: $PAPERTOOL_FONT_DIR, fonts/ beside the
        /// executable, the source tree's fonts/].
        #[arg(long, value_name = "DIR")]
        font_dir: Option<PathBuf>,
        /// Write nothing and exit with status 1 when there are warnings.
        #[arg(long)]
        strict: bool,
    },
    /// Write the broadsheet PDF edition.
    #[command(after_help = PDF_EXAMPLES)]
    Pdf {
        /// The issue's text, its model's JSON, or - for stdin.
        issue: PathBuf,
        /// Where to write the PDF (- for stdout); default: ISSUE with the extension .pdf.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// A page template (TOML, or JSON by extension); default: the built-in 对开 broadsheet.
        #[arg(long, value_name = "FILE")]
        template: Option<PathBuf>,
        /// Page count of the edition; default: the masthead's (今日N版), else 4.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=64))]
        pages: Option<u32>,
        /// Folder holding the fonts; default: $PAPERTOOL_FONT_DIR, beside the binary, or the source tree's.
        #[arg(long, value_name = "DIR")]
        font_dir: Option<PathBuf>,
        /// Print-ready PDF/X-1a:2001 for coldset newsprint (the default): CMYK, black overprinting, no links.
        #[arg(long, overrides_with = "no_pdfx")]
        pdfx: bool,
        /// A screen edition instead: jump links and outline for reading on a computer, no PDF/X claim.
        #[arg(long, overrides_with = "pdfx")]
        no_pdfx: bool,
    },
    /// Check PDFs against PDF/X-1a:2001 and papertool's newsprint rules; exit 1 if one fails.
    #[command(name = "pdfx-check", hide = true)]
    PdfxCheck {
        /// The PDF files to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

pub fn run() -> i32 {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Parse { issue, output } => parse(&issue, &output),
        Command::Check { issue, strict } => check(&issue, strict),
        Command::Epub { issue, output, no_embed_fonts, font_dir, strict } => {
            epub(&issue, output.as_deref(), !no_embed_fonts, font_dir, strict)
        }
        Command::Pdf { issue, output, template, pages, font_dir, no_pdfx, .. } => pdf(&issue, output, template, pages, font_dir, !no_pdfx),
        Command::PdfxCheck { files } => Ok(pdfx_check(&files)),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("papertool: {e}");
            e.exit_code()
        }
    }
}

fn parse(path: &Path, output: &Path) -> Result<i32, Error> {
    let issue = frontend::load(path)?;
    report_input(path, &issue);
    let mut json = serde_json::to_vec_pretty(&issue).map_err(|e| Error::failed(format!("cannot write the model as JSON: {e}")))?;
    json.push(b'\n');
    write_atomic(output, &json)?;
    Ok(exit::OK)
}

fn pdf(path: &Path, output: Option<PathBuf>, template: Option<PathBuf>, pages: Option<u32>, font_dir: Option<PathBuf>, print: bool) -> Result<i32, Error> {
    let issue = frontend::load(path)?;
    report_input(path, &issue);
    let base = if path == Path::new("-") { Path::new(".") } else { path.parent().unwrap_or(Path::new(".")) };
    let mut opts = edition::Options::new(base);
    if let Some(t) = template {
        opts.template = Template::load(&t)?;
    }
    opts.pages = pages;
    opts.font_dir = font_dir;
    opts.print = print;
    let output = output.unwrap_or_else(|| if path == Path::new("-") { PathBuf::from("-") } else { path.with_extension("pdf") });
    let shown = frontend::decode::display_name(path);
    if print {
        // An undated issue cannot be a PDF/X file: the input's fault, said before any work.
        pdfx::PdfxMeta::for_issue(&issue, 0.0).map_err(|e| Error::input(&shown, e.to_string()))?;
    }
    let (bytes, warnings) = edition::write(&issue, &opts)?;
    let _ = write_warnings(&mut std::io::stderr().lock(), &shown, &warnings);
    write_atomic(&output, &bytes)?;
    Ok(exit::OK)
}

fn check(path: &Path, strict: bool) -> Result<i32, Error> {
    let issue = frontend::load(path)?;
    let shown = frontend::decode::display_name(path);
    let mut out = std::io::stdout().lock();
    let written = write_summary(&mut out, &shown, &issue).and_then(|_| write_warnings(&mut out, &shown, &issue.warnings));
    written.map_err(|e| Error::failed(format!("-: cannot write to stdout: {e}")))?;
    Ok(if strict && !issue.warnings.is_empty() { exit::FAILED } else { exit::OK })
}

fn epub(path: &Path, output: Option<&Path>, embed_fonts: bool, font_dir: Option<PathBuf>, strict: bool) -> Result<i32, Error> {
    // Stdin has no name to give the book: say so before reading it.
    let output = match output {
        Some(o) => o.to_path_buf(),
        None => default_output(path, "epub")?,
    };
    let issue = frontend::load(path)?;
    report_input(path, &issue);
    let options = epub::Options {
        embed_fonts,
        font_dir,
        image_dir: issue_folder(path),
        source_date_epoch: epub::metadata::source_date_epoch_from_env().map_err(Error::failed)?,
    };
    let book = epub::build(&issue, &options)?;
    let shown = frontend::decode::display_name(path);
    let _ = write_warnings(&mut std::io::stderr().lock(), &shown, &book.warnings);
    if strict && !(issue.warnings.is_empty() && book.warnings.is_empty()) {
        eprintln!("papertool: {shown}: warnings and --strict: {} not written", output.display());
        return Ok(exit::FAILED);
    }
    write_atomic(&output, &book.bytes)?;
    Ok(exit::OK)
}

/// The folder an issue's photos are relative to: the issue file's own (the working folder for
/// stdin).
fn issue_folder(path: &Path) -> PathBuf {
    match path.parent() {
        Some(dir) if path != Path::new("-") && !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `issue.txt` → `issue.epub`, beside it. Stdin has no name to take, and an input that already
/// has the output's extension would be overwritten: both need `-o`.
fn default_output(input: &Path, extension: &str) -> Result<PathBuf, Error> {
    let shown = frontend::decode::display_name(input);
    if input == Path::new("-") {
        return Err(Error::input(shown, format!("reading stdin: name the output with -o FILE.{extension}")));
    }
    if input.extension().is_some_and(|e| e.eq_ignore_ascii_case(extension)) {
        return Err(Error::input(shown, format!("already a .{extension} file: name the output with -o")));
    }
    Ok(input.with_extension(extension))
}

/// For every subcommand that reads an issue: on stderr, a note naming the encoding when it was
/// not UTF-8, then every warning as `FILE:LINE: warning: …`.
pub fn report_input(path: &Path, issue: &Issue) {
    let shown = frontend::decode::display_name(path);
    let mut err = std::io::stderr().lock();
    if let Some(note) = encoding_note(&shown, issue) {
        let _ = writeln!(err, "{note}");
    }
    let _ = write_warnings(&mut err, &shown, &issue.warnings);
}

fn encoding_note(shown: &str, issue: &Issue) -> Option<String> {
    match issue.encoding.as_deref() {
        Some("utf-8") | None => None,
        Some(enc) => Some(format!("{shown}: note: decoded as {}", enc.to_uppercase())),
    }
}

/// Warnings the way compilers print them, one a line: `FILE:LINE: warning: MESSAGE`.
pub fn write_warnings(w: &mut impl Write, shown: &str, warnings: &[Warning]) -> std::io::Result<()> {
    for warning in warnings {
        writeln!(w, "{shown}:{}: warning: {}", warning.line, warning.message)?;
    }
    Ok(())
}

fn write_summary(w: &mut impl Write, shown: &str, issue: &Issue) -> std::io::Result<()> {
    let m = &issue.masthead;
    let dash = |s: &Option<String>| s.clone().unwrap_or_else(|| "-".into());
    writeln!(w, "{shown}: {} {} {}", dash(&m.paper), dash(&m.date), dash(&m.weekday))?;
    let numbers = match (m.issue_number, m.total_issue_number) {
        (Some(i), Some(t)) => format!("第{i}期 (总第{t}期)"),
        (Some(i), None) => format!("第{i}期"),
        (None, Some(t)) => format!("总第{t}期"),
        (None, None) => "no issue number".into(),
    };
    let pages: Vec<String> = issue.pages.iter().map(|p| p.number.to_string()).collect();
    writeln!(w, "  {numbers}, {} pages in the masthead; pages in this text: {}", m.page_count, pages.join(", "))?;
    let enc = issue.encoding.as_deref().unwrap_or("model JSON");
    writeln!(w, "  encoding: {enc}")?;
    if let Some(note) = encoding_note(shown, issue) {
        writeln!(w, "{note}")?;
    }
    for page in &issue.pages {
        let mut head = format!("page {}", page.number);
        if let Some(s) = &page.section {
            head.push_str(&format!(" {s}"));
        }
        if let Some(e) = &page.editor {
            head.push_str(&format!(" (editor {e})"));
        }
        writeln!(w, "{head}: {} articles", page.articles.len())?;
        for (i, art) in page.articles.iter().enumerate() {
            let ear = if art.ear { " [ear]" } else { "" };
            writeln!(w, "  {}.{}{ear} {}  (lines {}-{})", page.number, i + 1, art.headline.as_deref().unwrap_or("(no headline)"), art.lines[0], art.lines[1])?;
            for (label, value) in [("banner", &art.banner), ("kicker", &art.kicker), ("subtitle", &art.subtitle), ("byline", &art.byline)] {
                if let Some(v) = value {
                    writeln!(w, "      {label}: {}", v.replace('\n', " / "))?;
                }
            }
            let count = |f: fn(&Block) -> bool| art.blocks.iter().filter(|b| f(b)).count();
            let mut parts = vec![format!("{} paragraphs", count(|b| matches!(b, Block::Paragraph { .. })))];
            for (n, what) in [
                (count(|b| matches!(b, Block::Crosshead { .. })), "crossheads"),
                (count(|b| matches!(b, Block::Verse { .. })), "verse blocks"),
                (count(|b| matches!(b, Block::Image { .. })), "images"),
                (count(|b| matches!(b, Block::Caption { .. })), "captions"),
                (count(|b| matches!(b, Block::Promo { .. })), "promos"),
            ] {
                if n > 0 {
                    parts.push(format!("{n} {what}"));
                }
            }
            if let Some(from) = art.continued_from {
                parts.push(format!("continued from page {from}"));
            }
            if let Some(to) = art.jump_to {
                parts.push(format!("jumps to page {to}"));
            }
            writeln!(w, "      {}", parts.join(", "))?;
        }
    }
    writeln!(w, "{} warnings", issue.warnings.len())?;
    Ok(())
}

/// One line per broken rule and per soft photo, the file first; a closing line per file.
fn pdfx_check(files: &[PathBuf]) -> i32 {
    let mut status = exit::OK;
    for file in files {
        let name = file.display();
        let bytes = match std::fs::read(file) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!("papertool: {name}: {e}");
                status = status.max(exit::BAD_INPUT);
                continue;
            }
        };
        for image in pdfx::low_resolution_images(&bytes) {
            eprintln!(
                "{name}: warning: page {}: image /{} ({}×{} px) prints at {:.0} ppi, under {:.0}",
                image.page, image.name, image.width_px, image.height_px, image.ppi, pdfx::MIN_PHOTO_PPI
            );
        }
        let violations = pdfx::check(&bytes);
        for violation in &violations {
            println!("{name}: {violation}");
        }
        if violations.is_empty() {
            println!("{name}: passes {} (output intent {})", pdfx::PDFX_CONFORMANCE, pdfx::OUTPUT_CONDITION_IDENTIFIER);
        } else {
            println!("{name}: {} PDF/X violations", violations.len());
            status = status.max(exit::FAILED);
        }
    }
    status
}
