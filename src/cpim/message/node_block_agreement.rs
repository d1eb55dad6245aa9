//! The oracle that keeps the node-shape block reader honest outside the unit tests: on every
//! block it takes, the general header-block reader takes it too, with the same headers and
//! entity offset. The `cpim` fuzz target checks it on every input (`node_block_tests` checks
//! it, and more, against the line-by-line general reading).

use super::header_block::{parse_header_block, utf8_prefix};
use super::node_block::read_node_block;

/// Panics if the node-shape reader takes `input`'s header block and the general reader does
/// not read it the same way.
pub(crate) fn assert_node_block_agrees(input: &[u8]) {
    let checked = utf8_prefix(input);
    let mut fast = Vec::new();
    let Some(at) = read_node_block(checked, |l| fast.push(l.header)) else {
        return;
    };
    let mut general = Vec::new();
    let verdict = parse_header_block(input, checked, |h| general.push(h));
    assert_eq!(
        (verdict, general),
        (Ok(at), fast),
        "the node-shape reader and the general reader differ on {:?}",
        String::from_utf8_lossy(input)
    );
}
