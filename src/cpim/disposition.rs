//! `imdn.Disposition-Notification` (RFC 5438 section 6.2): which IMDNs the sender asks for.

use super::grammar::is_token;
use std::fmt;

/// One kind of notification a sender may request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Disposition {
    /// `positive-delivery`: tell me when it was delivered.
    PositiveDelivery,
    /// `negative-delivery`: tell me when delivery failed.
    NegativeDelivery,
    /// `processing`: intermediaries may tell me they processed or stored it.
    Processing,
    /// `display`: tell me when it was displayed.
    Display,
}

impl Disposition {
    /// All dispositions, in the canonical order used when writing a set.
    pub const ALL: [Disposition; 4] = [
        Self::PositiveDelivery,
        Self::NegativeDelivery,
        Self::Processing,
        Self::Display,
    ];

    /// The token on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PositiveDelivery => "positive-delivery",
            Self::NegativeDelivery => "negative-delivery",
            Self::Processing => "processing",
            Self::Display => "display",
        }
    }

    /// The disposition a wire token names (tokens compare case-insensitively), if known.
    pub fn from_token(token: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|d| d.as_str().eq_ignore_ascii_case(token))
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// A set of requested dispositions; unknown tokens on the wire are ignored (section 6.2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct DispositionSet(u8);

impl DispositionSet {
    /// The empty set: no IMDN requested.
    pub const EMPTY: Self = Self(0);

    /// Whether `d` is requested.
    pub fn contains(self, d: Disposition) -> bool {
        self.0 & d.bit() != 0
    }

    /// The set with `d` added.
    pub fn with(self, d: Disposition) -> Self {
        Self(self.0 | d.bit())
    }

    /// Whether nothing is requested.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The requested dispositions in canonical order.
    pub fn iter(self) -> impl Iterator<Item = Disposition> {
        Disposition::ALL
            .into_iter()
            .filter(move |d| self.contains(*d))
    }

    /// Parses a header value: `notify-req *("," notify-req)`, each `token *(";" param)`.
    pub fn parse(value: &str) -> Option<Self> {
        let mut set = Self::EMPTY;
        if value.is_empty() {
            return Some(set);
        }
        // The usual value, one token exactly as written here, needs no splitting.
        if let Some(d) = Disposition::ALL.into_iter().find(|d| d.as_str() == value) {
            return Some(set.with(d));
        }
        for item in value.split(',') {
            let mut pieces = item.trim_matches(' ').split(';');
            let token = pieces.next().unwrap_or_default().trim_matches(' ');
            if !is_token(token) || !pieces.all(|p| is_param(p.trim_matches(' '))) {
                return None;
            }
            if let Some(d) = Disposition::from_token(token) {
                set = set.with(d);
            }
        }
        Some(set)
    }
}

fn is_param(p: &str) -> bool {
    match p.split_once('=') {
        Some((name, value)) => is_token(name) && (is_token(value) || value.starts_with('"')),
        None => is_token(p),
    }
}

impl FromIterator<Disposition> for DispositionSet {
    fn from_iter<I: IntoIterator<Item = Disposition>>(iter: I) -> Self {
        iter.into_iter().fold(Self::EMPTY, Self::with)
    }
}

impl fmt::Display for DispositionSet {
    /// Writes the header value, e.g. `positive-delivery, display`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(d.as_str())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_dispositions_are_ignored() {
        let set = DispositionSet::parse("positive-delivery, x-future;q=1, display").unwrap();
        assert_eq!(set.to_string(), "positive-delivery, display");
    }

    #[test]
    fn malformed_list_is_refused() {
        assert_eq!(DispositionSet::parse("positive-delivery,,display"), None);
        assert_eq!(DispositionSet::parse("a b"), None);
    }

    #[test]
    fn a_lone_token_reads_as_the_general_list_reads_it() {
        for d in Disposition::ALL {
            let general = format!(" {}", d.as_str());
            assert_eq!(
                DispositionSet::parse(d.as_str()),
                DispositionSet::parse(&general)
            );
            assert_eq!(
                DispositionSet::parse(d.as_str()),
                Some(DispositionSet::EMPTY.with(d))
            );
        }
    }

    #[test]
    fn written_set_parses_back() {
        let all: DispositionSet = Disposition::ALL.into_iter().collect();
        assert_eq!(DispositionSet::parse(&all.to_string()), Some(all));
    }
}
