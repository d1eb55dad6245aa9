//! The registrar's bindings (RFC 3261 section 10.3), one per address-of-record, with an index by
//! expiry so that a timer wake and the next-deadline question cost O(log n) however many users
//! are registered, rather than a scan of every binding.

use super::pf::Binding;
use super::Instant;
use std::collections::{BTreeMap, BTreeSet};

/// Every binding of one participating function, by AOR and by expiry.
#[derive(Debug, Default)]
pub(crate) struct Bindings {
    by_aor: BTreeMap<String, Binding>,
    by_expiry: BTreeSet<(Instant, String)>,
}

impl Bindings {
    /// The binding of `aor`, if registered.
    pub(crate) fn get(&self, aor: &str) -> Option<&Binding> {
        self.by_aor.get(aor)
    }

    /// Whether `aor` has a binding.
    pub(crate) fn contains(&self, aor: &str) -> bool {
        self.by_aor.contains_key(aor)
    }

    /// Users registered.
    pub(crate) fn len(&self) -> usize {
        self.by_aor.len()
    }

    /// Adds or refreshes the binding of `aor`.
    pub(crate) fn insert(&mut self, aor: String, binding: Binding) {
        self.by_expiry.insert((binding.expires_at, aor.clone()));
        if let Some(old) = self.by_aor.insert(aor.clone(), binding) {
            let new_expiry = self.by_aor.get(&aor).map(|b| b.expires_at);
            if new_expiry != Some(old.expires_at) {
                self.by_expiry.remove(&(old.expires_at, aor));
            }
        }
    }

    /// Removes the binding of `aor` (a REGISTER with expires 0).
    pub(crate) fn remove(&mut self, aor: &str) {
        if let Some((aor, old)) = self.by_aor.remove_entry(aor) {
            self.by_expiry.remove(&(old.expires_at, aor));
        }
    }

    /// Drops every binding whose expiry is at or before `now`: a binding holds while
    /// `expires_at > now`.
    pub(crate) fn expire(&mut self, now: Instant) {
        while let Some(first) = self.by_expiry.first() {
            if first.0 > now {
                break;
            }
            if let Some((_, aor)) = self.by_expiry.pop_first() {
                self.by_aor.remove(&aor);
            }
        }
    }

    /// When the next binding lapses.
    pub(crate) fn next_expiry(&self) -> Option<Instant> {
        self.by_expiry.first().map(|(at, _)| *at)
    }

    /// Forgets every binding (a crash).
    pub(crate) fn clear(&mut self) {
        self.by_aor.clear();
        self.by_expiry.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binding(expires_ms: u64) -> Binding {
        Binding {
            contact: "sip:b@192.0.2.2:5060".to_owned(),
            address: "192.0.2.2:5060".parse().expect("an address"),
            expires_at: Instant(0).plus_millis(expires_ms),
        }
    }

    #[test]
    fn a_refreshed_binding_lapses_at_its_new_expiry_only() {
        let mut bindings = Bindings::default();
        bindings.insert("sip:b@beta.example".to_owned(), binding(1_000));
        bindings.insert("sip:c@beta.example".to_owned(), binding(3_000));
        bindings.insert("sip:b@beta.example".to_owned(), binding(5_000));
        assert_eq!(bindings.len(), 2);
        assert_eq!(bindings.next_expiry(), Some(Instant(0).plus_millis(3_000)));
        bindings.expire(Instant(0).plus_millis(2_999));
        assert_eq!(bindings.len(), 2);
        bindings.expire(Instant(0).plus_millis(3_000));
        assert!(!bindings.contains("sip:c@beta.example"));
        assert!(bindings.contains("sip:b@beta.example"));
        assert_eq!(bindings.next_expiry(), Some(Instant(0).plus_millis(5_000)));
        bindings.expire(Instant(0).plus_millis(5_000));
        assert_eq!((bindings.len(), bindings.next_expiry()), (0, None));
    }

    #[test]
    fn a_refresh_to_the_same_instant_keeps_its_expiry_entry() {
        let mut bindings = Bindings::default();
        bindings.insert("sip:b@beta.example".to_owned(), binding(1_000));
        bindings.insert("sip:b@beta.example".to_owned(), binding(1_000));
        assert_eq!(bindings.next_expiry(), Some(Instant(0).plus_millis(1_000)));
        bindings.expire(Instant(0).plus_millis(1_000));
        assert!(!bindings.contains("sip:b@beta.example"));
    }

    #[test]
    fn a_removed_binding_leaves_no_deadline() {
        let mut bindings = Bindings::default();
        bindings.insert("sip:b@beta.example".to_owned(), binding(1_000));
        bindings.remove("sip:b@beta.example");
        bindings.remove("sip:nobody@beta.example");
        assert_eq!((bindings.len(), bindings.next_expiry()), (0, None));
        bindings.insert("sip:b@beta.example".to_owned(), binding(2_000));
        bindings.clear();
        assert_eq!((bindings.len(), bindings.next_expiry()), (0, None));
    }
}
