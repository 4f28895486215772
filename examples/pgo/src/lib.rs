//! A JSON scanner: one pass over the bytes of a document, validating it and counting what it
//! holds. The hot loop is a byte-level recursive descent with a branch per byte class, the kind
//! of code whose speed depends on how the compiler lays out branches and what it inlines, which
//! is what profile-guided optimisation improves. Numbers are parsed here too (not by the
//! standard library, which is precompiled and never sees the profile).

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Documents nested deeper than this are refused (the scanner recurses once per level).
const MAX_DEPTH: u32 = 512;

#[derive(Default)]
struct Counts {
    objects: u64,
    arrays: u64,
    keys: u64,
    strings: u64,
    escapes: u64,
    numbers: u64,
    literals: u64,
    total: f64,
    max_depth: u32,
}

struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
    counts: Counts,
}

type Scan<T> = Result<T, String>;

impl<'a> Scanner<'a> {
    fn error<T>(&self, expected: &str) -> Scan<T> {
        match self.bytes.get(self.at) {
            Some(b) => Err(format!(
                "invalid JSON at byte {}: expected {expected}, found {:?}",
                self.at, *b as char
            )),
            None => Err(format!("invalid JSON at byte {}: expected {expected}, found the end", self.at)),
        }
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn value(&mut self, depth: u32) -> Scan<()> {
        self.skip_whitespace();
        match self.bytes.get(self.at) {
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => {
                self.string()?;
                self.counts.strings += 1;
                Ok(())
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            _ => self.error("a value"),
        }
    }

    fn enter(&mut self, depth: u32) -> Scan<()> {
        if depth > MAX_DEPTH {
            return self.error("less nesting (at most 512 levels)");
        }
        self.counts.max_depth = self.counts.max_depth.max(depth);
        self.at += 1;
        self.skip_whitespace();
        Ok(())
    }

    fn object(&mut self, depth: u32) -> Scan<()> {
        self.enter(depth)?;
        self.counts.objects += 1;
        if self.bytes.get(self.at) == Some(&b'}') {
            self.at += 1;
            return Ok(());
        }
        loop {
            self.skip_whitespace();
            if self.bytes.get(self.at) != Some(&b'"') {
                return self.error("a key");
            }
            self.string()?;
            self.counts.keys += 1;
            self.skip_whitespace();
            if self.bytes.get(self.at) != Some(&b':') {
                return self.error("':'");
            }
            self.at += 1;
            self.value(depth)?;
            self.skip_whitespace();
            match self.bytes.get(self.at) {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(());
                }
                _ => return self.error("',' or '}'"),
            }
        }
    }

    fn array(&mut self, depth: u32) -> Scan<()> {
        self.enter(depth)?;
        self.counts.arrays += 1;
        if self.bytes.get(self.at) == Some(&b']') {
            self.at += 1;
            return Ok(());
        }
        loop {
            self.value(depth)?;
            self.skip_whitespace();
            match self.bytes.get(self.at) {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(());
                }
                _ => return self.error("',' or ']'"),
            }
        }
    }

    fn string(&mut self) -> Scan<()> {
        self.at += 1;
        loop {
            match self.bytes.get(self.at) {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.counts.escapes += 1;
                    match self.bytes.get(self.at + 1) {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => self.at += 2,
                        Some(b'u') => {
                            let hex = self.bytes.get(self.at + 2..self.at + 6);
                            if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                                self.at += 2;
                                return self.error("four hex digits");
                            }
                            self.at += 6;
                        }
                        _ => {
                            self.at += 1;
                            return self.error("an escape character");
                        }
                    }
                }
                Some(0..=0x1f) => return self.error("no control character in a string"),
                Some(_) => self.at += 1,
                None => return self.error("'\"'"),
            }
        }
    }

    fn digits(&mut self) -> (f64, u32) {
        let mut value = 0.0;
        let mut count = 0;
        while let Some(&b @ b'0'..=b'9') = self.bytes.get(self.at) {
            value = value * 10.0 + f64::from(b - b'0');
            count += 1;
            self.at += 1;
        }
        (value, count)
    }

    fn number(&mut self) -> Scan<()> {
        let negative = self.bytes.get(self.at) == Some(&b'-');
        if negative {
            self.at += 1;
        }
        let leading_zero = self.bytes.get(self.at) == Some(&b'0');
        let (mut value, count) = self.digits();
        if count == 0 || (leading_zero && count > 1) {
            return self.error("a digit (no leading zeros)");
        }
        if self.bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            let (fraction, places) = self.digits();
            if places == 0 {
                return self.error("a digit after '.'");
            }
            value += fraction / 10f64.powi(places as i32);
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.at) {
            self.at += 1;
            let minus = self.bytes.get(self.at) == Some(&b'-');
            if let Some(b'+' | b'-') = self.bytes.get(self.at) {
                self.at += 1;
            }
            let (exponent, places) = self.digits();
            if places == 0 {
                return self.error("a digit in the exponent");
            }
            value *= 10f64.powf(if minus { -exponent } else { exponent });
        }
        self.counts.numbers += 1;
        self.counts.total += if negative { -value } else { value };
        Ok(())
    }

    fn literal(&mut self, word: &[u8]) -> Scan<()> {
        if self.bytes.get(self.at..self.at + word.len()) != Some(word) {
            return self.error(std::str::from_utf8(word).unwrap_or("a literal"));
        }
        self.at += word.len();
        self.counts.literals += 1;
        Ok(())
    }
}

/// Scans one JSON document: what it holds, or ValueError with the byte where it stops being JSON.
fn scan_text(text: &str) -> Scan<Counts> {
    let mut scanner = Scanner { bytes: text.as_bytes(), at: 0, counts: Counts::default() };
    scanner.value(0)?;
    scanner.skip_whitespace();
    if scanner.at != scanner.bytes.len() {
        return scanner.error("the end of the document");
    }
    Ok(scanner.counts)
}

/// Scans a JSON document and returns what it holds: objects, arrays, keys, strings (keys not
/// included), escapes, numbers, literals (true, false, null), the sum of the numbers and the
/// deepest nesting. Raises ValueError on a document that is not JSON.
#[pyfunction]
fn scan<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyDict>> {
    let counts = scan_text(text).map_err(PyValueError::new_err)?;
    let result = PyDict::new(py);
    result.set_item("objects", counts.objects)?;
    result.set_item("arrays", counts.arrays)?;
    result.set_item("keys", counts.keys)?;
    result.set_item("strings", counts.strings)?;
    result.set_item("escapes", counts.escapes)?;
    result.set_item("numbers", counts.numbers)?;
    result.set_item("literals", counts.literals)?;
    result.set_item("total", counts.total)?;
    result.set_item("max_depth", counts.max_depth)?;
    Ok(result)
}

#[pymodule]
fn jsonscan(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(scan, m)?)?;
    Ok(())
}
