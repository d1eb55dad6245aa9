//! Finishing a built CPIM message: its serialization, or an owned copy of its pieces; either
//! refused when the message would not parse.

use super::CpimBuilder;
use crate::cpim::message::check;
use crate::cpim::owned::{OwnedCpim, OwnedHeader};
use crate::cpim::CpimError;
use std::ops::Range;

impl CpimBuilder {
    /// The body as [`OwnedCpim::serialize`] writes the built message.
    pub(super) fn serialized(&self) -> Vec<u8> {
        let len = self.headers.len() + 2 + self.mime.len() + 2 + self.content.len();
        let mut out = Vec::with_capacity(len);
        out.extend_from_slice(self.headers.as_bytes());
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(self.mime.as_bytes());
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&self.content);
        out
    }

    /// Refuses the message if its serialization `bytes` would not parse.
    fn check(&self, bytes: &[u8]) -> Result<(), CpimError> {
        if self.proof.holds(bytes.len(), self.content.len()) {
            return Ok(());
        }
        check(bytes)
    }

    /// Finishes the message, refusing it if its serialization would not parse.
    pub fn build(self) -> Result<OwnedCpim, CpimError> {
        let bytes_len = self.headers.len() + 2 + self.mime.len() + 2 + self.content.len();
        if !self.proof.holds(bytes_len, self.content.len()) {
            check(&self.serialized())?;
        }
        let piece = |r: &Range<usize>| self.headers.get(r.clone()).unwrap_or_default().to_owned();
        let headers = self
            .spans
            .iter()
            .map(|s| OwnedHeader {
                prefix: s.prefix.as_ref().map(piece),
                name: piece(&s.name),
                params: s
                    .lang
                    .as_ref()
                    .map(|l| ("lang".to_owned(), piece(l)))
                    .into_iter()
                    .collect(),
                value_raw: piece(&s.value),
            })
            .collect();
        let mime = |r: &Range<usize>| self.mime.get(r.clone()).unwrap_or_default().to_owned();
        let mime_headers = self
            .mime_spans
            .iter()
            .map(|(n, v)| (mime(n), mime(v)))
            .collect();
        Ok(OwnedCpim {
            headers,
            mime_headers,
            content: self.content,
        })
    }

    /// Finishes and writes the message: the bytes `build()?.serialize()` gives, without the
    /// owned copy. Refuses a message that would not parse.
    pub fn build_serialized(self) -> Result<Vec<u8>, CpimError> {
        let bytes = self.serialized();
        self.check(&bytes)?;
        Ok(bytes)
    }
}
