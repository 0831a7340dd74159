//! Usage periods: the free plan counts generations per calendar month in UTC.

use std::sync::Arc;
use std::time::Duration;

use time::{Date, Month, OffsetDateTime, Time};

/// The current instant, truncated to whole seconds: every stored timestamp has this precision,
/// which keeps SQLite's text timestamps comparable as strings and both backends identical.
pub fn now() -> OffsetDateTime {
    whole_seconds(OffsetDateTime::now_utc())
}

pub fn whole_seconds(at: OffsetDateTime) -> OffsetDateTime {
    at.replace_nanosecond(0).unwrap_or(at)
}

/// Where usage periods get "now" from; tests move it to the next month.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> OffsetDateTime;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        now()
    }
}

/// The instant usage is judged at: now, and the cutoff before which a failed payment has used
/// up its grace period (the plan then gets the free allowance until it is paid).
#[derive(Clone, Copy, Debug)]
pub struct Moment {
    pub now: OffsetDateTime,
    pub past_due_cutoff: OffsetDateTime,
}

/// The clock as usage is judged by: now, and how long a failed payment keeps its plan.
#[derive(Clone)]
pub struct UsageClock {
    clock: Arc<dyn Clock>,
    past_due_grace: Duration,
}

impl UsageClock {
    pub fn new(clock: Arc<dyn Clock>, past_due_grace: Duration) -> Self {
        UsageClock {
            clock,
            past_due_grace,
        }
    }

    pub fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    pub fn moment(&self) -> Moment {
        let now = self.clock.now();
        Moment {
            now,
            past_due_cutoff: now - self.past_due_grace,
        }
    }

    /// The clock itself, for parts that only need the time.
    pub fn clock(&self) -> Arc<dyn Clock> {
        self.clock.clone()
    }
}

/// A plan's usage in its current period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Usage {
    pub plan: crate::domain::plan::Plan,
    pub used: u32,
    /// `None`: unlimited. The free allowance while a payment is overdue past its grace.
    pub limit: Option<u32>,
    pub period_end: OffsetDateTime,
    /// A payment failed and has not been made since.
    pub past_due: bool,
}

impl Usage {
    pub fn remaining(&self) -> Option<u32> {
        self.limit.map(|limit| limit.saturating_sub(self.used))
    }

    /// "2 of 5 this month", or "unlimited".
    pub fn summary(&self) -> String {
        match self.limit {
            Some(limit) => format!("{} of {limit} this month", self.used),
            None => "unlimited".to_owned(),
        }
    }
}

/// The calendar month (UTC) that contains `at`, as `[start, end)`.
pub fn calendar_month(at: OffsetDateTime) -> (OffsetDateTime, OffsetDateTime) {
    let at = at.to_offset(time::UtcOffset::UTC);
    let start = first_of_month(at.year(), at.month());
    let (year, month) = match at.month() {
        Month::December => (at.year() + 1, Month::January),
        month => (at.year(), month.next()),
    };
    (start, first_of_month(year, month))
}

/// How a day is written for people, on every page and in every message: "1 January 2027" (UTC).
pub fn calendar_date(at: OffsetDateTime) -> String {
    at.to_offset(time::UtcOffset::UTC)
        .format(time::macros::format_description!(
            "[day padding:none] [month repr:long] [year]"
        ))
        .unwrap_or_default()
}

fn first_of_month(year: i32, month: Month) -> OffsetDateTime {
    Date::from_calendar_date(year, month, 1)
        .map(|date| date.with_time(Time::MIDNIGHT).assume_utc())
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn days_are_written_one_way() {
        assert_eq!(
            calendar_date(datetime!(2027-01-01 00:00 UTC)),
            "1 January 2027"
        );
        assert_eq!(
            calendar_date(datetime!(2026-11-30 23:30 -02:00)),
            "1 December 2026"
        );
    }

    #[test]
    fn a_month_runs_from_its_first_day_to_the_next_months_first_day() {
        let (start, end) = calendar_month(datetime!(2026-11-27 06:44:25 UTC));
        assert_eq!(start, datetime!(2026-11-01 00:00 UTC));
        assert_eq!(end, datetime!(2026-12-01 00:00 UTC));
    }

    #[test]
    fn december_rolls_into_the_next_year() {
        let (start, end) = calendar_month(datetime!(2026-12-31 23:59:59 UTC));
        assert_eq!(start, datetime!(2026-12-01 00:00 UTC));
        assert_eq!(end, datetime!(2027-01-01 00:00 UTC));
    }

    #[test]
    fn months_are_taken_in_utc() {
        let (start, _) = calendar_month(datetime!(2026-12-01 01:00 +02:00));
        assert_eq!(start, datetime!(2026-11-01 00:00 UTC));
    }

    #[test]
    fn now_has_no_fraction_of_a_second() {
        assert_eq!(now().nanosecond(), 0);
    }
}
