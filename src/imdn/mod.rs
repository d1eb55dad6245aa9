//! IMDN XML (RFC 5438 section 11): the `message/imdn+xml` body of a disposition notification.
//!
//! [`parse`] decodes a document into a typed [`DispositionNotification`]: a document laid out
//! exactly as [`DispositionNotification::to_xml`] writes it is read by comparing its markup
//! whole, one in the wider plain form in one pass without a tree; any other with roxmltree (no `unsafe`, DTDs refused, node limit) under the bounds of
//! [`limits`], which also gives every error; extension elements
//! of other namespaces are ignored, the two recipient URIs are each optional.
//! [`DispositionNotification::to_xml`] writes the document back; `parse(to_xml(n)) == n` for
//! every notification whose text fields are XML characters, trimmed where the schema has
//! tokens, and whose URIs come both or neither.
//!
//! ```
//! use imflow::imdn::{self, DeliveryStatus, Notification};
//! let xml = br#"<imdn xmlns="urn:ietf:params:xml:ns:imdn"><message-id>Xk3q9TzQ2mPw</message-id>
//! <datetime>2024-03-18T09:30:05+01:00</datetime>
//! <delivery-notification><status><delivered/></status></delivery-notification></imdn>"#;
//! let n = imdn::parse(xml)?;
//! assert_eq!(n.notification, Notification::Delivery(DeliveryStatus::Delivered));
//! assert_eq!(imdn::parse(n.to_xml().as_bytes())?, n);
//! # Ok::<(), imflow::imdn::ImdnError>(())
//! ```

mod error;
pub mod fuzzing;
pub mod limits;
mod markup;
mod model;
mod parse;
mod plain;
mod written;
mod xml;

pub use error::{ImdnError, ImdnErrorKind};
pub use model::{
    DeliveryStatus, DisplayStatus, DispositionNotification, Notification, ProcessingStatus,
};
pub use parse::parse;
pub(crate) use parse::{parse_document, parse_document_in, parse_written_prefix, ImdnDocument};
pub(crate) use written::utf8_prefix;
#[cfg(test)]
pub(crate) use written::utf8_prefixes;
pub(crate) use xml::DocumentFields;

/// The XML namespace of IMDN documents.
pub const IMDN_XML_NS: &str = "urn:ietf:params:xml:ns:imdn";
