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
