//! Command-line interface: argument parsing and reporting, nothing else. Every subcommand is a
//! call into the library and a mapping of its result to messages and an exit code.

use clap::{Parser, Subcommand};

use papertool::error::exit;

const EXIT_CODES: &str = "Exit status: 0 done (warnings allowed), 1 failed or --strict saw warnings, 2 unusable input.";

#[derive(Parser)]
#[command(name = "papertool", version, about = "Chinese newspaper issue text → EPUB 3 and broadsheet PDF", after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {}

pub fn run() -> i32 {
    let cli = Cli::parse();
    match cli.command {}
    #[allow(unreachable_code)]
    exit::OK
}
