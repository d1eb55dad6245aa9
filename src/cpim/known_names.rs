//! The header names every IM and IMDN of RFC 5438 writes, recognised by their bytes: a line
//! that starts with one of them and its `": "` has a valid `[Name-prefix "."] Name` (RFC 3862
//! section 3.6) without a look at each byte. Only the prefix `imdn` is known here (the one
//! RFC 5438 declares in its examples); a line naming any other is read byte by byte.

/// Unprefixed names with their `": "`: From, To, DateTime (RFC 3862 section 4), NS.
const UNPREFIXED: [&[u8]; 4] = [b"From: ", b"To: ", b"DateTime: ", b"NS: "];

/// How many of [`UNPREFIXED`], from the first, take an address (From, To).
const UNPREFIXED_ADDRESSES: usize = 2;

/// The known prefix with its dot.
const IMDN_PREFIX: &[u8] = b"imdn.";

/// Names of RFC 5438 section 6 with their `": "`, after the prefix.
const IMDN_NAMES: [&[u8]; 5] = [
    b"Original-To: ",
    b"IMDN-Record-Route: ",
    b"IMDN-Route: ",
    b"Message-ID: ",
    b"Disposition-Notification: ",
];

/// How many of [`IMDN_NAMES`], from the first, take an address (Original-To and the routes).
const IMDN_ADDRESSES: usize = 3;

/// Where a known name ends in a header line, and what its value holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct KnownName {
    /// Offset of the dot after the prefix, if the name has one.
    pub(super) dot: Option<usize>,
    /// Offset of the colon (a SP follows it).
    pub(super) colon: usize,
    /// Whether the header of this name in its RFC namespace takes an address value.
    pub(super) takes_address: bool,
}

/// The known name a header line starts with (with its `": "`); `None` for any other line.
pub(super) fn known_name(line: &[u8]) -> Option<KnownName> {
    // Each list is tried only from the first byte that can start one of its names.
    let colon_of = |name_and_sep: &[u8]| name_and_sep.len() - 2;
    if let Some(after) = line.strip_prefix(IMDN_PREFIX) {
        let first = *after.first()?;
        let at = IMDN_NAMES
            .iter()
            .position(|n| n.first() == Some(&first) && after.starts_with(n))?;
        return Some(KnownName {
            dot: Some(IMDN_PREFIX.len() - 1),
            colon: IMDN_PREFIX.len() + colon_of(IMDN_NAMES.get(at)?),
            takes_address: at < IMDN_ADDRESSES,
        });
    }
    let first = *line.first()?;
    let at = UNPREFIXED
        .iter()
        .position(|n| n.first() == Some(&first) && line.starts_with(n))?;
    Some(KnownName {
        dot: None,
        colon: colon_of(UNPREFIXED.get(at)?),
        takes_address: at < UNPREFIXED_ADDRESSES,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_name_has_its_colon_and_dot_where_the_bytes_have_them() {
        let lines = UNPREFIXED
            .iter()
            .map(|n| n.to_vec())
            .chain(IMDN_NAMES.iter().map(|n| [IMDN_PREFIX, n].concat()));
        let address_names = [
            "From",
            "To",
            "Original-To",
            "IMDN-Record-Route",
            "IMDN-Route",
        ];
        for line in lines {
            let known = known_name(&line).expect("a known name");
            assert_eq!(line.get(known.colon..), Some(&b": "[..]));
            assert_eq!(known.dot, line.iter().position(|&b| b == b'.'));
            let name = &line[known.dot.map_or(0, |d| d + 1)..known.colon];
            let takes = address_names.iter().any(|n| n.as_bytes() == name);
            assert_eq!(known.takes_address, takes, "{line:?}");
        }
        for other in [
            &b"Fro: "[..],
            b"From:x",
            b"imdn.Message-ID:",
            b"im.To: ",
            b"",
            b"i",
        ] {
            assert_eq!(known_name(other), None, "{other:?}");
        }
    }
}
