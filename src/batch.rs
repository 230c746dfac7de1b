//! Converting many issues at once: the runner behind `papertool epub|pdf|all FILE...`.
//!
//! Sits above the pipeline: for each issue it runs the front end ([`crate::frontend::load`]) once
//! and then each asked-for edition ([`crate::epub::build`], [`crate::pdf::edition::write`]),
//! writing every result with [`crate::output::write_atomic`]. Issues run in parallel on all
//! cores (rayon); one that fails is reported and counted, never stops the others. The faces are
//! loaded once per process (see [`crate::fonts::FontDir::load`] and
//! [`crate::pdf::fonts::FontSet::shared`]), so the thousandth issue costs what the second did.
//!
//! What each issue printed (its encoding note, warnings, error) is kept together and printed in
//! one piece when it is done, so parallel issues never interleave their lines.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::epub;
use crate::error::{exit, Error, Result};
use crate::frontend;
use crate::model::{Issue, Warning};
use crate::output::write_atomic;
use crate::pdf::{edition, pdfx};

/// One of the two editions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Edition {
    Epub,
    Pdf,
}

impl Edition {
    pub fn extension(self) -> &'static str {
        match self {
            Edition::Epub => "epub",
            Edition::Pdf => "pdf",
        }
    }
}

/// Where the outputs go, as the user said it with `-o`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// No `-o`: each edition beside its issue, with the edition's extension.
    Beside,
    /// `-o FILE` (or `-o -`) for a single issue and a single edition.
    File(PathBuf),
    /// `-o DIR`: `DIR/NAME.epub`, `DIR/NAME.pdf`, NAME being the issue's file stem.
    Folder(PathBuf),
}

/// How to make the editions; the per-issue folders in `epub`/`pdf` are set for each issue.
#[derive(Debug, Clone)]
pub struct Settings {
    pub editions: Vec<Edition>,
    pub epub: epub::Options,
    /// `None` when no PDF is asked for (its template is not even read).
    pub pdf: Option<edition::Options>,
    /// Run the PDF/X-1a pass over each PDF (the print-ready edition, `--pdfx`, the default);
    /// off, the screen edition with jump links (`--no-pdfx`).
    pub print_ready: bool,
    /// Write nothing for an issue that has warnings, and count it failed.
    pub strict: bool,
    /// No progress and no summary (messages about the issues themselves are still printed).
    pub quiet: bool,
}

/// One issue and the files its editions go to.
#[derive(Debug, Clone)]
pub struct Job {
    pub input: PathBuf,
    pub outputs: Vec<(Edition, PathBuf)>,
}

/// How one issue went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Converted,
    ConvertedWithWarnings,
    /// Not (wholly) converted; the exit code it stands for.
    Failed(i32),
}

/// The tally at the end of a run.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub converted: usize,
    pub with_warnings: usize,
    pub failed: Vec<String>,
    pub elapsed: Duration,
    /// The exit code of the run: the worst of the issues'.
    pub status: i32,
}

impl Summary {
    /// `200 issues: 197 converted (12 with warnings), 3 failed, in 8.41 s`.
    pub fn line(&self) -> String {
        let total = self.converted + self.failed.len();
        format!(
            "{total} issue{}: {} converted ({} with warnings), {} failed, in {:.2} s",
            if total == 1 { "" } else { "s" },
            self.converted,
            self.with_warnings,
            self.failed.len(),
            self.elapsed.as_secs_f64()
        )
    }
}

/// Works out each issue's output files. Refused before anything is read: stdin among several
/// issues, `-o FILE` for several outputs, an output that is its own input, two issues that
/// would write the same file.
pub fn plan(inputs: &[PathBuf], editions: &[Edition], target: &Target) -> Result<Vec<Job>> {
    let several_outputs = inputs.len() * editions.len() > 1;
    if inputs.len() > 1 && inputs.iter().any(|p| p == Path::new("-")) {
        return Err(Error::input("<stdin>", "- (stdin) can only be converted on its own"));
    }
    if let Target::File(file) = target {
        if several_outputs {
            let what = if inputs.len() > 1 { "several issues" } else { "both editions" };
            return Err(Error::input(
                file.display().to_string(),
                format!("-o names one file but there are {what}: give a folder (it is made if missing)"),
            ));
        }
    }
    let mut jobs = Vec::with_capacity(inputs.len());
    let mut claimed: HashMap<PathBuf, PathBuf> = HashMap::new();
    for input in inputs {
        let mut outputs = Vec::with_capacity(editions.len());
        for &edition in editions {
            let output = match target {
                Target::File(file) => file.clone(),
                Target::Beside => beside(input, edition)?,
                Target::Folder(dir) => {
                    let stem = input.file_stem().filter(|_| input != Path::new("-")).ok_or_else(|| {
                        Error::input(frontend::decode::display_name(input), "has no file name to name its output after: use -o FILE")
                    })?;
                    dir.join(stem).with_extension(edition.extension())
                }
            };
            if output != Path::new("-") {
                if same_file(input, &output) {
                    return Err(Error::input(
                        frontend::decode::display_name(input),
                        format!("the output {} is the input itself: name another with -o", output.display()),
                    ));
                }
                let key = normalized(&output);
                if let Some(other) = claimed.insert(key, input.clone()) {
                    return Err(Error::input(
                        input.display().to_string(),
                        format!("{} would also be written from {}: rename one or use separate -o folders", output.display(), other.display()),
                    ));
                }
            }
            outputs.push((edition, output));
        }
        jobs.push(Job { input: input.clone(), outputs });
    }
    Ok(jobs)
}

/// `issue.txt` → `issue.epub` / `issue.pdf`, beside it; one rule for both editions. Stdin has no
/// name to take (and an EPUB or PDF poured onto a terminal helps nobody), and an input that
/// already has the output's extension would be overwritten: both need `-o` (`-o -` for stdout).
fn beside(input: &Path, edition: Edition) -> Result<PathBuf> {
    let shown = frontend::decode::display_name(input);
    let extension = edition.extension();
    if input == Path::new("-") {
        return Err(Error::input(shown, format!("reading stdin: name the output with -o FILE.{extension} (or -o - for stdout)")));
    }
    if input.extension().is_some_and(|e| e.eq_ignore_ascii_case(extension)) {
        return Err(Error::input(shown, format!("already a .{extension} file: name the output with -o")));
    }
    Ok(input.with_extension(extension))
}

/// Whether writing `output` would replace `input`: the same path, or (both existing) the same
/// file reached another way (a link, `./`, `..`).
fn same_file(input: &Path, output: &Path) -> bool {
    if input == output {
        return true;
    }
    match (std::fs::canonicalize(input), std::fs::canonicalize(output)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// A path with its folder made absolute where it exists, so `out/a.pdf` and `./out/a.pdf` are
/// seen as one.
fn normalized(path: &Path) -> PathBuf {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    match (std::fs::canonicalize(dir), path.file_name()) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => path.to_path_buf(),
    }
}

/// Converts every job, in parallel, and tallies the outcomes. Progress goes to stderr: a bar on a
/// terminal, one plain line per issue otherwise, nothing when quiet or for a single issue.
pub fn run(jobs: &[Job], settings: &Settings) -> Summary {
    let started = Instant::now();
    let progress = Progress::new(jobs.len() as u64, settings.quiet || jobs.len() < 2);
    let outcomes: Vec<Outcome> = jobs
        .par_iter()
        .map(|job| {
            let (outcome, messages) = convert(job, settings);
            progress.done(&frontend::decode::display_name(&job.input), outcome, &messages);
            outcome
        })
        .collect();
    progress.finish();
    let mut summary = Summary { elapsed: started.elapsed(), ..Summary::default() };
    for (job, outcome) in jobs.iter().zip(&outcomes) {
        match outcome {
            Outcome::Converted => summary.converted += 1,
            Outcome::ConvertedWithWarnings => {
                summary.converted += 1;
                summary.with_warnings += 1;
            }
            Outcome::Failed(code) => {
                summary.failed.push(frontend::decode::display_name(&job.input));
                summary.status = summary.status.max(*code);
            }
        }
    }
    summary
}

/// One issue, every edition asked for: its outcome and the lines to print for it. An edition
/// that fails does not keep the other from being written.
pub fn convert(job: &Job, settings: &Settings) -> (Outcome, Vec<String>) {
    let shown = frontend::decode::display_name(&job.input);
    let mut messages = Vec::new();
    let issue = match frontend::load(&job.input) {
        Ok(issue) => issue,
        Err(e) => {
            messages.push(format!("papertool: {e}"));
            return (Outcome::Failed(e.exit_code()), messages);
        }
    };
    if let Some(enc) = issue.encoding.as_deref().filter(|e| *e != "utf-8") {
        messages.push(format!("{shown}: note: decoded as {}", enc.to_uppercase()));
    }
    messages.extend(warning_lines(&shown, &issue.warnings));
    let mut failed = exit::OK;
    let mut warned = !issue.warnings.is_empty();
    // The editions are made in parallel (one issue's `all` takes the longer of the two, not
    // their sum), then written and reported in the order asked for.
    let made: Vec<_> = job.outputs.par_iter().map(|(edition, _)| make(&issue, &job.input, &shown, *edition, settings)).collect();
    for ((_, output), made) in job.outputs.iter().zip(made) {
        match made {
            Ok((bytes, warnings)) => {
                warned |= !warnings.is_empty();
                messages.extend(warnings);
                if settings.strict && warned {
                    messages.push(format!("papertool: {shown}: warnings and --strict: {} not written", output.display()));
                    failed = failed.max(exit::FAILED);
                    continue;
                }
                if let Err(e) = write_atomic(output, &bytes) {
                    messages.push(format!("papertool: {e}"));
                    failed = failed.max(e.exit_code());
                }
            }
            Err(e) => {
                // In a batch the reader must see which issue it was: name it when the edition's
                // message does not.
                messages.push(match &e {
                    Error::Failed(m) if !m.starts_with(&shown) => format!("papertool: {shown}: {m}"),
                    _ => format!("papertool: {e}"),
                });
                failed = failed.max(e.exit_code());
            }
        }
    }
    let outcome = match (failed, warned) {
        (exit::OK, false) => Outcome::Converted,
        (exit::OK, true) => Outcome::ConvertedWithWarnings,
        (code, _) => Outcome::Failed(code),
    };
    (outcome, messages)
}

/// One edition's bytes and its own warnings, as the lines to print.
fn make(issue: &Issue, input: &Path, shown: &str, edition: Edition, settings: &Settings) -> Result<(Vec<u8>, Vec<String>)> {
    let folder = issue_folder(input);
    match edition {
        Edition::Epub => {
            let options = epub::Options { image_dir: folder, ..settings.epub.clone() };
            let book = epub::build(issue, &options)?;
            Ok((book.bytes, warning_lines(shown, &book.warnings)))
        }
        Edition::Pdf => {
            if settings.print_ready {
                // An undated issue cannot be a PDF/X file: the input's fault, said before any work.
                pdfx::PdfxMeta::for_issue(issue, 0.0).map_err(|e| Error::input(shown, e.to_string()))?;
            }
            // The print edition's PDF/X pass, and its warnings for photos too coarse for print,
            // are the edition's own.
            let pdf = settings.pdf.as_ref().ok_or_else(|| Error::failed("a PDF was asked for without its settings"))?;
            let options = edition::Options { base: folder, print: settings.print_ready, ..pdf.clone() };
            let (bytes, warnings) = edition::write(issue, &options)?;
            Ok((bytes, warning_lines(shown, &warnings)))
        }
    }
}

/// The folder an issue's photos are relative to: the issue file's own (the working folder for
/// stdin).
pub fn issue_folder(path: &Path) -> PathBuf {
    match path.parent() {
        Some(dir) if path != Path::new("-") && !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Warnings the way compilers print them: `FILE:LINE: warning: MESSAGE`.
pub fn warning_lines(shown: &str, warnings: &[Warning]) -> Vec<String> {
    warnings.iter().map(|w| format!("{shown}:{}: warning: {}", w.line, w.message)).collect()
}

/// Progress on stderr, and the lock that keeps each issue's messages in one piece.
struct Progress {
    bar: Option<ProgressBar>,
    /// Plain `[n/total]` lines when stderr is not a terminal.
    plain: bool,
    total: u64,
    finished: Mutex<u64>,
}

/// How often the bar redraws: often enough to look alive, rarely enough to cost nothing.
const BAR_TICK: Duration = Duration::from_millis(100);

impl Progress {
    fn new(total: u64, silent: bool) -> Progress {
        let terminal = std::io::stderr().is_terminal();
        let bar = (!silent && terminal).then(|| {
            let bar = ProgressBar::new(total);
            let style = ProgressStyle::with_template("{bar:40} {pos}/{len} issues, {elapsed} (about {eta} left) {wide_msg}")
                .expect("the template is valid");
            bar.set_style(style);
            bar.enable_steady_tick(BAR_TICK);
            bar
        });
        Progress { bar, plain: !silent && !terminal, total, finished: Mutex::new(0) }
    }

    fn done(&self, shown: &str, outcome: Outcome, messages: &[String]) {
        let mut finished = self.finished.lock().unwrap_or_else(|e| e.into_inner());
        *finished += 1;
        let print = || {
            let mut err = std::io::stderr().lock();
            for line in messages {
                let _ = writeln!(err, "{line}");
            }
            if self.plain {
                let what = match outcome {
                    Outcome::Converted => "converted",
                    Outcome::ConvertedWithWarnings => "converted with warnings",
                    Outcome::Failed(_) => "failed",
                };
                let _ = writeln!(err, "[{}/{}] {shown}: {what}", *finished, self.total);
            }
        };
        match &self.bar {
            Some(bar) => {
                bar.suspend(print);
                bar.set_message(shown.to_string());
                bar.inc(1);
            }
            None => print(),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(names: &[&str]) -> Vec<PathBuf> {
        names.iter().map(PathBuf::from).collect()
    }

    #[test]
    fn folder_target_names_each_edition_after_the_issue() {
        let jobs = plan(&paths(&["a/x.txt", "b/y.txt"]), &[Edition::Epub, Edition::Pdf], &Target::Folder("out".into())).unwrap();
        assert_eq!(jobs[0].outputs, vec![(Edition::Epub, "out/x.epub".into()), (Edition::Pdf, "out/x.pdf".into())]);
        assert_eq!(jobs[1].outputs[1], (Edition::Pdf, "out/y.pdf".into()));
    }

    #[test]
    fn one_file_for_several_outputs_is_refused() {
        let err = plan(&paths(&["x.txt", "y.txt"]), &[Edition::Pdf], &Target::File("out.pdf".into())).unwrap_err();
        assert!(err.to_string().contains("give a folder"), "{err}");
        let err = plan(&paths(&["x.txt"]), &[Edition::Epub, Edition::Pdf], &Target::File("out.pdf".into())).unwrap_err();
        assert!(err.to_string().contains("both editions"), "{err}");
    }

    #[test]
    fn output_equal_to_input_is_refused() {
        let err = plan(&paths(&["x.pdf"]), &[Edition::Pdf], &Target::File("x.pdf".into())).unwrap_err();
        assert!(err.to_string().contains("is the input itself"), "{err}");
        let err = plan(&paths(&["x.epub"]), &[Edition::Epub], &Target::Beside).unwrap_err();
        assert!(err.to_string().contains("already a .epub file"), "{err}");
    }

    #[test]
    fn two_issues_with_one_name_into_one_folder_are_refused() {
        let err = plan(&paths(&["a/x.txt", "b/x.txt"]), &[Edition::Pdf], &Target::Folder("out".into())).unwrap_err();
        assert!(err.to_string().contains("would also be written from a/x.txt"), "{err}");
    }

    #[test]
    fn stdin_only_alone_and_only_with_o() {
        assert!(plan(&paths(&["-", "x.txt"]), &[Edition::Pdf], &Target::File("-".into())).is_err());
        for edition in [Edition::Epub, Edition::Pdf] {
            let err = plan(&paths(&["-"]), &[edition], &Target::Beside).unwrap_err();
            assert!(err.to_string().contains("-o - for stdout"), "{err}");
            let jobs = plan(&paths(&["-"]), &[edition], &Target::File("-".into())).unwrap();
            assert_eq!(jobs[0].outputs[0].1, PathBuf::from("-"));
        }
    }

    #[test]
    fn summary_line_counts_everything() {
        let s = Summary { converted: 3, with_warnings: 1, failed: vec!["z.txt".into()], elapsed: Duration::from_millis(1500), status: 2 };
        assert_eq!(s.line(), "4 issues: 3 converted (1 with warnings), 1 failed, in 1.50 s");
    }
}
