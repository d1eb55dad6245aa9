//! Storage for header row spans: the first `INLINE_ROWS` rows live inside the message value,
//! so parsing a typical message allocates nothing; longer messages spill the rest to a `Vec`
//! that `SIP_HEADER_ROWS_MAX` bounds.

use super::framing::Row;
use super::header_name::HeaderKind;

/// Rows kept inline; typical SIP messages (the seed flow's have 7 to 12) fit, and a message
/// value stays small enough to move cheaply (a node moves each message it receives a few
/// times, and every inline row is copied each time).
const INLINE_ROWS: usize = 12;

/// Header rows in order.
#[derive(Debug, Clone)]
pub(crate) struct RowTable {
    inline: [Row; INLINE_ROWS],
    inline_len: usize,
    spill: Vec<Row>,
    /// One bit per header kind present (see [`RowTable::kind_bit`]): a lookup of an absent header, which
    /// validation makes for a dozen kinds per message, skips the scan.
    kinds: u64,
    /// One bit per header kind present in two rows or more.
    repeated: u64,
    /// For each kind, by discriminant, 1 + the index of its last row (0: none, or the row
    /// lies beyond `u8`): the row of a kind present once is found without a scan. (The last
    /// row rather than the first, so that a push writes it without looking.)
    last: [u8; KINDS],
}

/// Number of `HeaderKind` variants (`Other` is the last).
const KINDS: usize = HeaderKind::Other as usize + 1;

impl RowTable {
    /// The bit of `kind` in the table's sets of kinds (kinds beyond 63 share the top bit, which
    /// only makes a check less precise, never wrong).
    pub(crate) const fn kind_bit(kind: HeaderKind) -> u64 {
        let index = kind as u32;
        1u64 << if index < 63 { index } else { 63 }
    }

    /// The kinds present, and the kinds present in two rows or more, as sets of
    /// [`kind_bit`](Self::kind_bit) bits.
    pub(crate) fn kind_sets(&self) -> (u64, u64) {
        (self.kinds, self.repeated)
    }

    /// An empty table (no allocation).
    pub fn new() -> Self {
        RowTable {
            inline: [Row::default(); INLINE_ROWS],
            inline_len: 0,
            spill: Vec::new(),
            kinds: 0,
            repeated: 0,
            last: [0; KINDS],
        }
    }

    /// Appends a row.
    #[inline]
    pub fn push(&mut self, row: Row) {
        let bit = Self::kind_bit(row.kind);
        self.repeated |= self.kinds & bit;
        self.kinds |= bit;
        let kind = row.kind as usize;
        let position = match self.inline.get_mut(self.inline_len) {
            Some(slot) => {
                *slot = row;
                self.inline_len += 1;
                // At most INLINE_ROWS, far below `u8::MAX`.
                self.inline_len as u8
            }
            None => {
                self.spill.push(row);
                u8::try_from(self.len()).unwrap_or(0)
            }
        };
        if let Some(slot) = self.last.get_mut(kind) {
            *slot = position;
        }
    }

    /// Whether a row of `kind` may be present (false: certainly absent).
    pub fn holds(&self, kind: HeaderKind) -> bool {
        self.kinds & Self::kind_bit(kind) != 0
    }

    /// The only row of a known `kind`: `Some(None)` when absent, `Some(Some(row))` when present
    /// once, `None` when the table cannot tell without a scan (the kind repeats, is `Other`,
    /// shares its presence bit, or its first row lies beyond the index).
    pub fn lone(&self, kind: HeaderKind) -> Option<Option<&Row>> {
        if kind == HeaderKind::Other || kind as u32 >= 63 {
            return None;
        }
        if !self.holds(kind) {
            return Some(None);
        }
        if self.repeated & Self::kind_bit(kind) != 0 {
            return None;
        }
        let index = usize::from(*self.last.get(kind as usize)?).checked_sub(1)?;
        let row = match index.checked_sub(INLINE_ROWS) {
            None => self.inline.get(index),
            Some(spilled) => self.spill.get(spilled),
        };
        row.map(Some)
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.inline_len + self.spill.len()
    }

    /// The rows in order, as the inline part and the spilled rest.
    pub fn slices(&self) -> (&[Row], &[Row]) {
        (
            self.inline.get(..self.inline_len).unwrap_or(&[]),
            &self.spill,
        )
    }

    /// The rows in order.
    pub fn iter(&self) -> impl Iterator<Item = &Row> + '_ {
        self.inline
            .get(..self.inline_len)
            .unwrap_or(&[])
            .iter()
            .chain(self.spill.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sip::framing::Span;

    #[test]
    fn rows_keep_their_order_across_the_spill() {
        let mut t = RowTable::new();
        for i in 0..40u32 {
            t.push(Row {
                name: Span { start: i, end: i },
                ..Row::default()
            });
        }
        assert_eq!(t.len(), 40);
        assert!(t.iter().map(|r| r.name.start).eq(0..40));
        assert_eq!(t.spill.len(), 40 - INLINE_ROWS);
    }

    #[test]
    fn a_lone_row_is_found_without_a_scan_and_a_repeated_one_is_not() {
        let mut t = RowTable::new();
        let row = |kind, start| Row {
            kind,
            name: Span { start, end: start },
            ..Row::default()
        };
        for i in 0..40u32 {
            t.push(row(HeaderKind::Other, i));
        }
        t.push(row(HeaderKind::CSeq, 40));
        t.push(row(HeaderKind::Via, 41));
        t.push(row(HeaderKind::Via, 42));
        assert_eq!(
            t.lone(HeaderKind::CSeq),
            Some(Some(&row(HeaderKind::CSeq, 40)))
        );
        assert_eq!(t.lone(HeaderKind::To), Some(None));
        assert_eq!(t.lone(HeaderKind::Via), None);
        assert_eq!(t.lone(HeaderKind::Other), None);
    }

    #[test]
    fn a_kind_is_held_once_a_row_of_it_is_pushed() {
        let mut t = RowTable::new();
        assert!(!t.holds(HeaderKind::Via));
        t.push(Row {
            kind: HeaderKind::Via,
            ..Row::default()
        });
        assert!(t.holds(HeaderKind::Via));
        assert!(!t.holds(HeaderKind::Route));
    }
}
