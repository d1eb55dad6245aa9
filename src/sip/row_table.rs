//! Storage for header row spans: the first `INLINE_ROWS` rows live inside the message value,
//! so parsing a typical message allocates nothing; longer messages spill the rest to a `Vec`
//! that `SIP_HEADER_ROWS_MAX` bounds.

use super::framing::Row;

/// Rows kept inline; typical SIP messages (the seed flow's have 7 to 12) fit.
const INLINE_ROWS: usize = 32;

/// Header rows in order.
#[derive(Debug, Clone)]
pub(crate) struct RowTable {
    inline: [Row; INLINE_ROWS],
    inline_len: usize,
    spill: Vec<Row>,
}

impl RowTable {
    /// An empty table (no allocation).
    pub fn new() -> Self {
        RowTable {
            inline: [Row::default(); INLINE_ROWS],
            inline_len: 0,
            spill: Vec::new(),
        }
    }

    /// Appends a row.
    pub fn push(&mut self, row: Row) {
        match self.inline.get_mut(self.inline_len) {
            Some(slot) => {
                *slot = row;
                self.inline_len += 1;
            }
            None => self.spill.push(row),
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.inline_len + self.spill.len()
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
        assert_eq!(t.spill.len(), 8);
    }
}
