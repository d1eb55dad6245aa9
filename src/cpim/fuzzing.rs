//! Fuzz entry point for the CPIM codec (the `cpim` cargo-fuzz target is a one-line shim).

/// Parses `data` as a CPIM body; when it parses, the owned form must survive
/// serialize -> parse unchanged; and a header block the node-shape reader takes must read the
/// same by the general reader. Panics only when one of those oracles fails.
pub fn fuzz_cpim(data: &[u8]) {
    super::message::assert_node_block_agrees(data);
    let Ok(parsed) = super::parse(data) else {
        return;
    };
    let owned = parsed.to_owned_cpim();
    let bytes = owned.serialize();
    match super::parse(&bytes) {
        Ok(again) => assert_eq!(
            again.to_owned_cpim(),
            owned,
            "CPIM round trip changed the message"
        ),
        Err(e) => panic!("serialized CPIM does not parse: {e}"),
    }
}
