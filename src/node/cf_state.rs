//! What the Controlling Function keeps per accepted IM (RFC 5438 sections 8 and 8.3): one
//! entry per fan-out leg, in the order of the members' URIs, holding where the leg stands and
//! which kinds of notification were already passed on for that member; the documents waiting
//! for the next aggregated flush; and a count of the legs that still hold that flush back.
//!
//! The aggregation rule (every member reached has reported and no leg is pending) is so a
//! counter kept as legs settle and notifications are passed on, not a walk over the legs per
//! notification; a buffered notification is its document's bytes, kept once, and the leg it
//! is about.

use super::Leg;
use crate::cpim::{Disposition, DispositionSet};
use crate::imdn::{
    DeliveryStatus, DisplayStatus, DocumentFields, ImdnDocument, Notification, ProcessingStatus,
};
use crate::multipart::AggregateDocuments;
use crate::node::Instant;
use std::sync::Arc;

/// One notification of each kind a member can be reported for, in the order of their element
/// names (the order [`MessageState::reported`] gives them in); the names are
/// [`Notification::element`]'s.
const KINDS: [Notification; 3] = [
    Notification::Delivery(DeliveryStatus::Delivered),
    Notification::Display(DisplayStatus::Displayed),
    Notification::Processing(ProcessingStatus::Processed),
];

/// Which of [`KINDS`] `notification` is.
fn kind_index(notification: Notification) -> usize {
    match notification {
        Notification::Delivery(_) => 0,
        Notification::Display(_) => 1,
        Notification::Processing(_) => 2,
    }
}

/// The bit of a delivery notification in [`LegState::reported`].
const DELIVERY_BIT: u8 = 1;

/// One fan-out leg of an IM.
#[derive(Clone, Debug)]
pub(crate) struct LegState {
    /// The member the leg went to, shared with the group's member list.
    pub(crate) member: Arc<str>,
    /// Where the leg stands.
    pub(crate) leg: Leg,
    /// The kinds already passed on about the member, one bit per entry of [`KINDS`].
    reported: u8,
    /// Whether the member's AOR is plain (see `GroupMember::plain_aor`).
    pub(crate) plain_aor: bool,
}

/// A notification waiting in the aggregation buffer: its document is the buffer's next one.
#[derive(Clone, Copy, Debug)]
struct Buffered {
    /// The leg (index into the IM's legs) whose member the notification is about.
    leg: usize,
    /// The notification kind and status.
    notification: Notification,
}

/// The notifications waiting for an IM's next aggregated flush, each document kept once.
#[derive(Clone, Debug, Default)]
pub(crate) struct NotificationBuffer {
    /// The documents, in arrival order.
    pub(crate) documents: AggregateDocuments,
    /// What each document is about, in the same order.
    about: Vec<Buffered>,
}

impl NotificationBuffer {
    /// The leg (index into the IM's legs) the first buffered notification is about.
    pub(crate) fn first_leg(&self) -> Option<usize> {
        self.about.first().map(|b| b.leg)
    }

    /// Whether no notification waits.
    pub(crate) fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }
}

/// Bytes a notification document about a member takes, about: room reserved per leg when the
/// first document of an IM is buffered, so the buffer grows once.
const DOCUMENT_BYTES_GUESS: usize = 360;

/// What the Controlling Function remembers about one accepted IM.
#[derive(Clone, Debug)]
pub struct MessageState {
    /// The group URI the IM was sent to.
    pub group: String,
    /// The IM's DateTime (echoed in synthesised IMDNs).
    pub datetime: String,
    /// The dispositions the sender requested.
    pub dispositions: DispositionSet,
    /// One leg per member except the sender, in the order of the members' URIs, each once.
    pub(crate) legs: Vec<LegState>,
    /// How many legs hold the aggregated flush back: pending, or reached and (when positive
    /// delivery was asked) not yet reported delivered.
    holding_back: usize,
    /// IMDNs waiting for the next aggregated flush.
    pub(crate) buffer: NotificationBuffer,
    /// When the flush timer fires, while the buffer is not empty.
    pub flush_at: Option<Instant>,
    /// When this state is freed.
    pub free_at: Instant,
    /// The IM's key (sender, Message-ID), shared with the map of states and the state timers.
    pub(crate) key: Arc<(String, String)>,
}

impl MessageState {
    /// The state of the IM `key` (sender, Message-ID) just accepted: every leg (`members`,
    /// sorted and each once, with whether each AOR is plain) pending, nothing reported or
    /// buffered, the flush timer unset.
    pub(crate) fn new(
        key: Arc<(String, String)>,
        group: String,
        datetime: String,
        dispositions: DispositionSet,
        members: impl Iterator<Item = (Arc<str>, bool)>,
        free_at: Instant,
    ) -> Self {
        let legs: Vec<LegState> = members
            .map(|(member, plain_aor)| LegState {
                member,
                leg: Leg::Pending,
                reported: 0,
                plain_aor,
            })
            .collect();
        MessageState {
            group,
            datetime,
            dispositions,
            holding_back: legs.len(),
            legs,
            buffer: NotificationBuffer::default(),
            flush_at: None,
            free_at,
            key,
        }
    }

    /// The sender's AOR.
    pub fn sender(&self) -> &str {
        &self.key.0
    }

    /// The IM's Message-ID.
    pub fn message_id(&self) -> &str {
        &self.key.1
    }

    /// Where the leg to `member` stands, if the IM was fanned out to them.
    pub fn leg(&self, member: &str) -> Option<Leg> {
        self.leg_index(member)
            .and_then(|i| self.legs.get(i))
            .map(|l| l.leg)
    }

    /// Every leg, in the order of the members' URIs.
    pub fn legs(&self) -> impl Iterator<Item = (&str, Leg)> + '_ {
        self.legs.iter().map(|l| (&*l.member, l.leg))
    }

    /// Every (member, notification element) already passed on to the sender, each at most
    /// once (S2, S4), ordered by member, then element name.
    pub fn reported(&self) -> impl Iterator<Item = (&str, &'static str)> + '_ {
        self.legs.iter().flat_map(|l| {
            KINDS
                .iter()
                .enumerate()
                .filter(move |(i, _)| l.reported & (1 << i) != 0)
                .map(move |(_, kind)| (&*l.member, kind.element()))
        })
    }

    /// The recipient and notification of every IMDN waiting for the next aggregated flush,
    /// in arrival order.
    pub fn buffered(&self) -> impl Iterator<Item = (&str, Notification)> + '_ {
        self.buffer.about.iter().filter_map(|b| {
            let member = &self.legs.get(b.leg)?.member;
            Some((&**member, b.notification))
        })
    }

    /// The index of the leg to `member`.
    pub(crate) fn leg_index(&self, member: &str) -> Option<usize> {
        self.legs.binary_search_by(|l| (*l.member).cmp(member)).ok()
    }

    /// Runs `change` on leg `i`, keeping the count of legs that hold the flush back.
    fn change_leg(&mut self, i: usize, change: impl FnOnce(&mut LegState)) {
        let positive = self.dispositions.contains(Disposition::PositiveDelivery);
        let Some(leg) = self.legs.get_mut(i) else {
            return;
        };
        let before = holds_back(leg, positive);
        change(leg);
        let after = holds_back(leg, positive);
        self.holding_back = self.holding_back + usize::from(after) - usize::from(before);
    }

    /// Sets where leg `i` stands.
    pub(crate) fn settle_leg(&mut self, i: usize, outcome: Leg) {
        self.change_leg(i, |l| l.leg = outcome);
    }

    /// Records that a notification of `notification`'s kind about leg `i`'s member is passed
    /// on; false when one already was (each (recipient, kind) once: S2, S4).
    pub(crate) fn report(&mut self, i: usize, notification: Notification) -> bool {
        let bit = 1 << kind_index(notification);
        let fresh = self.legs.get(i).is_some_and(|l| l.reported & bit == 0);
        if fresh {
            self.change_leg(i, |l| l.reported |= bit);
        }
        fresh
    }

    /// Whether every member reached has reported and no leg is pending (the aggregation rule).
    pub(crate) fn everyone_reached_has_reported(&self) -> bool {
        self.holding_back == 0
    }

    /// Whether the buffer holds notifications and the aggregation rule holds: then it is
    /// flushed at once.
    pub(crate) fn buffer_is_complete(&self) -> bool {
        !self.buffer.is_empty() && self.everyone_reached_has_reported()
    }

    /// Buffers `document`, a received notification about leg `i`'s member, for the next
    /// flush: copied as received when it was read as written.
    pub(crate) fn buffer(&mut self, i: usize, document: &ImdnDocument<'_>) {
        self.make_room();
        self.buffer.documents.push(document);
        self.note_buffered(i, document.fields().notification);
    }

    /// Buffers the notification `fields` about leg `i`'s member (one the CF writes itself).
    pub(crate) fn buffer_fields(&mut self, i: usize, fields: DocumentFields<'_>) {
        self.make_room();
        self.buffer.documents.push_fields(fields);
        self.note_buffered(i, fields.notification);
    }

    /// Room for a document per leg when the first is buffered, so the buffer grows once.
    fn make_room(&mut self) {
        if self.buffer.is_empty() {
            let legs = self.legs.len();
            self.buffer.documents.reserve(legs, DOCUMENT_BYTES_GUESS);
            self.buffer.about.reserve(legs);
        }
    }

    fn note_buffered(&mut self, leg: usize, notification: Notification) {
        self.buffer.about.push(Buffered { leg, notification });
    }

    /// Takes every buffered notification out, leaving the buffer empty.
    pub(crate) fn take_buffer(&mut self) -> NotificationBuffer {
        std::mem::take(&mut self.buffer)
    }
}

/// Whether `leg` holds the aggregated flush back, positive delivery asked or not.
fn holds_back(leg: &LegState, positive: bool) -> bool {
    match leg.leg {
        Leg::Pending => true,
        Leg::ReachedUserAgent => positive && leg.reported & DELIVERY_BIT == 0,
        Leg::Relayed | Leg::Failed => false,
    }
}

#[cfg(test)]
#[path = "cf_state_tests.rs"]
mod tests;
