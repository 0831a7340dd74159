//! The dashboard's bar chart of generations per day, as geometry for the template to draw as
//! SVG on the server: no JavaScript, and nothing but numbers and dates reach the markup.

use time::Date;
use time::macros::format_description;

/// The drawing's size in SVG units; it scales to the page's width.
pub const WIDTH: u32 = 600;
pub const HEIGHT: u32 = 200;
/// Room for the count labels on the left and the dates below.
const LEFT: u32 = 32;
const BOTTOM: u32 = 22;
const TOP: u32 = 8;

pub struct Bar {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
    /// "2026-11-02: 3 generations", the bar's tooltip and accessible text.
    pub label: String,
}

/// A date written under its bar.
pub struct Tick {
    pub x: u32,
    pub text: String,
}

pub struct Chart {
    pub bars: Vec<Bar>,
    pub ticks: Vec<Tick>,
    /// The largest count, written at the top of the axis.
    pub max: u64,
    /// The baseline's and the top line's height.
    pub base_y: u32,
    pub top_y: u32,
    pub left: u32,
    pub width: u32,
    pub height: u32,
    pub total: u64,
}

impl Chart {
    /// Bars scaled so the busiest day reaches the top; the last date labelled, and every seventh
    /// before it.
    pub fn new(days: &[(Date, u64)]) -> Self {
        let max = days.iter().map(|&(_, n)| n).max().unwrap_or(0);
        let plot_height = HEIGHT - BOTTOM - TOP;
        let base_y = HEIGHT - BOTTOM;
        let slot = (WIDTH - LEFT) / u32::try_from(days.len().max(1)).unwrap_or(1);
        let bars = days
            .iter()
            .enumerate()
            .map(|(i, &(day, count))| {
                // No generations at all: every bar is flat.
                let height = (count * u64::from(plot_height))
                    .checked_div(max)
                    .map_or(0, |h| u32::try_from(h).unwrap_or(plot_height));
                Bar {
                    x: LEFT + slot * u32::try_from(i).unwrap_or(0) + 1,
                    y: base_y - height,
                    width: slot.saturating_sub(2).max(1),
                    height,
                    label: format!(
                        "{day}: {count} generation{}",
                        if count == 1 { "" } else { "s" }
                    ),
                }
            })
            .collect();
        let last = days.len().saturating_sub(1);
        let ticks = days
            .iter()
            .enumerate()
            .filter(|(i, _)| (last - i).is_multiple_of(7))
            .map(|(i, (day, _))| Tick {
                x: LEFT + slot * u32::try_from(i).unwrap_or(0) + slot / 2,
                text: day
                    .format(format_description!("[day padding:none] [month repr:short]"))
                    .unwrap_or_default(),
            })
            .collect();
        Chart {
            bars,
            ticks,
            max,
            base_y,
            top_y: TOP,
            left: LEFT,
            width: WIDTH,
            height: HEIGHT,
            total: days.iter().map(|&(_, n)| n).sum(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_busiest_day_reaches_the_top_and_empty_days_draw_nothing() {
        let days = [
            (date!(2026 - 11 - 30), 0),
            (date!(2026 - 12 - 01), 4),
            (date!(2026 - 12 - 02), 2),
        ];
        let chart = Chart::new(&days);
        assert_eq!(chart.bars[0].height, 0);
        assert_eq!(chart.bars[1].y, chart.top_y);
        assert_eq!(chart.bars[2].height * 2, chart.bars[1].height);
        assert_eq!(chart.bars[1].label, "2026-12-01: 4 generations");
        assert_eq!(chart.total, 6);
        assert_eq!(chart.ticks.len(), 1);
        assert_eq!(chart.ticks[0].text, "2 Dec");
    }

    #[test]
    fn no_generations_at_all_is_a_flat_chart() {
        let chart = Chart::new(&[(date!(2026 - 12 - 01), 0)]);
        assert_eq!(chart.max, 0);
        assert_eq!(chart.bars[0].height, 0);
    }
}
