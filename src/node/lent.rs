//! A buffer a node keeps between messages, lent out for the length of one piece of work.
//!
//! A role keeps a few scratch values (the PF's AOR buffer, the CF's IM-state key and document
//! buffer) so that handling a message allocates nothing. The work that uses one also needs the
//! rest of the node (`&mut self`), so the value is moved out of its field for the work and must
//! be moved back at every exit, or the next message allocates it afresh. [`with_lent`] moves it
//! back itself whatever way the work returns, so no exit can forget it.

/// Runs `work` on `owner` with the value of the field `field` selects moved out of it (the
/// field holds `T::default()` meanwhile), then moves the value back: the buffer's capacity is
/// kept for the next message however `work` returns.
pub(crate) fn with_lent<O, T: Default, R>(
    owner: &mut O,
    field: fn(&mut O) -> &mut T,
    work: impl FnOnce(&mut O, &mut T) -> R,
) -> R {
    let mut value = std::mem::take(field(owner));
    let result = work(owner, &mut value);
    *field(owner) = value;
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Node {
        scratch: String,
        seen: Vec<String>,
    }

    fn scratch(node: &mut Node) -> &mut String {
        &mut node.scratch
    }

    #[test]
    fn a_lent_buffer_comes_back_with_its_capacity_whichever_way_the_work_returns() {
        let mut node = Node {
            scratch: String::with_capacity(64),
            seen: Vec::new(),
        };
        for early in [true, false] {
            let length = with_lent(&mut node, scratch, |node, buffer| {
                assert!(node.scratch.is_empty(), "the field is empty while lent");
                buffer.clear();
                buffer.push_str("sip:bob@beta.example");
                if early {
                    return buffer.len();
                }
                node.seen.push(buffer.clone());
                0
            });
            assert_eq!(length, if early { 20 } else { 0 });
            assert_eq!(node.scratch, "sip:bob@beta.example");
            assert!(node.scratch.capacity() >= 64, "the same buffer came back");
        }
        assert_eq!(node.seen, ["sip:bob@beta.example"]);
    }
}
