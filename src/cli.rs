//! Command-line interface: argument parsing and reporting, nothing else. Every subcommand is a
//! call into the library and a mapping of its result to messages and an exit code.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use papertool::error::exit;
use papertool::pdf::pdfx;

const EXIT_CODES: &str = "Exit status: 0 done (warnings allowed), 1 failed or --strict saw warnings, 2 unusable input.";

#[derive(Parser)]
#[command(name = "papertool", version, about = "Chinese newspaper issue text → EPUB 3 and broadsheet PDF", after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check PDFs against PDF/X-1a:2001 and papertool's newsprint rules; exit 1 if one fails
    #[command(name = "pdfx-check", hide = true)]
    PdfxCheck {
        /// The PDF files to check
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

pub fn run() -> i32 {
    let cli = Cli::parse();
    match cli.command {
        Command::PdfxCheck { files } => pdfx_check(&files),
    }
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
