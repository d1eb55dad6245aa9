//! A proxy's rows written by the general rule, whatever their form: each kept row as the
//! serializer writes it (name as received, value unfolded), a row already in that form copied
//! as received, neighbouring ones in one copy. The fast path (`wire_plain`) leaves to this
//! every message whose rows are not all in serializer form.

use super::{push_row, Header, HeaderKind, Message, WireOut};

/// The rows of a proxy's copy of a request ([`super::forwarded_request`]), whatever their
/// form: each kept row as [`RowWriter`] writes it.
pub(super) fn forwarded_rows_rewritten(
    msg: &Message<'_>,
    max_forwards: &str,
    out: &mut impl WireOut,
) {
    let kept = msg
        .rows()
        .filter(|h| !matches!(h.kind, HeaderKind::ContentLength | HeaderKind::MaxForwards));
    let mut rows = RowWriter::new(msg, out);
    let mut placed = false;
    if !msg.rows().any(|h| h.kind == HeaderKind::Via) {
        rows.push_row("Max-Forwards", &[max_forwards]);
        placed = true;
    }
    for row in kept {
        rows.row(&row);
        if !placed && row.kind == HeaderKind::Via {
            rows.push_row("Max-Forwards", &[max_forwards]);
            placed = true;
        }
    }
    rows.flush();
}

/// The rows of a proxy's relay of a response ([`super::relayed_response`]), whatever their
/// form.
pub(super) fn relayed_rows_rewritten(response: &Message<'_>, out: &mut impl WireOut) {
    // Via rows next to each other, one hop each (no comma): dropping the top row leaves the
    // hops below exactly where the general rewrite puts them, so the rows are copied.
    let (mut one_hop_rows, mut adjacent) = (true, true);
    let (mut vias_seen, mut vias_ended) = (false, false);
    for row in response.rows() {
        if row.kind == HeaderKind::Via {
            one_hop_rows &= !row.value.contains(',');
            adjacent &= !vias_ended;
            vias_seen = true;
        } else if vias_seen {
            vias_ended = true;
        }
    }
    let mut rows = RowWriter::new(response, out);
    let mut top_via_seen = false;
    for row in response.rows() {
        match row.kind {
            HeaderKind::ContentLength => {}
            HeaderKind::Via if one_hop_rows && adjacent => {
                if top_via_seen {
                    rows.hop(&row);
                }
                top_via_seen = true;
            }
            HeaderKind::Via => {
                if !top_via_seen {
                    for via in response.headers("Via").skip(1) {
                        rows.push_row("Via", &[via]);
                    }
                    top_via_seen = true;
                }
            }
            _ => rows.row(&row),
        }
    }
    rows.flush();
}

/// Writes header rows: a row already in the serializer's form (`name: value` CRLF, no fold) is
/// copied as received, neighbouring ones in one copy; any other row is written as the
/// serializer writes it (name as received, value unfolded).
pub(super) struct RowWriter<'m, 'o, O: WireOut = Vec<u8>> {
    head: &'m [u8],
    message: &'m Message<'m>,
    out: &'o mut O,
    /// Received rows waiting to be copied in one go.
    pub(super) run: std::ops::Range<usize>,
}

impl<'m, 'o, O: WireOut> RowWriter<'m, 'o, O> {
    pub(super) fn new(message: &'m Message<'m>, out: &'o mut O) -> Self {
        RowWriter {
            head: message.head().as_bytes(),
            message,
            out,
            run: 0..0,
        }
    }

    /// Writes received row `row`.
    fn row(&mut self, row: &Header<'_>) {
        match self.as_received(row) {
            Some(span) if !self.run.is_empty() && self.run.end == span.start => {
                self.run.end = span.end;
            }
            Some(span) => {
                self.flush();
                self.run = span;
            }
            None => {
                self.flush();
                push_row(self.out, row.name, &[&row.unfolded()]);
            }
        }
    }

    /// Writes a one-hop Via row below the proxy's own, as the general rewrite writes a hop:
    /// named `Via`, its value as received.
    pub(super) fn hop(&mut self, row: &Header<'_>) {
        match self.as_received(row) {
            Some(_) if row.name == "Via" => self.row(row),
            _ => self.push_row("Via", &[row.value]),
        }
    }

    /// Writes a row of the node's own.
    fn push_row(&mut self, name: &str, parts: &[&str]) {
        self.flush();
        push_row(self.out, name, parts);
    }

    /// Copies the rows waiting.
    pub(super) fn flush(&mut self) {
        if let Some(rows) = self.head.get(self.run.clone()) {
            self.out.put_slice(rows);
        }
        self.run = 0..0;
    }

    /// Where `row` lies in the input, when it is written exactly as the serializer would write
    /// it: `name: value` CRLF with one space and no fold.
    pub(super) fn as_received(&self, row: &Header<'_>) -> Option<std::ops::Range<usize>> {
        let name_at = self.message.offset_of(row.name);
        let colon_at = name_at + row.name.len();
        let value_end = row.offset + row.value.len();
        let byte = |at: usize| self.head.get(at).copied();
        let plain = row.offset == colon_at + 2
            && byte(colon_at) == Some(b':')
            && byte(colon_at + 1) == Some(b' ')
            && byte(value_end) == Some(b'\r')
            && byte(value_end + 1) == Some(b'\n')
            && memchr::memchr2(b'\r', b'\n', row.value.as_bytes()).is_none();
        plain.then_some(name_at..value_end + 2)
    }
}
