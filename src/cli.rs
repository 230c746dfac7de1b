//! Command-line interface: argument parsing and reporting, nothing else. Every subcommand is a
//! call into the library and a mapping of its result to messages and an exit code.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use papertool::epub;
use papertool::error::{exit, Error};
use papertool::model::{Issue, Warning, SCHEMA};
use papertool::output::write_atomic;

const EXIT_CODES: &str = "Exit status: 0 done (warnings allowed), 1 failed or --strict saw warnings, 2 unusable input.";

const EPUB_EXAMPLES: &str = "Examples:\n  papertool epub samples/jialing-2025-10-15.txt          writes samples/jialing-2025-10-15.epub\n  \
papertool epub issue.json -o book.epub --no-embed-fonts\n\n\
ISSUE is the issue's text or its model's JSON (from papertool parse). Photos named in it\n\
(![alt](path)) are read relative to its folder. SOURCE_DATE_EPOCH, when set, is the book's\n\
modification time; otherwise the issue's date is.\n\n\
Exit status: 0 done (warnings allowed), 1 failed or --strict saw warnings, 2 unusable input.";

#[derive(Parser)]
#[command(name = "papertool", version, about = "Chinese newspaper issue text → EPUB 3 and broadsheet PDF", after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
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
}

pub fn run() -> i32 {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Epub { issue, output, no_embed_fonts, font_dir, strict } => {
            epub(&issue, output.as_deref(), !no_embed_fonts, font_dir, strict)
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("papertool: {e}");
            e.exit_code()
        }
    }
}

fn epub(path: &Path, output: Option<&Path>, embed_fonts: bool, font_dir: Option<PathBuf>, strict: bool) -> Result<i32, Error> {
    // Stdin has no name to give the book: say so before reading it.
    let output = match output {
        Some(o) => o.to_path_buf(),
        None => default_output(path, "epub")?,
    };
    let issue = load(path)?;
    let shown = path.display().to_string();
    report_warnings(&shown, &issue.warnings);
    let options = epub::Options {
        embed_fonts,
        font_dir,
        image_dir: issue_folder(path),
        source_date_epoch: epub::metadata::source_date_epoch_from_env().map_err(Error::failed)?,
    };
    let book = epub::build(&issue, &options)?;
    report_warnings(&shown, &book.warnings);
    if strict && !(issue.warnings.is_empty() && book.warnings.is_empty()) {
        eprintln!("papertool: {shown}: warnings and --strict: {} not written", output.display());
        return Ok(exit::FAILED);
    }
    write_atomic(&output, &book.bytes)?;
    Ok(exit::OK)
}

/// Reads the issue. Until the front end lands this takes the model's JSON only.
fn load(path: &Path) -> Result<Issue, Error> {
    let shown = path.display().to_string();
    let bytes = if path == Path::new("-") {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut buf).map_err(|e| Error::input(&shown, e.to_string()))?;
        buf
    } else {
        std::fs::read(path).map_err(|e| Error::input(&shown, e.to_string()))?
    };
    let issue: Issue = serde_json::from_slice(&bytes).map_err(|e| Error::input(&shown, format!("not the model's JSON: {e}")))?;
    if issue.schema != SCHEMA {
        return Err(Error::input(&shown, format!("schema {:?}, not {SCHEMA}", issue.schema)));
    }
    Ok(issue)
}

/// Warnings the way compilers print them, one a line: `FILE:LINE: warning: MESSAGE`.
fn report_warnings(shown: &str, warnings: &[Warning]) {
    let mut err = std::io::stderr().lock();
    for w in warnings {
        let _ = writeln!(err, "{shown}:{}: warning: {}", w.line, w.message);
    }
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
    let shown = input.display().to_string();
    if input == Path::new("-") {
        return Err(Error::input(shown, format!("reading stdin: name the output with -o FILE.{extension}")));
    }
    if input.extension().is_some_and(|e| e.eq_ignore_ascii_case(extension)) {
        return Err(Error::input(shown, format!("already a .{extension} file: name the output with -o")));
    }
    Ok(input.with_extension(extension))
}
