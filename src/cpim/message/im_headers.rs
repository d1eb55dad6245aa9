//! What a recipient reads of an IM to render it and to notify its sender (RFC 5438 sections
//! 6 and 7.2.1), gathered in one pass over the header block instead of one scan (and one
//! address parse) per accessor. When the node-shape reader reads the block, the fields are
//! gathered while it reads ([`crate::cpim::parse_im`]): each line's table row names its field,
//! so no name or namespace is compared again and no address is searched for its `<`.

use super::header_block::{Namespace, NamespaceMemo};
use super::node_block::{NodeHeader, NodeLine};
use super::route_uris::RouteUris;
use super::Cpim;
use crate::cpim::address::Address;
use crate::cpim::disposition::DispositionSet;
use crate::cpim::header::Header;

/// The IM headers a recipient acts on; each field is exactly what its accessor on [`Cpim`]
/// gives.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ImHeaders<'a> {
    /// [`Cpim::from`]: the sender.
    pub(crate) from: Option<Address<'a>>,
    /// The first of [`Cpim::to`]: the recipient.
    pub(crate) to: Option<Address<'a>>,
    /// [`Cpim::original_to`]: the recipient before a rewrite (the group).
    pub(crate) original_to: Option<Address<'a>>,
    /// [`Cpim::message_id`].
    pub(crate) message_id: Option<&'a str>,
    /// [`Cpim::datetime`].
    pub(crate) datetime: Option<&'a str>,
    /// [`Cpim::disposition_notification`]: the dispositions requested.
    pub(crate) dispositions: DispositionSet,
    /// The URIs of [`Cpim::imdn_record_route`], top first (held in place when few).
    pub(crate) record_route: RouteUris<'a>,
    /// Whether every address URI here is known to be an ASCII absolute URI
    /// ([`is_ascii_absolute_uri`](crate::cpim::address::is_ascii_absolute_uri)): set when the
    /// node-shape reader read the block, since it cuts no other address. A writer of an IMDN
    /// back along the route then need not scan these URIs again.
    pub(crate) ascii_uris: bool,
}

impl<'a> ImHeaders<'a> {
    /// Takes what [`Cpim::im_headers`] takes from this header, read by the node-shape reader:
    /// its table row names the field, and an address is cut where the reader found it.
    #[inline]
    pub(super) fn take_node_line(&mut self, line: &NodeLine<'a>) {
        let value = line.header.value_raw;
        match line.kind {
            NodeHeader::From if self.from.is_none() => self.from = Some(line.address()),
            NodeHeader::To if self.to.is_none() => self.to = Some(line.address()),
            NodeHeader::OriginalTo if self.original_to.is_none() => {
                self.original_to = Some(line.address());
            }
            NodeHeader::DateTime => self.datetime = self.datetime.or(Some(value)),
            NodeHeader::MessageId => self.message_id = self.message_id.or(Some(value)),
            NodeHeader::ImdnRecordRoute => self.record_route.push(line.address().uri),
            NodeHeader::DispositionNotification => {
                if let Some(set) = DispositionSet::parse(value) {
                    self.dispositions = set.iter().fold(self.dispositions, DispositionSet::with);
                }
            }
            _ => {}
        }
    }
}

impl<'a> Cpim<'a> {
    /// The headers a recipient acts on, read in one pass. The address headers read here were
    /// checked by [`crate::cpim::parse`], so they are cut, not parsed again: on a `Cpim` that
    /// `parse` returned every field is what its accessor gives (on a hand-built one holding an
    /// address `parse` would refuse, that field is some cut of the value instead of skipped).
    pub(crate) fn im_headers(&self) -> ImHeaders<'a> {
        ImHeaders::of(&self.headers)
    }
}

impl<'a> ImHeaders<'a> {
    /// What [`Cpim::im_headers`] reads from `headers`, rows a `Cpim` holds (or the general
    /// reader handed on for a body it accepts).
    pub(super) fn of(headers: &[Header<'a>]) -> ImHeaders<'a> {
        let mut out = ImHeaders::default();
        // An address accessor gives the first header of its name whose value parses, and
        // `parse` refuses a body with an address that does not: the first header is the one.
        let first = |slot: &mut Option<Address<'a>>, value: &'a str| {
            if slot.is_none() {
                *slot = Some(Address::of_checked(value));
            }
        };
        let mut namespaces = NamespaceMemo::new();
        for h in headers {
            let value = h.value_raw;
            match (namespaces.of(h.namespace), h.name) {
                (Namespace::Cpim, "From") => first(&mut out.from, value),
                (Namespace::Cpim, "To") => first(&mut out.to, value),
                (Namespace::Cpim, "DateTime") => {
                    out.datetime = out.datetime.or(Some(value));
                }
                (Namespace::Imdn, "Original-To") => first(&mut out.original_to, value),
                (Namespace::Imdn, "Message-ID") => {
                    out.message_id = out.message_id.or(Some(value));
                }
                (Namespace::Imdn, "IMDN-Record-Route") => {
                    out.record_route.push(Address::of_checked(value).uri);
                }
                (Namespace::Imdn, "Disposition-Notification") => {
                    if let Some(set) = DispositionSet::parse(value) {
                        out.dispositions = set.iter().fold(out.dispositions, DispositionSet::with);
                    }
                }
                _ => {}
            }
        }
        out
    }
}

/// Panics unless every address URI of `im` is an ASCII absolute URI: what its `ascii_uris`
/// claims (the tests hold every claim the node-shape reader makes to this).
#[cfg(test)]
pub(crate) fn assert_ascii_uris(im: &ImHeaders<'_>) {
    use crate::cpim::address::is_ascii_absolute_uri;
    let addresses = [im.from, im.to, im.original_to];
    let uris = addresses.iter().flatten().map(|a| a.uri);
    for uri in uris.chain(im.record_route.as_slice().iter().copied()) {
        assert!(is_ascii_absolute_uri(uri), "{uri:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cpim::parse;
    use proptest::prelude::*;

    fn by_accessors<'a>(c: &Cpim<'a>) -> ImHeaders<'a> {
        ImHeaders {
            from: c.from(),
            to: c.to().next(),
            original_to: c.original_to(),
            message_id: c.message_id(),
            datetime: c.datetime(),
            dispositions: c.disposition_notification(),
            record_route: c.imdn_record_route().map(|a| a.uri).collect(),
            ascii_uris: false,
        }
    }

    /// What [`crate::cpim::parse_im`] gives for `body`, with its claim that every URI is an
    /// ASCII absolute URI checked and then set aside (reading afterwards makes no such claim).
    fn read_along(
        body: &[u8],
    ) -> Result<(super::super::CpimEntity<'_>, ImHeaders<'_>), crate::cpim::CpimError> {
        crate::cpim::parse_im(body).map(|(entity, mut im)| {
            if im.ascii_uris {
                assert_ascii_uris(&im);
                im.ascii_uris = false;
            }
            (entity, im)
        })
    }

    #[test]
    fn the_seed_im_reads_the_same_in_one_pass() {
        let body = b"From: Alice <sip:alice@alpha.example>\r\nTo: <sip:bob@beta.example>\r\n\
            DateTime: 2024-03-18T09:30:05+01:00\r\nNS: imdn <urn:ietf:params:imdn>\r\n\
            imdn.Message-ID: Xk3q9TzQ2mPw\r\n\
            imdn.Disposition-Notification: positive-delivery, display\r\n\
            imdn.Original-To: Climbers <sip:climbers@conf.gamma.example>\r\n\
            imdn.IMDN-Record-Route: <sip:imdn@cf.gamma.example>\r\n\r\n\
            Content-Type: text/plain\r\n\r\nSummit at noon";
        let cpim = parse(body).expect("the seed IM parses");
        let read = cpim.im_headers();
        assert_eq!(read, by_accessors(&cpim));
        assert_eq!(read_along(body), Ok((cpim.entity(), read.clone())));
        assert!(crate::cpim::parse_im(body).is_ok_and(|(_, im)| im.ascii_uris));
        assert_eq!(read.record_route.as_slice(), ["sip:imdn@cf.gamma.example"]);
        assert_eq!(read.message_id, Some("Xk3q9TzQ2mPw"));
    }

    fn line() -> impl Strategy<Value = String> {
        prop_oneof![
            "From: <sip:[a-c]@x>",
            "To: <sip:[a-c]@x>",
            "From: \"[a-c <>]{0,3}\" ?<sip:[a-c]@x>",
            "To: [a-c]{1,2}( [a-c])? <sip:[a-c]@x;a=[<>]?>",
            "cc: <sip:[a-c]@x>",
            "DateTime: 2024-03-18T09:30:0[0-9]Z",
            "(imdn|IMDN|q)\\.Message-ID: [a-c]{1,3}",
            "(imdn|q)\\.Original-To: <sip:[a-c]@g>",
            "(imdn|q)\\.IMDN-Record-Route: <sip:r[a-c]@x>",
            "(imdn|q)\\.IMDN-Route: <sip:r[a-c]@x>",
            "(imdn|q)\\.Disposition-Notification: (positive-delivery|negative-delivery|display|processing)",
            "NS: (imdn|IMDN) <urn:(ietf|IETF):params:imdn>",
            "NS: q <urn:(ietf:params:imdn|example)>",
            "NS: <urn:(ietf:params:imdn|ietf:params:cpim-headers:)>",
            "[A-Z][a-z]{0,4}: [a-z]{1,4}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        #[test]
        fn one_pass_reads_what_the_accessors_read(
            lines in proptest::collection::vec(line(), 0..12),
        ) {
            let mut body = lines.join("\r\n");
            if !lines.is_empty() {
                body.push_str("\r\n");
            }
            body.push_str("\r\nContent-Type: text/plain\r\n\r\nhi");
            if let Ok(cpim) = parse(body.as_bytes()) {
                prop_assert_eq!(cpim.im_headers(), by_accessors(&cpim));
                let along = read_along(body.as_bytes());
                prop_assert_eq!(along, Ok((cpim.entity(), cpim.im_headers())));
            }
        }
    }
}
