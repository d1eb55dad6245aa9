//! The header names every IM and IMDN of RFC 5438 writes, recognised by their bytes: a line
//! that starts with one of them and its `": "` has a valid `[Name-prefix "."] Name` (RFC 3862
//! section 3.6) without a look at each byte. Only the prefix `imdn` is known here (the one
//! RFC 5438 declares in its examples); a line naming any other is read byte by byte.

/// Unprefixed names with their `": "`: From, To, DateTime (RFC 3862 section 4), NS.
const UNPREFIXED: [&[u8]; 4] = [b"From: ", b"To: ", b"DateTime: ", b"NS: "];

/// The known prefix with its dot.
const IMDN_PREFIX: &[u8] = b"imdn.";

/// Names of RFC 5438 section 6 with their `": "`, after the prefix.
const IMDN_NAMES: [&[u8]; 5] = [
    b"Message-ID: ",
    b"Disposition-Notification: ",
    b"Original-To: ",
    b"IMDN-Record-Route: ",
    b"IMDN-Route: ",
];

/// Where the dot (if any) and the colon of a line that starts with a known name and `": "`
/// are; `None` for any other line.
pub(super) fn known_name(line: &[u8]) -> Option<(Option<usize>, usize)> {
    // Each list is tried only from the first byte that can start one of its names.
    let colon_of = |name_and_sep: &[u8]| name_and_sep.len() - 2;
    if let Some(after) = line.strip_prefix(IMDN_PREFIX) {
        let first = *after.first()?;
        let name = IMDN_NAMES
            .iter()
            .find(|n| n.first() == Some(&first) && after.starts_with(n))?;
        return Some((
            Some(IMDN_PREFIX.len() - 1),
            IMDN_PREFIX.len() + colon_of(name),
        ));
    }
    let first = *line.first()?;
    let name = UNPREFIXED
        .iter()
        .find(|n| n.first() == Some(&first) && line.starts_with(n))?;
    Some((None, colon_of(name)))
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
        for line in lines {
            let (dot, colon) = known_name(&line).expect("a known name");
            assert_eq!(line.get(colon..), Some(&b": "[..]));
            assert_eq!(dot, line.iter().position(|&b| b == b'.'));
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
