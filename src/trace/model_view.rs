//! The group IM model's ladder: its lanes and step views, as [`LadderView`] asks for them.

use super::LadderView;
use imflow_model::GroupImModel;

impl LadderView for GroupImModel {
    fn lanes(&self) -> Vec<String> {
        GroupImModel::lanes(self)
    }

    fn step_view(&self, before: &Self::State, action: &Self::Action) -> (usize, usize, String) {
        let view = GroupImModel::step_view(self, before, action);
        (view.from, view.to, view.label)
    }
}
