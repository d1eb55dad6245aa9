//! Rows of the shared third-party corpus whose recorded verdict is contradicted by the file's own
//! bytes. The corpus is read-only to this project, so the defect is recorded here, with the
//! evidence, and the exception is tied to a fact about the bytes rather than to the file name
//! alone: once the file is fixed, the fact stops holding and the recorded verdict is demanded
//! again. The tests still require imflow's verdict on the defective bytes to be exactly the one
//! stated here (same verdict, same rule), so a defect entry is never a free pass.

/// One corpus row whose EXPECTED.tsv verdict the bytes contradict.
pub struct KnownDefect {
    /// The row's file, relative to its corpus set (e.g. `imdn/...` in `real-world`).
    pub file: &'static str,
    /// The verdict a strict parser must give on the defective bytes.
    pub verdict: &'static str,
    /// The rule imflow must report for it.
    pub rule: &'static str,
    /// Whether the bytes still have the defect.
    pub still_defective: fn(&[u8]) -> bool,
    /// What is wrong, and the evidence.
    pub why: &'static str,
}

fn imdn_document_is_truncated(bytes: &[u8]) -> bool {
    !bytes.windows(7).any(|w| w == b"</imdn>")
}

/// The known defects of `$IMFLOW_CORPUS`.
pub const KNOWN_DEFECTS: &[KnownDefect] = &[
    KnownDefect {
        file: "imdn/rcsjta-display-notification.xml",
        verdict: "invalid",
        rule: "malformed-xml",
        still_defective: imdn_document_is_truncated,
        why: "the 228-byte file stops after `</status>`: `</display-notification>` and `</imdn>` \
              are missing, so it is not well-formed XML (XML 1.0 section 2.1); the rcsjta \
              ImdnParserTest source it was taken from has both closing tags",
    },
    KnownDefect {
        file: "composed/message-cpim-imdn-display-notification.sip",
        verdict: "invalid",
        rule: "malformed-xml",
        still_defective: imdn_document_is_truncated,
        why: "its CPIM body wraps the same truncated IMDN document as \
              imdn/rcsjta-display-notification.xml (no `</imdn>`)",
    },
];

/// The known defect recorded for this row, if the file still has it.
pub fn known_defect(file: &str, bytes: &[u8]) -> Option<&'static KnownDefect> {
    KNOWN_DEFECTS
        .iter()
        .find(|d| d.file == file && (d.still_defective)(bytes))
}
