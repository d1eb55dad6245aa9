//! The check's wall clock: the timeout and the once-a-second progress report.

use std::time::{Duration, Instant};

use super::options::Progress;

/// Least time between two progress reports.
pub(crate) const PROGRESS_INTERVAL: Duration = Duration::from_secs(1);

/// Why a search stopped before exhausting the reachable states.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cut {
    /// States at `max_depth` have successors that were not explored.
    DepthBound,
    /// The timeout elapsed.
    Timeout,
    /// A level had more states than a link can address.
    LevelTooWide,
}

/// Start time, deadline and the caller's progress callback.
pub(crate) struct Clock<'p> {
    started: Instant,
    deadline: Option<Instant>,
    last_report: Instant,
    progress: &'p mut dyn FnMut(&Progress),
}

impl<'p> Clock<'p> {
    /// A clock started now, with an optional timeout.
    pub(crate) fn start(timeout: Option<Duration>, progress: &'p mut dyn FnMut(&Progress)) -> Self {
        let started = Instant::now();
        Clock {
            started,
            // A timeout too large to represent is no timeout.
            deadline: timeout.and_then(|t| started.checked_add(t)),
            last_report: started,
            progress,
        }
    }

    /// The instant the search must stop, if any.
    pub(crate) fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// Time since the start.
    pub(crate) fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Reports progress if a second has passed; fails once the deadline has passed.
    pub(crate) fn tick(
        &mut self,
        states: u64,
        unique_states: u64,
        depth: usize,
    ) -> Result<(), Cut> {
        let now = Instant::now();
        if self.deadline.is_some_and(|deadline| now >= deadline) {
            return Err(Cut::Timeout);
        }
        if now.duration_since(self.last_report) >= PROGRESS_INTERVAL {
            self.last_report = now;
            self.report(states, unique_states, depth);
        }
        Ok(())
    }

    /// Reports progress now (used once at the end).
    pub(crate) fn report(&mut self, states: u64, unique_states: u64, depth: usize) {
        let elapsed = self.started.elapsed();
        (self.progress)(&Progress {
            states,
            unique_states,
            depth,
            elapsed,
        });
    }
}
