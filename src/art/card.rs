//! The preview card a shared link unfolds into: 1200 x 630 (the Open Graph size), with the
//! portrait on a panel of the fursona's own light colour, the name and species fitted to their
//! box, the palette as a strip, and the site's name.

use svg::Document;
use svg::node::element::Title;

use super::colours::{Colours, Rgb, Slot};
use super::geom::num;
use super::portrait;
use super::sheet::{INK, MUTED, PAPER, lines, rect, text_at};
use super::text::{Font, Weight};
use crate::domain::fursona::Fursona;

pub const WIDTH: f32 = 1200.0;
pub const HEIGHT: f32 = 630.0;

const TEXT_X: f32 = 610.0;
const TEXT_W: f32 = 550.0;
const SITE: &str = "Fursona Generator";

pub(crate) fn svg(fursona: &Fursona, font: &Font) -> String {
    let colours = Colours::of(fursona);
    let light = colours.get(Slot::Light);
    let mut doc = Document::new()
        .set("xmlns", "http://www.w3.org/2000/svg")
        .set("viewBox", format!("0 0 {} {}", num(WIDTH), num(HEIGHT)))
        .set("width", num(WIDTH))
        .set("height", num(HEIGHT))
        .add(Title::new(
            font.clean(&format!("{}, {}", fursona.name, fursona.species)),
        ))
        .add(rect(0.0, 0.0, WIDTH, HEIGHT, 0.0, PAPER));

    // The portrait on a panel of its light colour, bleeding off the left edge.
    doc = doc.add(rect(0.0, 0.0, 570.0, HEIGHT, 0.0, light.mix(PAPER, 0.45)));
    let (defs, group) = portrait::drawing(fursona);
    let scale = 520.0 / 512.0;
    doc = doc.add(defs).add(group.set(
        "transform",
        format!("translate({} {}) scale({})", num(25.0), num(70.0), scale),
    ));

    // Name (up to two lines) and species.
    let name = font.fit(&fursona.name, TEXT_W, 84.0, 36.0, 2, Weight::Bold);
    let mut y = 150.0 + name.size * 0.2;
    doc = doc.add(lines(&name, TEXT_X, y, 1.05, Weight::Bold, INK));
    y += name.size * 1.05 * (name.lines.len() as f32 - 1.0);
    let species = font.fit(&fursona.species, TEXT_W, 40.0, 20.0, 1, Weight::Regular);
    y += species.size + 22.0;
    doc = doc.add(lines(&species, TEXT_X, y, 1.2, Weight::Regular, MUTED));

    // The palette as one strip of equal bands.
    let strip_y = y + 48.0;
    let band = TEXT_W / fursona.palette.len().max(1) as f32;
    for (i, swatch) in fursona.palette.iter().enumerate() {
        let Some(colour) = Rgb::parse(&swatch.hex) else {
            continue;
        };
        doc = doc.add(
            rect(TEXT_X + i as f32 * band, strip_y, band, 56.0, 0.0, colour)
                .set("stroke", colour.ink().hex())
                .set("stroke-width", "1"),
        );
    }

    // The site, bottom right.
    doc = doc.add(
        text_at(SITE, WIDTH - 40.0, HEIGHT - 40.0, 26.0, Weight::Bold, MUTED)
            .set("text-anchor", "end"),
    );
    doc.to_string()
}
