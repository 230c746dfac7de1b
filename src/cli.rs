//! Command-line interface: argument parsing and reporting, nothing else. Every subcommand is a
//! call into the library and a mapping of its result to messages and an exit code.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use papertool::batch::{self, Edition, Settings, Target};
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

/// Where outputs go, the same for both editions: said once, in every converting command's help.
macro_rules! output_rule {
    () => {
        "Outputs: without -o each edition goes beside its issue, NAME.txt → NAME.epub / NAME.pdf (an input \
that already has that extension needs -o). Stdin (-) has no name to take: give -o FILE, or -o - for \
stdout. With one issue -o is the file (- for stdout) unless it is an existing folder; with several it \
is a folder, made if missing, that gets NAME.epub / NAME.pdf of each. An output that is its own input, \
or two issues that would write one file, are refused before anything is read. Every file is written \
whole or not at all (a temporary file in its folder, then renamed)."
    };
}

/// The progress and summary of a run of several issues, in every converting command's help.
macro_rules! batch_rule {
    () => {
        "Several issues run in parallel on every core; one that fails is reported and the others go on. A \
progress bar shows on a terminal (one plain line per issue when stderr is not one, nothing with \
--quiet), and a summary closes the run: converted, with warnings, failed, time taken."
    };
}

const PDF_EXAMPLES: &str = concat!(
    "Examples:\n  papertool pdf samples/jialing-2025-10-15.txt -o jialing.pdf\n  \
papertool pdf archive/*.txt -o pdfs/     NAME.pdf of each\n\n\
Writes the edition as the paper prints it: the masthead's page count (今日N版, 4 by default), each page \
made up on the template's column grid. Content that does not fit the pages is an error listing what is \
left over, and nothing is written for that issue. The file is PDF/X-1a:2001 for coldset newsprint \
(output intent IFRA26) unless --no-pdfx asks for a screen edition with jump links; an issue without a \
date in its masthead needs --no-pdfx.\n\n",
    output_rule!(),
    "\n\n",
    batch_rule!(),
    "\n\nExit status: 0 done (warnings allowed), 1 failed (content does not fit, cannot write) or --strict \
saw warnings, 2 unusable input; with several issues, the worst of them."
);

const ALL_EXAMPLES: &str = concat!(
    "Examples:\n  papertool all archive/2025/*.txt -o editions/   NAME.epub and NAME.pdf of each\n  \
papertool all issue.txt                          issue.epub and issue.pdf beside it\n\n\
Both editions of each issue, from one reading of it; the PDF is print-ready PDF/X-1a unless --no-pdfx.\n\n",
    output_rule!(),
    "\n\n",
    batch_rule!(),
    "\n\nExit status: 0 all converted (warnings allowed), 1 some failed or --strict saw warnings, 2 some input \
unusable."
);

const CHECK_EXAMPLES: &str = "Example:\n  papertool check --strict samples/jialing-2025-10-15.txt\n\n\
Prints the pages and, per article, its page, headline, kicker, subtitle, byline, paragraph count and \
jump, then every warning as FILE:LINE: warning: ….\n\n\
Exit status: 0 done (warnings allowed), 1 --strict and there were warnings, 2 unusable input.";

const EPUB_EXAMPLES: &str = concat!(
    "Examples:\n  papertool epub samples/jialing-2025-10-15.txt   writes samples/jialing-2025-10-15.epub\n  \
papertool epub issue.json -o book.epub --no-embed-fonts\n  \
papertool epub archive/*.txt -o books/           NAME.epub of each\n\n\
ISSUE is the issue's text or its model's JSON (from papertool parse), or - for stdin. Photos named in \
it (![alt](path)) are read relative to its folder. SOURCE_DATE_EPOCH, when set, is the book's \
modification time; otherwise the issue's date is.\n\n",
    output_rule!(),
    "\n\n",
    batch_rule!(),
    "\n\nExit status: 0 done (warnings allowed), 1 failed or --strict saw warnings, 2 unusable input; with \
several issues, the worst of them."
);

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
        /// The issues' text or model JSON; - for stdin (alone). Several run in parallel.
        #[arg(required = true, value_name = "ISSUE")]
        issues: Vec<PathBuf>,
        /// Where to write the book [default: ISSUE with the extension .epub, beside it]; with
        /// several issues (or an existing folder) a folder, made if missing.
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        epub: EpubArgs,
        #[command(flatten)]
        run: RunArgs,
    },
    /// Write the broadsheet PDF edition.
    #[command(after_help = PDF_EXAMPLES)]
    Pdf {
        /// The issues' text or model JSON; - for stdin (alone). Several run in parallel.
        #[arg(required = true, value_name = "ISSUE")]
        issues: Vec<PathBuf>,
        /// Where to write the PDF (- for stdout); default: ISSUE with the extension .pdf. With
        /// several issues (or an existing folder) a folder, made if missing.
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        pdf: PdfArgs,
        #[command(flatten)]
        run: RunArgs,
    },
    /// Write both editions, EPUB and PDF, of each issue.
    #[command(after_help = ALL_EXAMPLES)]
    All {
        /// The issues' text or model JSON. Several run in parallel.
        #[arg(required = true, value_name = "ISSUE")]
        issues: Vec<PathBuf>,
        /// The folder to write NAME.epub and NAME.pdf to (made if missing); default: beside
        /// each issue.
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
        #[command(flatten)]
        epub: EpubArgs,
        #[command(flatten)]
        pdf: PdfArgs,
        #[command(flatten)]
        run: RunArgs,
    },
    /// Check PDFs against PDF/X-1a:2001 and papertool's newsprint rules; exit 1 if one fails.
    #[command(name = "pdfx-check", hide = true)]
    PdfxCheck {
        /// The PDF files to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(clap::Args)]
struct EpubArgs {
    /// Leave out the font subsets: a smaller book, shown in the reader's own Chinese fonts.
    #[arg(long)]
    no_embed_fonts: bool,
}

#[derive(clap::Args)]
struct PdfArgs {
    /// A page template (TOML, or JSON by extension); default: the built-in 对开 broadsheet.
    #[arg(long, value_name = "FILE")]
    template: Option<PathBuf>,
    /// Page count of the edition; default: the masthead's (今日N版), else 4.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=64))]
    pages: Option<u32>,
    /// Print-ready PDF/X-1a:2001 for coldset newsprint (the default): CMYK, black overprinting, no links.
    #[arg(long, overrides_with = "no_pdfx")]
    pdfx: bool,
    /// A screen edition instead: jump links and outline for reading on a computer, no PDF/X claim.
    #[arg(long, overrides_with = "pdfx")]
    no_pdfx: bool,
}

#[derive(clap::Args)]
struct RunArgs {
    /// The folder of papertool's faces [default: $PAPERTOOL_FONT_DIR, fonts/ beside the
    /// executable, the source tree's fonts/].
    #[arg(long, value_name = "DIR")]
    font_dir: Option<PathBuf>,
    /// Write nothing for an issue with warnings, and exit with status 1.
    #[arg(long)]
    strict: bool,
    /// No progress and no summary for several issues (warnings and errors still go to stderr).
    #[arg(short, long)]
    quiet: bool,
}

pub fn run() -> i32 {
    let cli = Cli::parse();
    papertool::output::clean_up_on_interrupt();
    let result = match cli.command {
        Command::Parse { issue, output } => parse(&issue, &output),
        Command::Check { issue, strict } => check(&issue, strict),
        Command::Epub { issues, output, epub, run } => convert(&issues, &[Edition::Epub], output, Some(epub), None, run),
        Command::Pdf { issues, output, pdf, run } => convert(&issues, &[Edition::Pdf], output, None, Some(pdf), run),
        Command::All { issues, output, epub, pdf, run } => {
            // Two editions cannot share stdout: `-o -` is kept as a file for the plan to refuse.
            let output = Some(output.map_or(Target::Beside, |o| if o == Path::new("-") { Target::File(o) } else { Target::Folder(o) }));
            convert_to(&issues, &[Edition::Epub, Edition::Pdf], output, Some(epub), Some(pdf), run)
        }
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

fn check(path: &Path, strict: bool) -> Result<i32, Error> {
    let issue = frontend::load(path)?;
    let shown = frontend::decode::display_name(path);
    let mut out = std::io::stdout().lock();
    let written = write_summary(&mut out, &shown, &issue).and_then(|_| write_warnings(&mut out, &shown, &issue.warnings));
    written.map_err(|e| Error::failed(format!("-: cannot write to stdout: {e}")))?;
    Ok(if strict && !issue.warnings.is_empty() { exit::FAILED } else { exit::OK })
}

/// `-o` for `epub` and `pdf`: a file for one issue (unless it is an existing folder), a folder
/// for several.
fn convert(
    issues: &[PathBuf],
    editions: &[Edition],
    output: Option<PathBuf>,
    epub: Option<EpubArgs>,
    pdf: Option<PdfArgs>,
    run: RunArgs,
) -> Result<i32, Error> {
    let target = match output {
        None => Target::Beside,
        // `-o -` is stdout, and `-o out.pdf` with several issues a slip: neither is a folder
        // to make (the plan refuses them).
        Some(o) if o == Path::new("-") => Target::File(o),
        Some(o) if o.is_dir() || (issues.len() > 1 && !has_edition_extension(&o)) => Target::Folder(o),
        Some(o) => Target::File(o),
    };
    convert_to(issues, editions, Some(target), epub, pdf, run)
}

fn has_edition_extension(path: &Path) -> bool {
    path.extension().is_some_and(|e| [Edition::Epub, Edition::Pdf].iter().any(|ed| e.eq_ignore_ascii_case(ed.extension())))
}

/// Plans the outputs (refusing impossible ones before reading anything), then runs the batch;
/// a summary closes a run of several issues.
fn convert_to(
    issues: &[PathBuf],
    editions: &[Edition],
    target: Option<Target>,
    epub: Option<EpubArgs>,
    pdf: Option<PdfArgs>,
    run: RunArgs,
) -> Result<i32, Error> {
    let target = target.unwrap_or(Target::Beside);
    let jobs = batch::plan(issues, editions, &target)?;
    if let Target::Folder(dir) = &target {
        std::fs::create_dir_all(dir).map_err(|e| Error::failed(format!("{}: cannot make the folder: {e}", dir.display())))?;
    }
    crate::tune_allocator(jobs.len());
    crate::start_workers(jobs.len() == 1 && editions == [Edition::Epub]);
    let print_ready = !pdf.as_ref().is_some_and(|p| p.no_pdfx);
    let pdf_options = match pdf.filter(|_| editions.contains(&Edition::Pdf)) {
        Some(args) => {
            let template = match args.template {
                Some(t) => Template::load(&t)?,
                None => Template::broadsheet(),
            };
            // The folder and the print switch are set for each issue (batch::make).
            Some(edition::Options { pages: args.pages, font_dir: run.font_dir.clone(), ..edition::Options::with_template(template, Path::new(".")) })
        }
        None => None,
    };
    let epub_options = epub::Options {
        embed_fonts: !epub.is_some_and(|e| e.no_embed_fonts),
        font_dir: run.font_dir.clone(),
        image_dir: PathBuf::from("."),
        source_date_epoch: epub::metadata::source_date_epoch_from_env().map_err(Error::failed)?,
    };
    let settings = Settings { editions: editions.to_vec(), epub: epub_options, pdf: pdf_options, print_ready, strict: run.strict, quiet: run.quiet };
    let summary = batch::run(&jobs, &settings);
    if jobs.len() > 1 && !run.quiet {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "papertool: {}", summary.line());
        for name in &summary.failed {
            let _ = writeln!(err, "papertool: failed: {name}");
        }
    }
    Ok(summary.status)
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
