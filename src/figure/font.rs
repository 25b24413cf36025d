//! The one font figures use, embedded so text renders the same on every machine.

use std::sync::Once;

use plotters::style::FontStyle;

/// DejaVu Sans (Bitstream Vera licence, which allows embedding: assets/DejaVuSans-LICENSE.txt).
static DEJAVU_SANS: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");

/// The family name figures ask for; SVG files name it too, for viewers to substitute.
pub const FAMILY: &str = "sans-serif";

/// Registers the embedded font with plotters under [`FAMILY`] (once per process).
pub fn register() {
    static REGISTER: Once = Once::new();
    REGISTER.call_once(|| {
        plotters::style::register_font(FAMILY, FontStyle::Normal, DEJAVU_SANS)
            .unwrap_or_else(|_| unreachable!("the embedded font parses"));
    });
}
