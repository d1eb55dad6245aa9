//! A cursor over one header value (or one list element of it) with the lexical rules of
//! RFC 3261 section 25.1: LWS (folds included), tokens, quoted strings with `\` escapes, and the
//! `SEMI`, `EQUAL`, `COMMA` separators that allow LWS on both sides.
//!
//! Positions are byte indexes into the text; errors are turned into absolute offsets by adding
//! `base`, the offset of the text in the parsed buffer.

use super::chars::{self, is_lws};
use super::error::{Rule, SipError};

/// A cursor over a slice of a header value that remembers where that slice sits in the input.
#[derive(Debug, Clone, Copy)]
pub struct Cursor<'a> {
    text: &'a str,
    pos: usize,
    base: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `text`, which begins at absolute offset `base`.
    pub fn new(text: &'a str, base: usize) -> Self {
        Cursor { text, pos: 0, base }
    }

    /// The current position (relative to the text).
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// The absolute offset of the current position.
    pub fn offset(&self) -> usize {
        self.base + self.pos
    }

    /// The absolute offset of relative position `pos`.
    pub fn offset_of(&self, pos: usize) -> usize {
        self.base + pos
    }

    /// An error for `rule` at the current position.
    pub fn err(&self, rule: Rule) -> SipError {
        SipError::new(rule, self.offset())
    }

    /// The next byte, if any.
    #[inline]
    pub fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    /// Whether the whole text has been consumed.
    pub fn at_end(&self) -> bool {
        self.pos >= self.text.len()
    }

    /// The text from relative position `from` to the current position.
    pub fn since(&self, from: usize) -> &'a str {
        self.text.get(from..self.pos).unwrap_or("")
    }

    /// The unconsumed rest of the text.
    pub fn rest(&self) -> &'a str {
        self.text.get(self.pos..).unwrap_or("")
    }

    /// Moves forward by `n` bytes (callers only step over ASCII they have just seen).
    pub fn bump(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.text.len());
    }

    /// Skips linear white space (SP, HTAB and folds); returns whether any was skipped.
    #[inline]
    pub fn skip_lws(&mut self) -> bool {
        let start = self.pos;
        while matches!(self.peek(), Some(b) if is_lws(b)) {
            self.pos += 1;
        }
        self.pos > start
    }

    /// Consumes `byte` if it is next.
    #[inline]
    pub fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Consumes `SWS byte SWS` (the RFC 3261 separators SEMI, EQUAL, COMMA, SLASH, COLON) if the
    /// next non-LWS byte is `byte`; otherwise leaves the cursor where it was.
    pub fn eat_separator(&mut self, byte: u8) -> bool {
        let save = self.pos;
        self.skip_lws();
        if self.eat(byte) {
            self.skip_lws();
            true
        } else {
            self.pos = save;
            false
        }
    }

    /// Consumes the longest run of bytes in `class` (possibly empty).
    #[inline]
    pub fn take_class(&mut self, class: u16) -> &'a str {
        let start = self.pos;
        self.pos = chars::run(self.text.as_bytes(), start, class);
        self.text.get(start..self.pos).unwrap_or("")
    }

    /// Consumes the longest run of bytes for which `keep` holds (possibly empty).
    #[inline]
    pub fn take_while(&mut self, keep: impl Fn(u8) -> bool) -> &'a str {
        let start = self.pos;
        let rest = self.text.as_bytes().get(start..).unwrap_or_default();
        let n = rest.iter().position(|&b| !keep(b)).unwrap_or(rest.len());
        self.pos = start + n;
        self.text.get(start..start + n).unwrap_or("")
    }

    /// Consumes a non-empty `token`, or fails with `rule` without moving.
    pub fn token(&mut self, rule: Rule) -> Result<&'a str, SipError> {
        let t = self.take_class(chars::TOKEN);
        if t.is_empty() {
            Err(self.err(rule))
        } else {
            Ok(t)
        }
    }

    /// Consumes a quoted string starting at `"` and returns it with its quotes.
    /// `quoted-pair` escapes any byte but CR and LF.
    pub fn quoted_string(&mut self) -> Result<&'a str, SipError> {
        let start = self.pos;
        if !self.eat(b'"') {
            return Err(self.err(Rule::UnterminatedQuotedString));
        }
        let bytes = self.text.as_bytes();
        let mut i = self.pos;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'"' => {
                    self.pos = i + 1;
                    return Ok(self.since(start));
                }
                b'\\' => match bytes.get(i + 1) {
                    Some(b'\r') | Some(b'\n') | None => break,
                    Some(_) => i += 2,
                },
                _ => i += 1,
            }
        }
        Err(SipError::new(
            Rule::UnterminatedQuotedString,
            self.offset_of(start),
        ))
    }

    /// Fails with `rule` unless only LWS remains.
    pub fn expect_end(&mut self, rule: Rule) -> Result<(), SipError> {
        self.skip_lws();
        if self.at_end() {
            Ok(())
        } else {
            Err(self.err(rule))
        }
    }
}

/// Finds the end of the element starting at `from` in a comma-separated list: the index of the
/// next `,` outside quoted strings and `<...>`, or the text length.
pub fn element_end(text: &str, from: usize, base: usize) -> Result<usize, SipError> {
    let bytes = text.as_bytes();
    let mut i = from;
    // Only `,`, `"` and `<` matter: the bytes between them are skipped a word at a time.
    while let Some(at) = chars::find_of(bytes, i, b",\"<") {
        i = at;
        match bytes.get(i) {
            Some(b'"') => {
                let mut c = Cursor::new(text, base);
                c.pos = i;
                c.quoted_string()?;
                i = c.pos;
            }
            Some(b'<') => match chars::find_of(bytes, i, b">") {
                Some(close) => i = close + 1,
                None => return Err(SipError::new(Rule::UnterminatedAngleBracket, base + i)),
            },
            _ => return Ok(i),
        }
    }
    Ok(text.len())
}

/// Trims LWS (folds included) from both ends of `s`, returning the trimmed text and the number
/// of bytes removed from the front.
pub fn trim_lws(s: &str) -> (&str, usize) {
    let bytes = s.as_bytes();
    let start = bytes
        .iter()
        .position(|&b| !is_lws(b))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|&b| !is_lws(b))
        .map_or(start, |e| e + 1);
    (s.get(start..end).unwrap_or(""), start)
}

/// Iterator over the elements of a comma-separated header value, each trimmed of LWS and paired
/// with its absolute offset. Empty elements (`a,,b`) are yielded as empty strings so validation
/// can count them; an unterminated quote or `<` ends the iteration with an error.
#[derive(Debug, Clone)]
pub struct ListElements<'a> {
    text: &'a str,
    base: usize,
    pos: usize,
    done: bool,
}

impl<'a> ListElements<'a> {
    /// The elements of `text`, which begins at absolute offset `base`.
    pub fn new(text: &'a str, base: usize) -> Self {
        ListElements {
            text,
            base,
            pos: 0,
            done: false,
        }
    }
}

impl<'a> Iterator for ListElements<'a> {
    type Item = Result<(&'a str, usize), SipError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let end = match element_end(self.text, self.pos, self.base) {
            Ok(end) => end,
            Err(e) => {
                self.done = true;
                return Some(Err(e));
            }
        };
        let raw = self.text.get(self.pos..end).unwrap_or("");
        let (trimmed, lead) = trim_lws(raw);
        let offset = self.base + self.pos + lead;
        if end >= self.text.len() {
            self.done = true;
        } else {
            self.pos = end + 1;
        }
        Some(Ok((trimmed, offset)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elements(s: &str) -> Vec<&str> {
        ListElements::new(s, 0).map(|e| e.unwrap().0).collect()
    }

    #[test]
    fn commas_inside_quotes_and_angle_brackets_do_not_split() {
        assert_eq!(
            elements(r#""a, \"b\"" <sip:x@y;p=1,2>;q=1 , <sip:z>"#),
            vec![r#""a, \"b\"" <sip:x@y;p=1,2>;q=1"#, "<sip:z>"]
        );
    }

    #[test]
    fn empty_elements_are_reported_as_empty() {
        assert_eq!(elements("a,, b ,"), vec!["a", "", "b", ""]);
    }

    #[test]
    fn unterminated_quote_is_an_error_with_its_offset() {
        let e = ListElements::new("x, \"open", 10)
            .nth(1)
            .unwrap()
            .unwrap_err();
        assert_eq!(e, SipError::new(Rule::UnterminatedQuotedString, 13));
    }

    #[test]
    fn separators_allow_folded_whitespace() {
        let mut c = Cursor::new("a \r\n ; b", 0);
        c.token(Rule::InvalidParameter).unwrap();
        assert!(c.eat_separator(b';'));
        assert_eq!(c.rest(), "b");
    }
}
