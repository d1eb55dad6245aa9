//! The in-memory deferred store: the durable part (copies, their indexes by user, Message-ID
//! and expiry, the resolved ids) in ordered maps, the volatile part (the copy in flight per
//! user) beside it, dropped alone by [`DeferredStore::lose_volatile`].

use super::{
    DeferredStore, DeferredStoreError, StoreOutcome, StoredCopy, DEFERRED_COPIES_MAX,
    DEFERRED_COPIES_PER_USER_MAX, RESOLVED_IDS_REMEMBERED_MAX,
};
use crate::node::Instant;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// The in-memory deferred store.
#[derive(Clone, Debug, Default)]
pub struct InMemoryDeferredStore {
    // Durable.
    copies: BTreeMap<u64, StoredCopy>,
    index: BTreeMap<(String, String), u64>,
    per_user: BTreeMap<String, BTreeSet<u64>>,
    /// Every stored copy by (expiry, sequence): the next expiry and the expired copies are
    /// found without a scan of the whole store.
    by_expiry: BTreeSet<(Instant, u64)>,
    next_seq: u64,
    resolved: BTreeSet<(String, String)>,
    resolved_order: VecDeque<(String, String)>,
    // Volatile.
    in_flight: BTreeMap<String, String>,
}

impl InMemoryDeferredStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn seq_of(&self, user: &str, message_id: &str) -> Option<u64> {
        self.index
            .get(&(user.to_owned(), message_id.to_owned()))
            .copied()
    }
}

impl DeferredStore for InMemoryDeferredStore {
    fn store(&mut self, copy: StoredCopy) -> Result<StoreOutcome, DeferredStoreError> {
        let key = (copy.user.clone(), copy.message_id.clone());
        if self.index.contains_key(&key) || self.resolved.contains(&key) {
            return Ok(StoreOutcome::AlreadyKnown);
        }
        if self.copies.len() >= DEFERRED_COPIES_MAX {
            return Err(DeferredStoreError::StoreFull);
        }
        let queue = self.per_user.entry(copy.user.clone()).or_default();
        if queue.len() >= DEFERRED_COPIES_PER_USER_MAX {
            return Err(DeferredStoreError::UserQueueFull { user: copy.user });
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        queue.insert(seq);
        self.index.insert(key, seq);
        self.by_expiry.insert((copy.expires_at, seq));
        self.copies.insert(seq, copy);
        Ok(StoreOutcome::Stored)
    }

    fn get(&self, user: &str, message_id: &str) -> Option<&StoredCopy> {
        self.copies.get(&self.seq_of(user, message_id)?)
    }

    fn oldest_for(&self, user: &str) -> Option<&StoredCopy> {
        let seq = self.per_user.get(user)?.first()?;
        self.copies.get(seq)
    }

    fn in_flight(&self, user: &str) -> Option<&str> {
        self.in_flight.get(user).map(String::as_str)
    }

    fn begin_delivery(&mut self, user: &str, message_id: &str) -> bool {
        if self.seq_of(user, message_id).is_none() {
            return false;
        }
        self.in_flight
            .insert(user.to_owned(), message_id.to_owned());
        true
    }

    fn abort_delivery(&mut self, user: &str, message_id: &str) {
        if self.in_flight(user) == Some(message_id) {
            self.in_flight.remove(user);
        }
    }

    fn resolve(&mut self, user: &str, message_id: &str) -> Option<StoredCopy> {
        self.abort_delivery(user, message_id);
        let key = (user.to_owned(), message_id.to_owned());
        let seq = self.index.remove(&key)?;
        if let Some(queue) = self.per_user.get_mut(user) {
            queue.remove(&seq);
            if queue.is_empty() {
                self.per_user.remove(user);
            }
        }
        if self.resolved_order.len() >= RESOLVED_IDS_REMEMBERED_MAX {
            if let Some(oldest) = self.resolved_order.pop_front() {
                self.resolved.remove(&oldest);
            }
        }
        self.resolved.insert(key.clone());
        self.resolved_order.push_back(key);
        let copy = self.copies.remove(&seq)?;
        self.by_expiry.remove(&(copy.expires_at, seq));
        Some(copy)
    }

    fn expired(&self, now: Instant) -> Vec<(String, String)> {
        // In store order, as copies are delivered.
        let mut due: Vec<u64> = self
            .by_expiry
            .range(..=(now, u64::MAX))
            .map(|(_, seq)| *seq)
            .collect();
        due.sort_unstable();
        due.iter()
            .filter_map(|seq| self.copies.get(seq))
            .filter(|c| self.in_flight(&c.user) != Some(&c.message_id))
            .map(|c| (c.user.clone(), c.message_id.clone()))
            .collect()
    }

    fn next_expiry(&self) -> Option<Instant> {
        // At most one copy per user is in flight, so few entries are skipped.
        self.by_expiry
            .iter()
            .filter_map(|(at, seq)| Some((*at, self.copies.get(seq)?)))
            .find(|(_, c)| self.in_flight(&c.user) != Some(&c.message_id))
            .map(|(at, _)| at)
    }

    fn lose_volatile(&mut self) {
        self.in_flight.clear();
    }

    fn len(&self) -> usize {
        self.copies.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cpim::DispositionSet;

    fn copy(user: &str, id: &str, expires_ms: u64) -> StoredCopy {
        StoredCopy {
            user: user.to_owned(),
            message_id: id.to_owned(),
            sip_from: "<sip:alice@alpha.example>".to_owned(),
            cpim_body: b"body".to_vec(),
            dispositions: DispositionSet::EMPTY,
            stored_at: Instant(0),
            expires_at: Instant(0).plus_millis(expires_ms),
        }
    }

    #[test]
    fn a_copy_is_stored_once_per_message_id_even_after_it_was_resolved() {
        let mut store = InMemoryDeferredStore::new();
        assert_eq!(
            store.store(copy("sip:d@e", "m1", 10)),
            Ok(StoreOutcome::Stored)
        );
        assert_eq!(
            store.store(copy("sip:d@e", "m1", 10)),
            Ok(StoreOutcome::AlreadyKnown)
        );
        assert!(store.resolve("sip:d@e", "m1").is_some());
        assert_eq!(
            store.store(copy("sip:d@e", "m1", 10)),
            Ok(StoreOutcome::AlreadyKnown)
        );
        assert!(store.is_empty());
    }

    #[test]
    fn copies_are_offered_oldest_first() {
        let mut store = InMemoryDeferredStore::new();
        store.store(copy("sip:d@e", "m1", 10)).ok();
        store.store(copy("sip:d@e", "m2", 5)).ok();
        assert_eq!(
            store.oldest_for("sip:d@e").map(|c| c.message_id.as_str()),
            Some("m1")
        );
        store.resolve("sip:d@e", "m1");
        assert_eq!(
            store.oldest_for("sip:d@e").map(|c| c.message_id.as_str()),
            Some("m2")
        );
    }

    #[test]
    fn a_crash_loses_the_delivery_in_flight_but_keeps_the_copy() {
        let mut store = InMemoryDeferredStore::new();
        store.store(copy("sip:d@e", "m1", 10)).ok();
        assert!(store.begin_delivery("sip:d@e", "m1"));
        assert_eq!(
            store.next_expiry(),
            None,
            "a copy in flight does not expire"
        );
        store.lose_volatile();
        assert_eq!(store.in_flight("sip:d@e"), None);
        assert_eq!(store.len(), 1);
        assert_eq!(store.expired(Instant(0).plus_millis(10)).len(), 1);
    }

    #[test]
    fn a_full_user_queue_is_a_typed_error() {
        let mut store = InMemoryDeferredStore::new();
        for i in 0..DEFERRED_COPIES_PER_USER_MAX {
            store.store(copy("sip:d@e", &format!("m{i}"), 10)).ok();
        }
        assert_eq!(
            store.store(copy("sip:d@e", "one-more", 10)),
            Err(DeferredStoreError::UserQueueFull {
                user: "sip:d@e".to_owned()
            })
        );
    }

    #[test]
    fn get_finds_exactly_the_copy_stored_for_that_user_and_message_id() {
        let mut store = InMemoryDeferredStore::new();
        assert_eq!(
            store.store(copy("sip:d@e", "m1", 10)),
            Ok(StoreOutcome::Stored)
        );
        assert!(!store.is_empty(), "a stored copy makes the store non-empty");
        store.store(copy("sip:c@e", "m2", 10)).ok();
        store.store(copy("sip:d@e", "m3", 10)).ok();
        for (user, id) in [("sip:d@e", "m1"), ("sip:c@e", "m2"), ("sip:d@e", "m3")] {
            let found = store
                .get(user, id)
                .map(|c| (c.user.as_str(), c.message_id.as_str()));
            assert_eq!(found, Some((user, id)));
        }
        assert!(
            store.get("sip:d@e", "m2").is_none(),
            "m2 is stored for c, not d"
        );
        assert!(store.get("sip:x@e", "m1").is_none());
        assert!(store.get("sip:d@e", "unknown").is_none());
    }

    #[test]
    fn store_errors_say_which_limit_was_hit() {
        assert_eq!(
            DeferredStoreError::StoreFull.to_string(),
            format!("deferred store full ({DEFERRED_COPIES_MAX} copies)")
        );
        let user = DeferredStoreError::UserQueueFull {
            user: "sip:d@e".to_owned(),
        };
        assert_eq!(
            user.to_string(),
            format!("sip:d@e already has {DEFERRED_COPIES_PER_USER_MAX} deferred copies")
        );
    }

    #[test]
    fn resolved_ids_are_remembered_up_to_the_limit_then_the_oldest_is_forgotten() {
        let mut store = InMemoryDeferredStore::new();
        for i in 0..=RESOLVED_IDS_REMEMBERED_MAX {
            let id = format!("m{i}");
            store.store(copy("sip:d@e", &id, 10)).ok();
            assert!(store.resolve("sip:d@e", &id).is_some());
        }
        let again = |store: &mut InMemoryDeferredStore, i: usize| {
            let outcome = store.store(copy("sip:d@e", &format!("m{i}"), 10));
            store.resolve("sip:d@e", &format!("m{i}"));
            outcome
        };
        assert_eq!(again(&mut store, 1), Ok(StoreOutcome::AlreadyKnown));
        assert_eq!(
            again(&mut store, RESOLVED_IDS_REMEMBERED_MAX),
            Ok(StoreOutcome::AlreadyKnown)
        );
        assert_eq!(
            again(&mut store, 0),
            Ok(StoreOutcome::Stored),
            "the oldest resolved id was forgotten to bound memory"
        );
    }

    #[test]
    fn expiry_skips_the_copy_in_flight_and_forgets_resolved_copies() {
        let mut store = InMemoryDeferredStore::new();
        for (user, id, ms) in [
            ("b", "1", 30),
            ("c", "2", 10),
            ("b", "3", 20),
            ("c", "4", 40),
        ] {
            assert_eq!(store.store(copy(user, id, ms)), Ok(StoreOutcome::Stored));
        }
        let at = |ms| Some(Instant(0).plus_millis(ms));
        assert_eq!(store.next_expiry(), at(10));
        assert!(store.begin_delivery("c", "2"));
        assert_eq!(store.next_expiry(), at(20));
        let due = store.expired(Instant(0).plus_millis(30));
        let ids: Vec<&str> = due.iter().map(|(_, id)| id.as_str()).collect();
        assert_eq!(
            ids,
            ["1", "3"],
            "in store order, the copy in flight left out"
        );
        assert_eq!(
            store.resolve("b", "3").map(|c| c.message_id),
            Some("3".to_owned())
        );
        assert_eq!(
            store.resolve("c", "2").map(|c| c.message_id),
            Some("2".to_owned())
        );
        assert_eq!(store.next_expiry(), at(30));
        assert_eq!(store.expired(Instant(0).plus_millis(29)), Vec::new());
        assert_eq!(
            store.resolve("b", "1").map(|c| c.message_id),
            Some("1".to_owned())
        );
        assert_eq!(
            store.resolve("c", "4").map(|c| c.message_id),
            Some("4".to_owned())
        );
        assert_eq!((store.next_expiry(), store.len()), (None, 0));
    }
}
