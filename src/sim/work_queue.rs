//! The run's work queue: everything due at an instant, taken in (instant, sequence number)
//! order, so equal instants keep the order they were queued in.
//!
//! Two kinds of work are queued. Datagram deliveries are queued as the nodes send, a few in
//! flight at a time; user actions and crashes (registrations, IMs to send) are mostly queued
//! up front, hundreds of them in a long run. One binary heap of both made every delivery
//! sift through the levels the scheduled actions add. Here each kind has its own heap, and the
//! earlier of the two tops by (instant, sequence number) is taken: the numbers are unique, so
//! the order is exactly the one a single heap gave.

use super::run::Item;
use crate::node::Instant;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A delivery: its instant, its sequence number, and the record entry of the transmit.
type Delivery = (Instant, u64, usize);

/// A scheduled action (anything but a delivery) with its instant and sequence number.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Action {
    at: Instant,
    seq: u64,
    item: Item,
}

/// The work queue: deliveries and scheduled actions, earliest (instant, sequence) first.
#[derive(Debug, Default)]
pub(super) struct WorkQueue {
    deliveries: BinaryHeap<Reverse<Delivery>>,
    actions: BinaryHeap<Reverse<Action>>,
    /// The last sequence number given.
    seq: u64,
}

impl WorkQueue {
    /// Queues `item` for `at`, after everything queued before it for the same instant.
    pub(super) fn push(&mut self, at: Instant, item: Item) {
        self.seq += 1;
        let seq = self.seq;
        match item {
            Item::Deliver { entry } => self.deliveries.push(Reverse((at, seq, entry))),
            item => self.actions.push(Reverse(Action { at, seq, item })),
        }
    }

    /// The instant and sequence number of the earliest item, and whether it is a delivery.
    fn first(&self) -> Option<(Instant, u64, bool)> {
        let delivery = self
            .deliveries
            .peek()
            .map(|Reverse((at, seq, _))| (*at, *seq));
        let action = self.actions.peek().map(|Reverse(a)| (a.at, a.seq));
        match (delivery, action) {
            (Some(d), Some(a)) => Some(if d < a {
                (d.0, d.1, true)
            } else {
                (a.0, a.1, false)
            }),
            (Some(d), None) => Some((d.0, d.1, true)),
            (None, Some(a)) => Some((a.0, a.1, false)),
            (None, None) => None,
        }
    }

    /// The instant of the earliest item.
    pub(super) fn earliest(&self) -> Option<Instant> {
        self.first().map(|(at, _, _)| at)
    }

    /// Takes the earliest item.
    pub(super) fn pop(&mut self) -> Option<Item> {
        let (_, _, delivery) = self.first()?;
        if delivery {
            let Reverse((_, _, entry)) = self.deliveries.pop()?;
            Some(Item::Deliver { entry })
        } else {
            self.actions.pop().map(|Reverse(action)| action.item)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A queue of mixed items at clashing instants comes out in (instant, queued) order.
    #[test]
    fn deliveries_and_actions_come_out_by_instant_then_in_queued_order() {
        let mut queue = WorkQueue::default();
        let pushed = [
            (30, Item::Register { lane: 1 }),
            (10, Item::Deliver { entry: 0 }),
            (30, Item::Deliver { entry: 1 }),
            (10, Item::Crash { lane: 2 }),
            (20, Item::Crash { lane: 3 }),
            (10, Item::Deliver { entry: 2 }),
            (30, Item::Register { lane: 4 }),
            (20, Item::Deliver { entry: 3 }),
        ];
        let mut single = BinaryHeap::new();
        for (seq, (ms, item)) in pushed.into_iter().enumerate() {
            single.push(Reverse((Instant(ms), seq, item.clone())));
            queue.push(Instant(ms), item);
        }
        while let Some(Reverse((at, _, item))) = single.pop() {
            assert_eq!(queue.earliest(), Some(at));
            assert_eq!(queue.pop(), Some(item));
        }
        assert_eq!((queue.earliest(), queue.pop()), (None, None));
    }
}
