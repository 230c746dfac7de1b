//! `cargo bench --bench parse`: the front end on the seed front page (target: under 1 ms) and on
//! the four-page sample issue.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};

const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seed/000_f05fcb516d19c53a.txt");
const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/jialing-2025-10-15.txt");

fn parse(c: &mut Criterion) {
    match std::fs::read_to_string(SEED) {
        Ok(text) => {
            c.bench_function("parse seed (page 1)", |b| b.iter(|| papertool::frontend::parse(black_box(&text))));
            let bytes = text.into_bytes();
            c.bench_function("decode+parse seed", |b| b.iter(|| papertool::frontend::from_bytes(black_box(&bytes), "seed")));
        }
        Err(e) => eprintln!("skipped the seed benchmark: {SEED}: {e}"),
    }
    let sample = std::fs::read_to_string(SAMPLE).expect("the sample issue");
    c.bench_function("parse jialing sample (4 pages)", |b| b.iter(|| papertool::frontend::parse(black_box(&sample))));
}

criterion_group!(benches, parse);
criterion_main!(benches);
