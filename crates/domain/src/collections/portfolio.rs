//! Portfolios: which collector follows a customer. A customer's own collector, over the one its category is
//! given, over the one its segment is given (the precedence of scenarios); none: nobody's, on every agenda of the
//! team.

use super::AssignBy;
use serde::{Deserialize, Serialize};

/// Every customer of a segment or category goes to a collector (a login: the server's role on a team server).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortfolioRule {
    pub by: AssignBy,
    pub value: String,
    pub collector: String,
}

/// The collector following a customer: its own, else its category's, else its segment's.
pub fn collector_for<'a>(
    own: Option<&'a str>,
    segment: Option<&str>,
    category: Option<&str>,
    rules: &'a [PortfolioRule],
) -> Option<&'a str> {
    let by = |kind: AssignBy, value: Option<&str>| {
        value.and_then(|v| {
            rules
                .iter()
                .find(|r| r.by == kind && r.value == v)
                .map(|r| r.collector.as_str())
        })
    };
    own.or_else(|| by(AssignBy::Category, category))
        .or_else(|| by(AssignBy::Segment, segment))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(by: AssignBy, value: &str, collector: &str) -> PortfolioRule {
        PortfolioRule {
            by,
            value: value.into(),
            collector: collector.into(),
        }
    }

    #[test]
    fn own_then_category_then_segment() {
        let rules = vec![
            rule(AssignBy::Segment, "grand_compte", "paul"),
            rule(AssignBy::Category, "public_body", "marie"),
        ];
        assert_eq!(collector_for(None, None, None, &rules), None);
        assert_eq!(collector_for(None, Some("pme"), None, &rules), None);
        assert_eq!(
            collector_for(None, Some("grand_compte"), None, &rules),
            Some("paul")
        );
        assert_eq!(
            collector_for(None, Some("grand_compte"), Some("public_body"), &rules),
            Some("marie")
        );
        assert_eq!(
            collector_for(Some("zoe"), Some("grand_compte"), Some("public_body"), &rules),
            Some("zoe")
        );
        // A category without a rule falls through to the segment's.
        assert_eq!(
            collector_for(None, Some("grand_compte"), Some("key_account"), &rules),
            Some("paul")
        );
    }
}
