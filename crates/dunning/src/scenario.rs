//! Dunning scenarios: ordered steps, each at an offset in days from the due date, through one or more channels,
//! with a template and whether a person must validate it before it goes. The scenario itself lives in
//! `encaisse_domain` (the store saves it); which scenario a customer follows is decided here.

pub use encaisse_domain::collections::scenario::{
    AssignBy, Assignment, Channel, Scenario, ScenarioError, Step, StepId,
};

/// The scenario id a customer follows: its own override, else its category's, else its segment's, else the
/// default. A category is a deliberate choice (key account, public body) so it beats the segment.
pub fn scenario_for<'a>(
    customer_override: Option<&'a str>,
    segment: Option<&str>,
    category: Option<&str>,
    assignments: &'a [Assignment],
) -> &'a str {
    let by = |kind: AssignBy, value: Option<&str>| {
        value.and_then(|v| {
            assignments
                .iter()
                .find(|a| a.by == kind && a.value == v)
                .map(|a| a.scenario_id.as_str())
        })
    };
    customer_override
        .or_else(|| by(AssignBy::Category, category))
        .or_else(|| by(AssignBy::Segment, segment))
        .unwrap_or(Scenario::DEFAULT_ID)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignment_precedence() {
        let a = vec![
            Assignment {
                by: AssignBy::Segment,
                value: "grand_compte".into(),
                scenario_id: "gentle".into(),
            },
            Assignment {
                by: AssignBy::Category,
                value: "public_body".into(),
                scenario_id: "public".into(),
            },
        ];
        assert_eq!(scenario_for(None, None, None, &a), "default");
        assert_eq!(scenario_for(None, Some("pme"), None, &a), "default");
        assert_eq!(scenario_for(None, Some("grand_compte"), None, &a), "gentle");
        assert_eq!(
            scenario_for(None, Some("grand_compte"), Some("public_body"), &a),
            "public"
        );
        assert_eq!(
            scenario_for(Some("short"), Some("grand_compte"), Some("public_body"), &a),
            "short"
        );
    }
}
