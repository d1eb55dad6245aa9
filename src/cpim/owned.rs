//! The owned Message/CPIM body and its serializer. Values are kept in wire form (escapes not
//! decoded) so that `parse(serialize(m))` gives `m` back and every octet is preserved.

use super::header::split_params;
use super::message::{check, Cpim};
use super::CpimError;

/// An owned CPIM message header.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OwnedHeader {
    /// The `Name-prefix`, if any.
    pub prefix: Option<String>,
    /// The header name (case-sensitive).
    pub name: String,
    /// Parameters in order: (name, value as written, quotes kept).
    pub params: Vec<(String, String)>,
    /// The value in wire form (escaped).
    pub value_raw: String,
}

/// An owned Message/CPIM body: header block, MIME headers of the encapsulated entity, content.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct OwnedCpim {
    /// The CPIM message headers in order.
    pub headers: Vec<OwnedHeader>,
    /// The MIME headers of the encapsulated entity in order: (name, value).
    pub mime_headers: Vec<(String, String)>,
    /// The content bytes.
    pub content: Vec<u8>,
}

impl Cpim<'_> {
    /// Copies the view into an owned message.
    pub fn to_owned_cpim(&self) -> OwnedCpim {
        OwnedCpim {
            headers: self
                .headers
                .iter()
                .map(|h| OwnedHeader {
                    prefix: h.prefix.map(str::to_owned),
                    name: h.name.to_owned(),
                    params: split_params(h.params_raw)
                        .map(|(n, v)| (n.to_owned(), v.to_owned()))
                        .collect(),
                    value_raw: h.value_raw.to_owned(),
                })
                .collect(),
            mime_headers: self
                .mime_headers
                .iter()
                .map(|h| (h.name.to_owned(), h.value.to_owned()))
                .collect(),
            content: self.content.to_vec(),
        }
    }
}

impl OwnedCpim {
    /// Writes the body: one `Name:;params SP value CRLF` per header, CRLF, the MIME headers as
    /// `Name: value CRLF`, CRLF, the content.
    pub fn serialize(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.serialized_len());
        for h in &self.headers {
            if let Some(p) = &h.prefix {
                out.extend_from_slice(p.as_bytes());
                out.push(b'.');
            }
            out.extend_from_slice(h.name.as_bytes());
            out.push(b':');
            for (n, v) in &h.params {
                out.push(b';');
                out.extend_from_slice(n.as_bytes());
                out.push(b'=');
                out.extend_from_slice(v.as_bytes());
            }
            out.push(b' ');
            out.extend_from_slice(h.value_raw.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"\r\n");
        for (n, v) in &self.mime_headers {
            out.extend_from_slice(n.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(v.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&self.content);
        out
    }

    /// The exact length of [`serialize`](Self::serialize)'s output, so it allocates once.
    fn serialized_len(&self) -> usize {
        let headers: usize = self
            .headers
            .iter()
            .map(|h| {
                let prefix = h.prefix.as_ref().map_or(0, |p| p.len() + 1);
                let params: usize = h.params.iter().map(|(n, v)| n.len() + v.len() + 2).sum();
                prefix + h.name.len() + 1 + params + 1 + h.value_raw.len() + 2
            })
            .sum();
        let mime: usize = self
            .mime_headers
            .iter()
            .map(|(n, v)| n.len() + 2 + v.len() + 2)
            .sum();
        headers + 2 + mime + 2 + self.content.len()
    }

    /// Serializes and parses again: the check a builder runs before handing a message out.
    pub fn validate(&self) -> Result<(), CpimError> {
        check(&self.serialize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_serialized_length_is_known_before_writing() {
        let m = OwnedCpim {
            headers: vec![
                OwnedHeader {
                    prefix: None,
                    name: "Subject".to_owned(),
                    params: vec![("lang".to_owned(), "fr".to_owned())],
                    value_raw: "Salut".to_owned(),
                },
                OwnedHeader {
                    prefix: Some("imdn".to_owned()),
                    name: "Message-ID".to_owned(),
                    params: Vec::new(),
                    value_raw: "Xk3q9TzQ2mPw".to_owned(),
                },
            ],
            mime_headers: vec![("Content-Type".to_owned(), "text/plain".to_owned())],
            content: b"hi".to_vec(),
        };
        assert_eq!(m.serialized_len(), m.serialize().len());
        assert_eq!(OwnedCpim::default().serialized_len(), 4);
    }
}
