//! The reference sheet: one 1600 x 1000 landscape image with the portrait, the name and
//! species, every palette colour as a labelled swatch, the markings, eyes and personality, and
//! which engine made the fursona. Every text is cleaned and fitted to its box with the font's
//! own advance widths.

use svg::Document;
use svg::node::element::{Group, Rectangle, Text, Title};

use super::colours::{Colours, Rgb, Slot, eyes};
use super::geom::num;
use super::portrait;
use super::text::{FAMILY, Fitted, Font, Weight};
use crate::domain::fursona::Fursona;

pub const WIDTH: f32 = 1600.0;
pub const HEIGHT: f32 = 1000.0;

pub(super) const INK: Rgb = Rgb(38, 32, 48);
pub(super) const MUTED: Rgb = Rgb(112, 104, 120);
pub(super) const PAPER: Rgb = Rgb(253, 249, 242);
const CARD: Rgb = Rgb(255, 255, 255);

/// Right column: name, species, palette, markings.
const RIGHT_X: f32 = 760.0;
const RIGHT_W: f32 = 800.0;
/// Left column: portrait, eyes, personality.
const LEFT_X: f32 = 40.0;
const LEFT_W: f32 = 660.0;

pub(crate) fn svg(fursona: &Fursona, made_by: &str, font: &Font) -> String {
    let colours = Colours::of(fursona);
    let light = colours.get(Slot::Light);
    let mut doc = Document::new()
        .set("xmlns", "http://www.w3.org/2000/svg")
        .set("viewBox", format!("0 0 {} {}", num(WIDTH), num(HEIGHT)))
        .set("width", num(WIDTH))
        .set("height", num(HEIGHT))
        .add(Title::new(font.clean(&format!(
            "Reference sheet: {}, {}",
            fursona.name, fursona.species
        ))))
        .add(rect(0.0, 0.0, WIDTH, HEIGHT, 0.0, PAPER));

    // The portrait on a soft panel in its own light colour.
    let panel = light.mix(CARD, 0.55);
    doc = doc.add(
        rect(LEFT_X, 40.0, LEFT_W, 660.0, 40.0, panel)
            .set("stroke", light.darken(0.15).hex())
            .set("stroke-width", "3"),
    );
    let (defs, group) = portrait::drawing(fursona);
    let scale = 600.0 / 512.0;
    doc = doc.add(defs).add(group.set(
        "transform",
        format!(
            "translate({} {}) scale({})",
            num(LEFT_X + 30.0),
            num(60.0),
            scale
        ),
    ));

    // Eyes, with a dot of each eye colour.
    let fallback = colours.accent();
    let eye = eyes(&fursona.eye_color, &colours, fallback);
    let mut y = 752.0;
    doc = doc.add(label("EYES", LEFT_X, y, font));
    y += 16.0;
    let dots = if eye.left == eye.right {
        vec![eye.right]
    } else {
        vec![eye.right, eye.left]
    };
    for (i, colour) in dots.iter().enumerate() {
        let cx = LEFT_X + 18.0 + i as f32 * 30.0;
        doc = doc.add(
            svg::node::element::Circle::new()
                .set("cx", num(cx))
                .set("cy", num(y + 18.0))
                .set("r", "13")
                .set("fill", colour.hex())
                .set("stroke", colour.ink().hex())
                .set("stroke-width", "2"),
        );
    }
    let eye_x = LEFT_X + 18.0 + dots.len() as f32 * 30.0;
    let fitted = font.fit(
        &fursona.eye_color,
        LEFT_X + LEFT_W - eye_x,
        26.0,
        16.0,
        1,
        Weight::Regular,
    );
    doc = doc.add(lines(
        &fitted,
        eye_x,
        y + 18.0 + fitted.size * 0.35,
        1.2,
        Weight::Regular,
        INK,
    ));

    // Personality as pills, wrapped into rows.
    y += 64.0;
    doc = doc.add(label("PERSONALITY", LEFT_X, y, font));
    y += 14.0;
    let mut x = LEFT_X;
    let pill_h = 44.0;
    for personality_trait in &fursona.personality {
        let fitted = font.fit(
            personality_trait,
            LEFT_W - 36.0,
            22.0,
            14.0,
            1,
            Weight::Bold,
        );
        let text = fitted.lines.first().cloned().unwrap_or_default();
        if text.is_empty() {
            continue;
        }
        let w = font.width(&text, fitted.size, Weight::Bold) + 36.0;
        if x + w > LEFT_X + LEFT_W {
            x = LEFT_X;
            y += pill_h + 10.0;
        }
        if y + pill_h > HEIGHT - 44.0 {
            break;
        }
        doc = doc.add(
            rect(x, y, w, pill_h, pill_h / 2.0, light.mix(CARD, 0.3))
                .set("stroke", light.darken(0.2).hex())
                .set("stroke-width", "2"),
        );
        doc = doc.add(text_at(
            &text,
            x + 18.0,
            y + pill_h / 2.0 + fitted.size * 0.36,
            fitted.size,
            Weight::Bold,
            INK,
        ));
        x += w + 10.0;
    }

    // Name and species.
    let name = font.fit(&fursona.name, RIGHT_W, 72.0, 28.0, 2, Weight::Bold);
    let mut y = 40.0 + name.size;
    doc = doc.add(lines(&name, RIGHT_X, y, 1.08, Weight::Bold, INK));
    y += name.size * 1.08 * (name.lines.len() as f32 - 1.0);
    let species = font.fit(
        &capitalised(&fursona.species),
        RIGHT_W,
        32.0,
        16.0,
        1,
        Weight::Regular,
    );
    y += species.size + 14.0;
    doc = doc.add(lines(&species, RIGHT_X, y, 1.2, Weight::Regular, MUTED));

    // Palette: three cards a row.
    y += 44.0;
    doc = doc.add(label("PALETTE", RIGHT_X, y, font));
    y += 16.0;
    let gap = 22.0;
    let card_w = (RIGHT_W - 2.0 * gap) / 3.0;
    let card_h = 196.0;
    for (i, swatch) in fursona.palette.iter().enumerate() {
        let Some(colour) = Rgb::parse(&swatch.hex) else {
            continue;
        };
        let cx = RIGHT_X + (i % 3) as f32 * (card_w + gap);
        let cy = y + (i / 3) as f32 * (card_h + gap);
        doc = doc.add(swatch_card(
            font,
            cx,
            cy,
            card_w,
            card_h,
            colour,
            &swatch.name,
            &swatch.placement,
        ));
    }
    let rows = fursona.palette.len().div_ceil(3) as f32;
    y += rows * (card_h + gap) + 26.0;

    // Markings, wrapped into what room is left above the footer.
    doc = doc.add(label("MARKINGS", RIGHT_X, y, font));
    y += 14.0;
    let room = (HEIGHT - 56.0 - y).max(24.0);
    let max_lines = ((room / (22.0 * 1.3)).floor() as usize).clamp(1, 6);
    let markings = font.fit(
        &fursona.markings,
        RIGHT_W,
        24.0,
        15.0,
        max_lines,
        Weight::Regular,
    );
    let max_lines = ((room / (markings.size * 1.3)).floor() as usize).max(1);
    let markings = Fitted {
        lines: markings.lines.into_iter().take(max_lines).collect(),
        ..markings
    };
    doc = doc.add(lines(
        &markings,
        RIGHT_X,
        y + markings.size,
        1.3,
        Weight::Regular,
        INK,
    ));

    // Footer: which engine made it.
    let made = font.fit(made_by, RIGHT_W, 18.0, 12.0, 1, Weight::Regular);
    let made_text = made.lines.first().cloned().unwrap_or_default();
    doc = doc.add(
        text_at(
            &made_text,
            WIDTH - 40.0,
            HEIGHT - 22.0,
            made.size,
            Weight::Regular,
            MUTED,
        )
        .set("text-anchor", "end"),
    );
    doc.to_string()
}

#[allow(clippy::too_many_arguments)]
fn swatch_card(
    font: &Font,
    x: f32,
    y: f32,
    w: f32,
    h: f32,
    colour: Rgb,
    name: &str,
    place: &str,
) -> Group {
    let pad = 14.0;
    let inner = w - 2.0 * pad;
    let mut group = Group::new()
        .add(
            rect(x, y, w, h, 20.0, CARD)
                .set("stroke", Rgb(226, 220, 214).hex())
                .set("stroke-width", "2"),
        )
        .add(
            rect(x + 8.0, y + 8.0, w - 16.0, 92.0, 14.0, colour)
                .set("stroke", colour.ink().hex())
                .set("stroke-width", "2"),
        );
    let name = font.fit(name, inner, 22.0, 13.0, 1, Weight::Bold);
    let mut ty = y + 100.0 + 10.0 + name.size;
    group = group.add(lines(&name, x + pad, ty, 1.2, Weight::Bold, INK));
    ty += 24.0;
    group = group.add(text_at(
        &colour.hex(),
        x + pad,
        ty,
        18.0,
        Weight::Regular,
        MUTED,
    ));
    let place = font.fit(place, inner, 17.0, 12.0, 2, Weight::Regular);
    ty += 8.0 + place.size;
    group.add(lines(&place, x + pad, ty, 1.15, Weight::Regular, INK))
}

pub(super) fn rect(x: f32, y: f32, w: f32, h: f32, r: f32, fill: Rgb) -> Rectangle {
    Rectangle::new()
        .set("x", num(x))
        .set("y", num(y))
        .set("width", num(w))
        .set("height", num(h))
        .set("rx", num(r))
        .set("fill", fill.hex())
}

pub(super) fn text_at(content: &str, x: f32, y: f32, size: f32, weight: Weight, fill: Rgb) -> Text {
    Text::new(content)
        .set("x", num(x))
        .set("y", num(y))
        .set("font-family", FAMILY)
        .set("font-size", num(size))
        .set(
            "font-weight",
            if weight == Weight::Bold { "700" } else { "400" },
        )
        .set("fill", fill.hex())
}

/// Fitted lines as one group of texts, `leading` times the size apart, the first baseline at y.
pub(super) fn lines(
    fitted: &Fitted,
    x: f32,
    y: f32,
    leading: f32,
    weight: Weight,
    fill: Rgb,
) -> Group {
    let mut group = Group::new();
    for (i, line) in fitted.lines.iter().enumerate() {
        let baseline = y + i as f32 * fitted.size * leading;
        group = group.add(text_at(line, x, baseline, fitted.size, weight, fill));
    }
    group
}

fn label(text: &str, x: f32, y: f32, font: &Font) -> Text {
    text_at(&font.clean(text), x, y, 17.0, Weight::Bold, MUTED).set("letter-spacing", "2")
}

/// "red fox" reads as a label when it starts with a capital: "Red fox".
fn capitalised(text: &str) -> String {
    let mut chars = text.trim().chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}
