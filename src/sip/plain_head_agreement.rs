//! The oracle that keeps the plain framing honest outside the unit tests: whenever
//! [`scan_plain`] takes a buffer, the general scanner frames it without error into the same
//! head, rows and Content-Length. The unit tests (`plain_head_tests`) and the `sip_message`
//! fuzz target both check it.

use super::content_length::ContentLength;
use super::framing::{self, Head, Row, Scan};
use super::header_name::HeaderKind;
use super::plain_head::scan_plain;
use super::row_table::RowTable;

/// What a framing found: the head, the rows in order and the Content-Length.
pub(crate) type Framed = (Head, Vec<Row>, Option<usize>);

/// The plain framing of `buf`, if it takes it.
pub(crate) fn plain(buf: &[u8]) -> Option<Framed> {
    let mut rows = RowTable::new();
    let p = scan_plain(buf, &mut rows)?;
    Some((p.head, rows.iter().copied().collect(), p.content_length))
}

/// The general scanner's framing, with Content-Length rows read as `parse_datagram` reads them.
pub(crate) fn general(buf: &[u8]) -> Result<Option<Framed>, crate::sip::SipError> {
    let mut rows = Vec::new();
    let mut length = ContentLength::default();
    let scanned = framing::scan(buf, |row| {
        if row.kind == HeaderKind::ContentLength {
            length.see(buf, &row)?;
        }
        rows.push(row);
        Ok(())
    })?;
    Ok(match scanned {
        Scan::Complete(head) => Some((head, rows, length.value)),
        Scan::Partial => None,
    })
}

/// Checks that a plain framing of `buf`, if any, is the general one.
pub(crate) fn assert_agrees(buf: &[u8]) {
    if let Some(fast) = plain(buf) {
        assert_eq!(
            general(buf),
            Ok(Some(fast)),
            "{:?}",
            String::from_utf8_lossy(buf)
        );
    }
}
