//! What every decoding error can tell a user: the rule that was broken and where.

/// A decoding or validation error that names the broken rule and the byte offset it was found at.
///
/// Every codec error type (SIP, CPIM, IMDN, multipart) implements this, so `imflow parse` and
/// the fuzz targets report them the same way.
pub trait Diagnostic: std::fmt::Display {
    /// The name of the grammar or protocol rule that was broken, e.g. `"cseq-method-mismatch"`.
    fn rule(&self) -> &'static str;
    /// The byte offset in the input where the problem was found.
    fn offset(&self) -> usize;
}
