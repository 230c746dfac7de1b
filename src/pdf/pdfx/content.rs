//! A content-stream scanner for the PDF/X pass: walks the operators of a page's content and
//! says where each one and its operands lie, without building objects for them.
//!
//! The colour rewrite changes a few operators in streams of tens of thousands (every glyph run
//! of a broadsheet page is a `Tj`/`TJ`); decoding the whole stream into lopdf objects and
//! encoding it again cost more than the rest of the pass, so the rewrite copies the bytes it
//! does not change and only looks closely at numbers and names.

/// An operand, as much of it as the pass needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Operand<'a> {
    Number(f32),
    Name(&'a [u8]),
    /// A string, array, dictionary or keyword: passed through untouched.
    Other,
}

/// One operator with its operands; `start..end` covers both in the stream.
#[derive(Debug)]
pub(crate) struct Operation<'a> {
    pub operator: &'a [u8],
    pub operands: Vec<Operand<'a>>,
    pub start: usize,
    pub end: usize,
}

/// Iterates the operations of `data`; an `Err` says where the syntax broke.
pub(crate) struct Scanner<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Scanner<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Scanner { data, pos: 0 }
    }
}

fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

fn is_delimiter(b: u8) -> bool {
    matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

impl<'a> Scanner<'a> {
    fn skip_white_and_comments(&mut self) {
        while let Some(&b) = self.data.get(self.pos) {
            if is_white(b) {
                self.pos += 1;
            } else if b == b'%' {
                while self.data.get(self.pos).is_some_and(|&b| b != b'\n' && b != b'\r') {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    fn regular_run(&mut self) -> &'a [u8] {
        let start = self.pos;
        while self.data.get(self.pos).is_some_and(|&b| !is_white(b) && !is_delimiter(b)) {
            self.pos += 1;
        }
        &self.data[start..self.pos]
    }

    fn skip_literal_string(&mut self) -> Result<(), String> {
        let start = self.pos;
        let mut depth = 0usize;
        while let Some(&b) = self.data.get(self.pos) {
            self.pos += 1;
            match b {
                b'\\' => self.pos += 1,
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                _ => {}
            }
        }
        Err(format!("an unterminated string at byte {start}"))
    }

    /// Skips one operand that is not a number or a name; `Ok(false)` if the next token is not
    /// an operand at all.
    fn skip_compound(&mut self) -> Result<bool, String> {
        let start = self.pos;
        match self.data.get(self.pos) {
            Some(b'(') => self.skip_literal_string()?,
            Some(b'<') if self.data.get(self.pos + 1) == Some(&b'<') => {
                self.pos += 2;
                loop {
                    self.skip_white_and_comments();
                    if self.data[self.pos..].starts_with(b">>") {
                        self.pos += 2;
                        break;
                    }
                    if self.pos >= self.data.len() {
                        return Err(format!("an unterminated dictionary at byte {start}"));
                    }
                    self.operand()?;
                }
            }
            Some(b'<') => match self.data[self.pos..].iter().position(|&b| b == b'>') {
                Some(len) => self.pos += len + 1,
                None => return Err(format!("an unterminated hex string at byte {start}")),
            },
            Some(b'[') => {
                self.pos += 1;
                loop {
                    self.skip_white_and_comments();
                    if self.data.get(self.pos) == Some(&b']') {
                        self.pos += 1;
                        break;
                    }
                    if self.pos >= self.data.len() {
                        return Err(format!("an unterminated array at byte {start}"));
                    }
                    if self.operand()?.is_none() {
                        // A keyword inside an array (`true`, `null`): part of the array.
                        if self.regular_run().is_empty() {
                            return Err(format!("an unexpected byte in an array at byte {}", self.pos));
                        }
                    }
                }
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The next operand, or `None` when the next token is an operator (not consumed).
    fn operand(&mut self) -> Result<Option<Operand<'a>>, String> {
        let Some(&b) = self.data.get(self.pos) else { return Ok(None) };
        if b == b'/' {
            self.pos += 1;
            return Ok(Some(Operand::Name(self.regular_run())));
        }
        if b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.') {
            let start = self.pos;
            let run = self.regular_run();
            return match std::str::from_utf8(run).ok().and_then(|s| s.parse::<f32>().ok()) {
                Some(n) => Ok(Some(Operand::Number(n))),
                None => Err(format!("a malformed number at byte {start}")),
            };
        }
        if self.skip_compound()? {
            return Ok(Some(Operand::Other));
        }
        if b == b')' || b == b'>' || b == b']' || b == b'}' || b == b'{' {
            return Err(format!("an unexpected `{}` at byte {}", b as char, self.pos));
        }
        // A keyword operand, or an operator.
        let start = self.pos;
        let run = self.regular_run();
        if matches!(run, b"true" | b"false" | b"null") {
            return Ok(Some(Operand::Other));
        }
        self.pos = start;
        Ok(None)
    }

    /// The next operation, `None` at the end.
    pub(crate) fn next_operation(&mut self) -> Result<Option<Operation<'a>>, String> {
        let mut operands = Vec::new();
        self.skip_white_and_comments();
        let start = self.pos;
        loop {
            self.skip_white_and_comments();
            if self.pos >= self.data.len() {
                return if operands.is_empty() { Ok(None) } else { Err("operands without an operator at the end".into()) };
            }
            match self.operand()? {
                Some(operand) => operands.push(operand),
                None => break,
            }
        }
        let operator = self.regular_run();
        if operator.is_empty() {
            return Err(format!("an unexpected byte at {}", self.pos));
        }
        Ok(Some(Operation { operator, operands, start, end: self.pos }))
    }
}

impl Operation<'_> {
    /// The operands as numbers, if they all are.
    pub(crate) fn numbers(&self) -> Option<Vec<f32>> {
        self.operands.iter().map(|o| if let Operand::Number(n) = o { Some(*n) } else { None }).collect()
    }

    /// The first operand as a name.
    pub(crate) fn name(&self) -> Option<&[u8]> {
        self.operands.first().and_then(|o| if let Operand::Name(n) = o { Some(*n) } else { None })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(data: &[u8]) -> Vec<(String, Vec<Operand<'_>>)> {
        let mut scanner = Scanner::new(data);
        let mut out = Vec::new();
        while let Some(op) = scanner.next_operation().unwrap() {
            out.push((String::from_utf8_lossy(op.operator).into_owned(), op.operands));
        }
        out
    }

    #[test]
    fn operators_operands_and_spans() {
        let data = b"q 1 0 0 rg /F1 9 Tf [(a\\)b) -250 <4e2d>] TJ % note\nQ";
        let ops = all(data);
        let names: Vec<&str> = ops.iter().map(|(o, _)| o.as_str()).collect();
        assert_eq!(names, ["q", "rg", "Tf", "TJ", "Q"]);
        assert_eq!(ops[1].1, [Operand::Number(1.0), Operand::Number(0.0), Operand::Number(0.0)]);
        assert_eq!(ops[2].1, [Operand::Name(b"F1"), Operand::Number(9.0)]);
        assert_eq!(ops[3].1, [Operand::Other]);
        let mut scanner = Scanner::new(b"  0.5 g\n");
        let op = scanner.next_operation().unwrap().unwrap();
        assert_eq!((op.start, op.end), (2, 7));
    }

    #[test]
    fn dictionaries_and_nested_strings_are_one_operand() {
        let ops = all(b"/Span << /ActualText (x(y)z) /K [1 2] >> BDC EMC");
        assert_eq!(ops[0].0, "BDC");
        assert_eq!(ops[0].1, [Operand::Name(b"Span"), Operand::Other]);
        assert_eq!(ops[1].0, "EMC");
    }

    #[test]
    fn broken_syntax_is_an_error_not_a_guess() {
        assert!(Scanner::new(b"(unterminated Tj").next_operation().is_err());
        assert!(Scanner::new(b"1 2").next_operation().is_err());
        assert!(Scanner::new(b"1.2.3 g").next_operation().is_err());
    }
}
