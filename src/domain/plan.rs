//! The plans: one table, read by limits, pages, the API and billing.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Plan {
    Free,
    Basic,
    Pro,
}

/// Everything about a plan except its Stripe price and AI model, which the operator sets.
#[derive(Debug)]
pub struct PlanInfo {
    pub plan: Plan,
    pub name: &'static str,
    /// Monthly price in minor units of `currency`.
    pub price_cents: u32,
    pub currency: &'static str,
    /// Generations per period; `None` is unlimited.
    pub monthly_limit: Option<u32>,
    /// The original design's feature list.
    pub features: &'static [Feature],
}

/// A plan's feature: its short name (the API's word for it) and what it gives, for people.
#[derive(Debug)]
pub struct Feature {
    pub name: &'static str,
    pub gives: &'static str,
}

const BASIC_AI: Feature = Feature {
    name: "Basic AI",
    gives: "Fursonas written by the standard AI model from your photo",
};
const COMMUNITY: Feature = Feature {
    name: "Community",
    gives: "Share any fursona with a public link and a preview card",
};
const ENHANCED_AI: Feature = Feature {
    name: "Enhanced AI",
    gives: "A stronger AI model that looks at your photo in more detail",
};
const BEST_AI: Feature = Feature {
    name: "Best AI",
    gives: "Our most capable AI model, at the highest photo detail",
};
const PRIORITY: Feature = Feature {
    name: "Priority",
    gives: "Your fursonas are made first when many people are generating",
};
const HISTORY: Feature = Feature {
    name: "History",
    gives: "Every fursona you have made stays in your history, not only the latest 3",
};
const EARLY_ACCESS: Feature = Feature {
    name: "Early Access",
    gives: "New styles and features reach your account before anyone else's",
};

pub const PLANS: [PlanInfo; 3] = [
    PlanInfo {
        plan: Plan::Free,
        name: "Free",
        price_cents: 0,
        currency: "usd",
        monthly_limit: Some(5),
        features: &[BASIC_AI, COMMUNITY],
    },
    PlanInfo {
        plan: Plan::Basic,
        name: "Basic",
        price_cents: 999,
        currency: "usd",
        monthly_limit: Some(50),
        features: &[ENHANCED_AI, PRIORITY, HISTORY],
    },
    PlanInfo {
        plan: Plan::Pro,
        name: "Pro",
        price_cents: 1999,
        currency: "usd",
        monthly_limit: None,
        features: &[BEST_AI, PRIORITY, HISTORY, EARLY_ACCESS],
    },
];

impl Plan {
    pub fn info(self) -> &'static PlanInfo {
        match self {
            Plan::Free => &PLANS[0],
            Plan::Basic => &PLANS[1],
            Plan::Pro => &PLANS[2],
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Plan::Free => "free",
            Plan::Basic => "basic",
            Plan::Pro => "pro",
        }
    }

    /// Generations allowed per period; `None` is unlimited.
    pub fn monthly_limit(self) -> Option<u32> {
        self.info().monthly_limit
    }

    pub fn is_paid(self) -> bool {
        self != Plan::Free
    }
}

impl PlanInfo {
    /// "$9.99 / month", "$0".
    pub fn display_price(&self) -> String {
        if self.price_cents == 0 {
            return "$0".to_owned();
        }
        format!(
            "${}.{:02} / month",
            self.price_cents / 100,
            self.price_cents % 100
        )
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unknown plan {0:?} (expected free, basic or pro)")]
pub struct UnknownPlan(String);

impl FromStr for Plan {
    type Err = UnknownPlan;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "free" => Ok(Plan::Free),
            "basic" => Ok(Plan::Basic),
            "pro" => Ok(Plan::Pro),
            other => Err(UnknownPlan(other.to_owned())),
        }
    }
}

impl TryFrom<String> for Plan {
    type Error = UnknownPlan;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_matches_the_original_design() {
        assert_eq!(Plan::Free.monthly_limit(), Some(5));
        assert_eq!(Plan::Basic.monthly_limit(), Some(50));
        assert_eq!(Plan::Pro.monthly_limit(), None);
        assert_eq!(Plan::Basic.info().display_price(), "$9.99 / month");
        assert_eq!(Plan::Pro.info().display_price(), "$19.99 / month");
        for info in &PLANS {
            assert_eq!(info.plan.info().name, info.name, "info() finds its own row");
        }
    }
}
