//! Writing one CPIM header line (RFC 3862 section 3.1) into a builder:
//! `[prefix "."] name ":" [";lang=" lang] SP value CRLF`, remembering where each piece lies.

use super::CpimBuilder;
use crate::cpim::disposition::DispositionSet;
use crate::cpim::proof::{SingleBit, ValueRule};
use std::ops::Range;

/// Where the pieces of one written CPIM header line lie in the builder's `headers`.
#[derive(Clone, Debug)]
pub(super) struct HeaderSpan {
    pub(super) prefix: Option<Range<usize>>,
    pub(super) name: Range<usize>,
    /// The value of a `;lang=` parameter (only `Subject` has one).
    pub(super) lang: Option<Range<usize>>,
    pub(super) value: Range<usize>,
}

/// One way of writing a header value into the builder's lines.
pub(super) enum Value<'v> {
    /// Written as it is.
    Text(&'v str),
    /// Pieces written one after the other, e.g. `<`, a URI and `>` for an address without a
    /// display name.
    Pieces([&'v str; 3]),
    /// A disposition list, written from the set.
    Dispositions(DispositionSet),
}

impl CpimBuilder {
    /// Writes `[prefix "."] name ":" [";lang=" lang] SP value CRLF` and records its span.
    pub(super) fn write(
        &mut self,
        prefix: Option<&str>,
        name: &str,
        lang: Option<&str>,
        value: Value<'_>,
    ) -> Range<usize> {
        let out = &mut self.headers;
        let line_start = out.len();
        let prefix = prefix.map(|p| {
            let at = out.len();
            out.push_str(p);
            out.push('.');
            at..at + p.len()
        });
        let name_at = out.len();
        out.push_str(name);
        out.push(':');
        let lang = lang.map(|l| {
            out.push_str(";lang=");
            let at = out.len();
            out.push_str(l);
            at..at + l.len()
        });
        out.push(' ');
        let value_at = out.len();
        match value {
            Value::Text(text) => out.push_str(text),
            Value::Pieces(pieces) => {
                for piece in pieces {
                    out.push_str(piece);
                }
            }
            Value::Dispositions(set) => {
                for (i, d) in set.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(d.as_str());
                }
            }
        }
        let value = value_at..out.len();
        out.push_str("\r\n");
        self.spans.push(HeaderSpan {
            prefix,
            name: name_at..name_at + name.len(),
            lang,
            value: value.clone(),
        });
        line_start..value.end
    }

    /// Adds a header the builder formats itself and checks its line under `rule`.
    pub(super) fn checked(
        mut self,
        prefix: Option<&str>,
        name: &str,
        value: Value<'_>,
        rule: ValueRule,
        single: SingleBit,
    ) -> Self {
        let line = self.write(prefix, name, None, value);
        let value = self.spans.last().map_or(0..0, |s| s.value.clone());
        let text = self.headers.get(value).unwrap_or_default();
        self.proof.header(line.len(), text, rule, single);
        self
    }
}
