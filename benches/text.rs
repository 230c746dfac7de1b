//! Text engine speed: loading the four shipped faces (target < 30 ms) and setting the seed's
//! text into the test page's 8 columns of 13 characters (target < 5 ms, fonts loaded apart).
//! `cargo bench --bench text`.

#[path = "../tests/support/testpage.rs"]
#[allow(dead_code)]
mod testpage;

use criterion::{criterion_group, criterion_main, Criterion};

use papertool::fonts::FontDir;
use papertool::pdf::fonts::FontSet;
use papertool::pdf::render::{render, DocMeta};

fn benches(c: &mut Criterion) {
    let dir = FontDir::locate(None).expect("the shipped fonts");
    c.bench_function("load all faces", |b| b.iter(|| FontSet::load(&dir).unwrap()));

    let seed = testpage::seed_path();
    let Ok(text) = std::fs::read_to_string(&seed) else {
        eprintln!("skipped setting the seed: {} is missing", seed.display());
        return;
    };
    let fonts = FontSet::load(&dir).unwrap();
    // The front end's reading of the issue is not the engine's work: done once, outside.
    let paragraphs = testpage::paragraphs(&text);
    c.bench_function("set the seed into 8 columns", |b| b.iter(|| testpage::build(&fonts, &paragraphs)));

    let (frames, _) = testpage::build(&fonts, &paragraphs);
    let meta = DocMeta::default();
    c.bench_function("render and write the test page", |b| {
        b.iter(|| papertool::pdf::serialize::save(render(&fonts, &frames, &meta).unwrap()).unwrap())
    });
}

criterion_group! {
    name = text;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(text);
