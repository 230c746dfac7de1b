//! Any bytes, as an issue file would hold them: decoded (or refused with a reason), parsed, and
//! the model written as JSON and read back unchanged. A panic anywhere is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(issue) = papertool::frontend::from_bytes(data, "fuzz") else { return };
    let json = serde_json::to_vec(&issue).expect("the model serializes");
    let back = papertool::frontend::from_bytes(&json, "fuzz.json").expect("the model's JSON is accepted");
    assert_eq!(back, issue, "the model reads back from its JSON");
    // And straight text, without the decoder's refusals.
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = papertool::frontend::parse(text);
    }
});
