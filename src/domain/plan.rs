//! The plans an account can be on.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Plan {
    Free,
    Basic,
    Pro,
}

impl Plan {
    pub fn as_str(self) -> &'static str {
        match self {
            Plan::Free => "free",
            Plan::Basic => "basic",
            Plan::Pro => "pro",
        }
    }

    pub fn display_name(self) -> &'static str {
        match self {
            Plan::Free => "Free",
            Plan::Basic => "Basic",
            Plan::Pro => "Pro",
        }
    }

    pub fn display_price(self) -> &'static str {
        match self {
            Plan::Free => "$0",
            Plan::Basic => "$9.99 / month",
            Plan::Pro => "$19.99 / month",
        }
    }

    /// The original design's feature list.
    pub fn features(self) -> &'static [&'static str] {
        match self {
            Plan::Free => &["Basic AI", "Community"],
            Plan::Basic => &["Enhanced AI", "Priority", "History"],
            Plan::Pro => &["Best AI", "Priority", "History", "Early Access"],
        }
    }

    /// Generations allowed per period; `None` is unlimited.
    pub fn monthly_limit(self) -> Option<u32> {
        match self {
            Plan::Free => Some(5),
            Plan::Basic => Some(50),
            Plan::Pro => None,
        }
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
