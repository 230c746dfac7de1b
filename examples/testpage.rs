//! Writes the text engine's test page: `cargo run --release --example testpage [ISSUE.txt]
//! [OUT.pdf]` (default: the seed beside the repository, `testpage.pdf`). Look at it with
//! `pdftoppm -r 150 -png testpage.pdf page`, check it with `qa.py pdf testpage.pdf --source`.

#[path = "../tests/support/testpage.rs"]
mod testpage;

use std::path::PathBuf;
use std::process::ExitCode;

use papertool::fonts::FontDir;
use papertool::pdf::fonts::FontSet;
use papertool::pdf::render::{render, DocMeta};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let source = args.next().map(PathBuf::from).unwrap_or_else(testpage::seed_path);
    let out = args.next().unwrap_or_else(|| "testpage.pdf".into());
    let result = (|| -> Result<usize, String> {
        let text = std::fs::read_to_string(&source).map_err(|e| format!("{}: {e}", source.display()))?;
        let fonts = FontSet::load(&FontDir::locate(None).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
        let (frames, warnings) = testpage::build(&fonts, &testpage::paragraphs(&text));
        for w in &warnings {
            eprintln!("{}:{}: warning: {}", source.display(), w.line, w.message);
        }
        let meta = DocMeta { title: "papertool test page".into(), ..DocMeta::default() };
        let doc = render(&fonts, &frames, &meta).map_err(|e| e.to_string())?;
        let pdf = papertool::pdf::serialize::save(doc).map_err(|e| e.to_string())?;
        papertool::output::write_atomic(std::path::Path::new(&out), &pdf).map_err(|e| e.to_string())?;
        Ok(frames.len())
    })();
    match result {
        Ok(pages) => {
            eprintln!("{out}: {pages} page(s)");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("testpage: {e}");
            ExitCode::FAILURE
        }
    }
}
