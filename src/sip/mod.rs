//! The SIP codec: RFC 3261's generic grammar (any method, any header), not only the MESSAGE and
//! REGISTER this project sends.
//!
//! Three steps, each usable alone:
//! 1. **Framing and parsing** — [`parse_datagram`] turns bytes into a zero-copy [`Message`]: the
//!    start line, header rows as spans into the input (inline up to 12 rows, so a
//!    typical message allocates nothing), and the body. [`frame_stream`] finds message boundaries on TCP/TLS without
//!    allocating. Only framing and line syntax are checked here.
//! 2. **Typed access** — `Message::top_via`, `from`, `to`, `call_id`, `cseq`, `contacts` ...
//!    parse their header when called (compact forms, folding, comma-joined values, quoted strings
//!    and `<...>` handled), so a proxy that reads three headers pays for three.
//! 3. **Validation** — [`validate`] applies the rules RFC 4475 says an element must reject.
//!
//! Every error is a [`SipError`]: a `Copy` value naming the [`Rule`] (kebab-case, e.g.
//! `cseq-method-mismatch`) and the byte offset. No input makes the codec panic or allocate beyond
//! the bounds in [`crate::limits`].
//!
//! [`OwnedMessage`] is the owned form with a builder; [`serialize`] writes it, and
//! `parse(serialize(m)) == m` (see [`owned`] for what equality means).
//!
//! ```
//! use imflow::sip::{parse_datagram, validate};
//! let bytes = b"MESSAGE sip:bob@beta.example SIP/2.0\r\n\
//!     v: SIP/2.0/TCP cf.gamma.example;branch=z9hG4bK.cf-b-0017\r\n\
//!     Max-Forwards: 70\r\nf: <sip:alice@alpha.example>;tag=cf88a1\r\n\
//!     t: <sip:bob@beta.example>\r\ni: cf-77d2c1@cf.gamma.example\r\n\
//!     CSeq: 1 MESSAGE\r\nc: text/plain\r\nl: 2\r\n\r\nhi";
//! let m = parse_datagram(bytes)?;
//! validate(&m)?;
//! assert_eq!(m.top_via()?.branch(), Some("z9hG4bK.cf-b-0017"));
//! assert_eq!(m.cseq()?.number, 1);
//! assert_eq!(m.body(), b"hi");
//! # Ok::<(), imflow::sip::SipError>(())
//! ```

mod addr;
mod arbitrary;
mod canonical_name;
pub(crate) mod chars;
mod content_length;
#[cfg(test)]
pub(crate) mod corpus_files;
#[cfg(test)]
mod edited_values;
mod error;
mod framing;
pub mod fuzzing;
mod header_name;
mod host;
mod lex;
mod message;
mod node_rows;
#[cfg(test)]
mod node_shapes_tests;
pub mod owned;
mod params;
mod plain_head;
mod plain_head_agreement;
mod quick;
#[cfg(test)]
mod quick_tests;
mod quick_validate;
#[cfg(test)]
mod quick_validate_tests;
mod row_table;
mod scalars;
mod serialize;
mod start_line;
mod typed;
mod unfold;
mod uri;
mod validate;
mod via;

pub use addr::NameAddr;
pub use error::{Rule, SipError};
pub use framing::{frame_stream, Framing};
pub use header_name::{HeaderKind, Shape};
pub use host::Host;
pub use message::{parse_datagram, Header, Message};
pub use owned::{OwnedHeader, OwnedMessage, OwnedStartLine};
pub use params::{unquote, Param, Params};
pub use scalars::{CSeq, MediaType};
pub use serialize::{serialize, serialize_into};
pub use start_line::{Method, StartLine, StatusCode};
pub use typed::Contact;
pub use unfold::unfold;
pub use uri::{OtherUri, SipUri, TelUri, Uri};
pub use validate::validate;
pub(crate) use validate::validate_keeping;
pub use via::{Via, MAGIC_COOKIE};
