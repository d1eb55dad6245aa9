//! The `NS` prefix bindings of a CPIM header block (RFC 3862 section 4.6), kept inline for
//! the few a message declares (`#[inline]`: the header parser calls them per header).

/// Prefix bindings kept inline; a block declaring more spills the rest to a `Vec`.
const INLINE_BINDINGS: usize = 4;

/// One `NS` declaration with a prefix: (prefix, namespace URI).
type Binding<'a> = (&'a str, &'a str);

/// The `NS` prefix bindings seen so far, in order.
pub(crate) struct Bindings<'a> {
    inline: [Binding<'a>; INLINE_BINDINGS],
    inline_len: usize,
    spill: Vec<Binding<'a>>,
}

impl<'a> Bindings<'a> {
    /// No bindings yet.
    #[inline]
    pub(crate) fn new() -> Self {
        Bindings {
            inline: [("", ""); INLINE_BINDINGS],
            inline_len: 0,
            spill: Vec::new(),
        }
    }

    /// Records a declaration; a later one for the same prefix wins.
    #[inline]
    pub(crate) fn push(&mut self, binding: Binding<'a>) {
        match self.inline.get_mut(self.inline_len) {
            Some(slot) => {
                *slot = binding;
                self.inline_len += 1;
            }
            None => self.spill.push(binding),
        }
    }

    #[inline]
    fn as_slices(&self) -> (&[Binding<'a>], &[Binding<'a>]) {
        (
            self.inline.get(..self.inline_len).unwrap_or(&[]),
            &self.spill,
        )
    }

    /// The URI bound to `prefix` by its latest declaration.
    #[inline]
    pub(crate) fn resolve(&self, prefix: &str) -> Option<&'a str> {
        let (inline, spill) = self.as_slices();
        spill
            .iter()
            .rev()
            .chain(inline.iter().rev())
            .find(|(bound, _)| *bound == prefix)
            .map(|(_, uri)| *uri)
    }

    /// Whether `prefix` is bound at all.
    #[inline]
    pub(crate) fn binds(&self, prefix: &str) -> bool {
        self.resolve(prefix).is_some()
    }
}
