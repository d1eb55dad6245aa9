//! Header-name classification checked against the table: every known name and compact form,
//! every one-byte change of one, short names, and generated names against a plain case-insensitive
//! compare with every row.

use super::*;

#[test]
fn table_is_sorted_by_length_and_first_letter_and_fits_the_index() {
    let key = |n: &str| (n.len(), n.as_bytes()[0].to_ascii_lowercase());
    assert!(TABLE.windows(2).all(|w| key(w[0].1) <= key(w[1].1)));
    assert!(TABLE.iter().all(|row| row.1.len() <= NAME_LENGTH_MAX));
}

#[test]
fn every_known_name_and_compact_form_maps_back_to_its_kind() {
    for &(kind, name, compact, _) in TABLE {
        assert_eq!(HeaderKind::from_name(name), kind);
        assert_eq!(HeaderKind::from_name(&name.to_ascii_uppercase()), kind);
        if let Some(c) = compact {
            assert_eq!(HeaderKind::from_name(&(c as char).to_string()), kind);
            assert_eq!(
                HeaderKind::from_name(&(c as char).to_ascii_uppercase().to_string()),
                kind
            );
        }
    }
}

#[test]
fn every_kind_but_other_has_exactly_one_row() {
    for &(kind, name, compact, shape) in TABLE {
        assert_eq!(kind.canonical_name(), Some(name));
        assert_eq!(kind.compact_form(), compact.map(char::from));
        assert_eq!(kind.shape(), shape);
    }
    assert_eq!(TABLE.len(), KINDS - 1);
    assert_eq!(K::Other.canonical_name(), None);
    assert_eq!(K::Other.shape(), Shape::Opaque);
}

#[test]
fn names_differing_from_a_known_one_by_a_byte_are_other() {
    for &(_, name, _, _) in TABLE {
        for at in 0..name.len() {
            for b in 0..=255u8 {
                let mut bytes = name.as_bytes().to_vec();
                if bytes[at].eq_ignore_ascii_case(&b) {
                    continue;
                }
                bytes[at] = b;
                let kind = HeaderKind::from_name_bytes(&bytes);
                let same = TABLE
                    .iter()
                    .find(|row| row.1.as_bytes().eq_ignore_ascii_case(&bytes))
                    .map_or(K::Other, |row| row.0);
                assert_eq!(kind, same, "{:?}", String::from_utf8_lossy(&bytes));
            }
        }
    }
}

/// The plain reference: a case-insensitive compare against every row of the table.
fn reference_kind(name: &[u8]) -> HeaderKind {
    if let [c] = name {
        return TABLE
            .iter()
            .find(|row| row.2 == Some(c.to_ascii_lowercase()))
            .map_or(K::Other, |row| row.0);
    }
    TABLE
        .iter()
        .find(|row| row.1.as_bytes().eq_ignore_ascii_case(name))
        .map_or(K::Other, |row| row.0)
}

proptest::proptest! {
    #[test]
    fn any_name_is_classified_as_the_plain_table_compare_does(
        pick in 0..TABLE.len(),
        cut in 0usize..24,
        noise in proptest::collection::vec(0u8..=255, 0..24),
        flips in proptest::collection::vec(proptest::bool::ANY, 24),
    ) {
        // A known name with letters re-cased, then cut short or extended, or pure noise.
        let mut name: Vec<u8> = TABLE[pick]
            .1
            .bytes()
            .zip(&flips)
            .map(|(b, &up)| if up { b.to_ascii_uppercase() } else { b })
            .collect();
        match cut % 3 {
            0 => name.truncate(cut),
            1 => name.extend_from_slice(&noise),
            _ => name = noise.clone(),
        }
        proptest::prop_assert_eq!(HeaderKind::from_name_bytes(&name), reference_kind(&name));
    }
}

#[test]
fn every_short_name_is_classified_as_the_plain_table_compare_does() {
    let alphabet = b"aAbcCdeEfFiIjklLmMoOrsStTuvVxz-%0";
    for &a in alphabet {
        assert_eq!(HeaderKind::from_name_bytes(&[a]), reference_kind(&[a]));
        for &b in alphabet {
            for &c in alphabet {
                let name = [a, b, c];
                assert_eq!(
                    HeaderKind::from_name_bytes(&name[..2]),
                    reference_kind(&name[..2])
                );
                assert_eq!(HeaderKind::from_name_bytes(&name), reference_kind(&name));
            }
        }
    }
}

#[test]
fn compact_forms_of_rfc3261_and_extensions() {
    let pairs = [
        ("i", K::CallId),
        ("m", K::Contact),
        ("e", K::ContentEncoding),
        ("l", K::ContentLength),
        ("c", K::ContentType),
        ("f", K::From),
        ("s", K::Subject),
        ("k", K::Supported),
        ("t", K::To),
        ("v", K::Via),
        ("o", K::Event),
        ("u", K::AllowEvents),
        ("r", K::ReferTo),
        ("b", K::ReferredBy),
        ("a", K::AcceptContact),
        ("j", K::RejectContact),
        ("d", K::RequestDisposition),
        ("x", K::SessionExpires),
    ];
    for (c, kind) in pairs {
        assert_eq!(HeaderKind::from_name(c), kind, "{c}");
    }
    assert_eq!(HeaderKind::from_name("C%6Fntact"), K::Other);
    assert_eq!(HeaderKind::from_name("z"), K::Other);
}

#[test]
fn credentials_are_never_split() {
    for k in [
        K::WwwAuthenticate,
        K::Authorization,
        K::ProxyAuthenticate,
        K::ProxyAuthorization,
    ] {
        assert_eq!(k.shape(), Shape::Opaque);
    }
}
