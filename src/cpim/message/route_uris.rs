//! The `imdn.IMDN-Record-Route` URIs of one IM (RFC 5438 section 6.5), kept without an
//! allocation for the usual route: an IM crosses one or two IMDN-capable intermediaries, so
//! its route is a few URIs held in place; a longer one moves to the heap.

/// Route URIs held in place before the list moves to the heap.
pub(crate) const ROUTE_URIS_INLINE_MAX: usize = 4;

/// The URIs of an IM's `imdn.IMDN-Record-Route` headers, top first.
#[derive(Clone, Default)]
pub(crate) struct RouteUris<'a> {
    /// The first URIs while there are at most [`ROUTE_URIS_INLINE_MAX`].
    inline: [&'a str; ROUTE_URIS_INLINE_MAX],
    /// How many of `inline` are held (0 once the list has moved to `spilled`).
    inline_len: usize,
    /// Every URI, once there are more than [`ROUTE_URIS_INLINE_MAX`].
    spilled: Vec<&'a str>,
}

impl<'a> RouteUris<'a> {
    /// Adds the next URI down the route.
    pub(crate) fn push(&mut self, uri: &'a str) {
        if self.spilled.is_empty() {
            if let Some(slot) = self.inline.get_mut(self.inline_len) {
                *slot = uri;
                self.inline_len += 1;
                return;
            }
            self.spilled.extend_from_slice(&self.inline);
            self.inline_len = 0;
        }
        self.spilled.push(uri);
    }

    /// The URIs, top first.
    pub(crate) fn as_slice(&self) -> &[&'a str] {
        if self.spilled.is_empty() {
            self.inline.get(..self.inline_len).unwrap_or_default()
        } else {
            &self.spilled
        }
    }
}

impl<'a> FromIterator<&'a str> for RouteUris<'a> {
    fn from_iter<I: IntoIterator<Item = &'a str>>(uris: I) -> Self {
        let mut route = Self::default();
        for uri in uris {
            route.push(uri);
        }
        route
    }
}

impl PartialEq for RouteUris<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for RouteUris<'_> {}

impl std::fmt::Debug for RouteUris<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_route_of_any_length_keeps_every_uri_in_order() {
        let uris: Vec<String> = (0..3 * ROUTE_URIS_INLINE_MAX)
            .map(|i| format!("sip:imdn{i}@cf.example"))
            .collect();
        for len in 0..=uris.len() {
            let expected: Vec<&str> = uris.iter().take(len).map(String::as_str).collect();
            let route: RouteUris<'_> = expected.iter().copied().collect();
            assert_eq!(
                route.as_slice(),
                expected.as_slice(),
                "a route of {len} URIs"
            );
        }
    }

    #[test]
    fn routes_with_the_same_uris_are_equal_however_they_are_held() {
        let short: RouteUris<'_> = ["sip:a@x"].into_iter().collect();
        let mut grown: RouteUris<'_> = ["sip:a@x"; ROUTE_URIS_INLINE_MAX + 1].into_iter().collect();
        assert_ne!(short, grown);
        grown = ["sip:a@x"].into_iter().collect();
        assert_eq!(short, grown);
        assert_eq!(format!("{short:?}"), r#"["sip:a@x"]"#);
    }
}
