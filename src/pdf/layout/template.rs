//! The page template: trim, grid and per-role type, read from TOML or JSON (serde).
//!
//! First stage of the layout (template → blocks → pages). Everything a paper would change about its
//! look lives in a template file; the default (`templates/broadsheet.toml`) is built into the
//! binary. Sizes are given in points (`9`, `"9pt"`), millimetres (`"390mm"`) or Chinese 号
//! (`"小五"` = 9 pt). The type area follows from the grid — columns of whole characters of the body
//! size with whole-character gutters, and a whole number of body lines — and the margins take the
//! rest of the trim, centred.

use std::fmt;
use std::path::Path;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::fonts::Face;

/// Points per millimetre (1 pt = 1/72 in).
pub const PT_PER_MM: f32 = 72.0 / 25.4;

/// The default template, a 对开 broadsheet of 8 columns.
pub const BROADSHEET: &str = include_str!("../../../templates/broadsheet.toml");

/// Chinese type sizes (号) in points, as set in GB/T and every compositor's table.
const HAO: [(&str, f32); 16] = [
    ("初号", 42.0),
    ("小初", 36.0),
    ("一号", 26.0),
    ("小一", 24.0),
    ("二号", 22.0),
    ("小二", 18.0),
    ("三号", 16.0),
    ("小三", 15.0),
    ("四号", 14.0),
    ("小四", 12.0),
    ("五号", 10.5),
    ("小五", 9.0),
    ("六号", 7.5),
    ("小六", 6.5),
    ("七号", 5.5),
    ("八号", 5.0),
];

/// A length in points, read from a number (points) or a string with a unit or a 号 name.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Size(pub f32);

impl Size {
    pub fn pt(self) -> f32 {
        self.0
    }

    /// Parses `9`, `9pt`, `390mm`, `3.5cm` or a 号 name such as `小五`.
    pub fn parse(s: &str) -> std::result::Result<Size, String> {
        let t = s.trim();
        if let Some((_, pt)) = HAO.iter().find(|(name, _)| *name == t) {
            return Ok(Size(*pt));
        }
        let (num, factor) = if let Some(n) = t.strip_suffix("mm") {
            (n, PT_PER_MM)
        } else if let Some(n) = t.strip_suffix("cm") {
            (n, PT_PER_MM * 10.0)
        } else if let Some(n) = t.strip_suffix("pt") {
            (n, 1.0)
        } else {
            (t, 1.0)
        };
        match num.trim().parse::<f32>() {
            Ok(v) if v.is_finite() && v >= 0.0 => Ok(Size(v * factor)),
            _ => Err(format!("not a size: {s:?} (give points, \"…mm\", or a 号 such as \"小五\")")),
        }
    }
}

impl<'de> Deserialize<'de> for Size {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Size, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Size;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a size in points, \"…mm\" or a 号 name")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Size, E> {
                if v.is_finite() && v >= 0.0 {
                    Ok(Size(v as f32))
                } else {
                    Err(E::custom(format!("not a size: {v}")))
                }
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Size, E> {
                self.visit_f64(v as f64)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Size, E> {
                self.visit_f64(v as f64)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Size, E> {
                Size::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// A process colour as percentages of cyan, magenta, yellow and black (newsprint is CMYK).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct Cmyk(pub [f32; 4]);

impl Cmyk {
    pub const BLACK: Cmyk = Cmyk([0.0, 0.0, 0.0, 100.0]);
}

impl Default for Cmyk {
    fn default() -> Self {
        Cmyk::BLACK
    }
}

/// Which shipped face a role is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FaceName {
    Serif,
    SerifBold,
    SansBold,
    Kai,
}

impl FaceName {
    pub fn face(self) -> Face {
        match self {
            FaceName::Serif => Face::SerifRegular,
            FaceName::SerifBold => Face::SerifBold,
            FaceName::SansBold => Face::SansBold,
            FaceName::Kai => Face::Kai,
        }
    }
}

/// How the lines of a role sit in their measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Alignment {
    /// Flush both sides, the paragraph's last line flush left (body text).
    #[default]
    Justify,
    Left,
    Center,
    Right,
}

fn one() -> f32 {
    1.0
}

/// The type of one role (headline, body, caption …).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub face: FaceName,
    pub size: Size,
    /// Baseline to baseline as a multiple of the size.
    #[serde(default = "one")]
    pub leading: f32,
    #[serde(default)]
    pub color: Cmyk,
    #[serde(default)]
    pub align: Alignment,
    /// First-line indent in ems (2 for body paragraphs).
    #[serde(default)]
    pub indent: f32,
    /// Indent of wrapped lines in ems (verse).
    #[serde(default)]
    pub hanging: f32,
    /// Extra space between characters in ems (mastheads and running heads are letter-spaced).
    #[serde(default)]
    pub tracking: f32,
}

impl Role {
    /// Baseline-to-baseline distance in points.
    pub fn line_pitch(&self) -> f32 {
        self.size.pt() * self.leading
    }

    /// The same role at another size (headlines are sized to their block).
    pub fn at_size(&self, size: f32) -> Role {
        Role { size: Size(size), ..self.clone() }
    }
}

/// Trim size of the sheet.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trim {
    pub width: Size,
    pub height: Size,
}

/// The column grid the type area is built from.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grid {
    pub columns: u32,
    /// Characters of the body size per column line.
    pub column_chars: u32,
    /// Gutter between columns, in body characters.
    pub gutter_chars: f32,
    /// Body lines per column: the type area's height in lines of the body leading.
    pub lines: u32,
    /// How far the body leading may open to fill a page, as a multiple of the body's own leading.
    pub max_leading_stretch: f32,
}

/// Widths a block may take, in columns.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Widths {
    /// The page's first (lead) article.
    pub lead: [u32; 2],
    pub article: [u32; 2],
    /// Articles of at most `brief_lines` body lines at column width.
    pub brief: [u32; 2],
    pub brief_lines: u32,
}

/// Headline sizes by the article's rank on its page: the largest that fits in `max_lines` is used.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Headlines {
    pub lead: Vec<Size>,
    pub article: Vec<Size>,
    pub brief: Vec<Size>,
    pub max_lines: u32,
    /// Space above and below the headline group, in body lines; may grow to `max_space` to fill.
    pub space: f32,
    pub max_space: f32,
}

/// Figures: photos placed from the text, and framed placeholders for photos the text only captions.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figures {
    /// Columns a figure spans in blocks of 1–2, 3–4 and 5 or more columns.
    pub span: [u32; 3],
    /// Height of a placeholder as a share of its width, and how far it may grow to fill the block.
    pub aspect: f32,
    pub max_aspect: f32,
    /// Side of a QR placeholder, in body characters.
    pub qr_chars: f32,
    /// Tint of a placeholder's field.
    pub fill: Cmyk,
}

/// The masthead (报头) band of page 1.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MastheadLayout {
    /// Columns the paper's name and its data take; the ear brief (报眼) takes the rest.
    pub columns: u32,
    /// Height of the band in body lines, at least (it grows to hold the ear).
    pub min_lines: u32,
}

/// Rules between blocks and frames.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub width: Size,
    pub frame_width: Size,
    /// The heavier rule under the masthead band and the running head.
    pub head_width: Size,
    #[serde(default)]
    pub color: Cmyk,
}

/// Type for every role on the page.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Roles {
    pub masthead_name: Role,
    pub masthead_info: Role,
    pub masthead_small: Role,
    pub ear_headline: Role,
    pub ear_body: Role,
    pub banner: Role,
    pub kicker: Role,
    pub headline: Role,
    pub subtitle: Role,
    pub byline: Role,
    pub body: Role,
    pub crosshead: Role,
    pub verse: Role,
    pub caption: Role,
    pub credit: Role,
    pub promo: Role,
    pub jump: Role,
    pub running_head: Role,
    pub note: Role,
}

/// A page template.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub name: String,
    pub trim: Trim,
    pub grid: Grid,
    pub widths: Widths,
    pub headlines: Headlines,
    pub figures: Figures,
    pub masthead: MastheadLayout,
    pub rules: Rules,
    pub roles: Roles,
}

/// The type area and column positions, in points from the page's top-left.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geometry {
    pub page_width: f32,
    pub page_height: f32,
    pub left: f32,
    pub top: f32,
    pub width: f32,
    pub height: f32,
    pub column_width: f32,
    pub gutter: f32,
    pub columns: u32,
}

impl Geometry {
    /// Left edge of column `c` (0-based).
    pub fn column_x(&self, c: u32) -> f32 {
        self.left + c as f32 * (self.column_width + self.gutter)
    }

    /// Width of `n` adjacent columns with the gutters between them.
    pub fn span_width(&self, n: u32) -> f32 {
        n as f32 * self.column_width + n.saturating_sub(1) as f32 * self.gutter
    }

    pub fn bottom(&self) -> f32 {
        self.top + self.height
    }
}

impl Template {
    /// The built-in broadsheet.
    pub fn broadsheet() -> Template {
        Template::from_toml(BROADSHEET, "templates/broadsheet.toml").expect("the built-in template is valid")
    }

    /// Reads a template file: TOML, or JSON when the name ends in `.json`.
    pub fn load(path: &Path) -> Result<Template> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| Error::input(&shown, format!("cannot read template: {e}")))?;
        if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
            let t: Template = serde_json::from_str(&text).map_err(|e| Error::input(&shown, format!("bad template: {e}")))?;
            t.check().map_err(|e| Error::input(&shown, e))?;
            Ok(t)
        } else {
            Template::from_toml(&text, &shown)
        }
    }

    pub fn from_toml(text: &str, shown: &str) -> Result<Template> {
        let t: Template = toml::from_str(text)
            .map_err(|e| Error::input(shown, format!("bad template: {}", e.to_string().replace('\n', " "))))?;
        t.check().map_err(|e| Error::input(shown, e))?;
        Ok(t)
    }

    /// Refuses a template whose grid does not fit its trim or whose numbers cannot lay out a page.
    fn check(&self) -> std::result::Result<(), String> {
        let g = self.geometry();
        if self.grid.columns == 0 || self.grid.column_chars == 0 || self.grid.lines == 0 {
            return Err("bad template: grid needs columns, column_chars and lines above zero".into());
        }
        if g.width > g.page_width || g.height > g.page_height {
            return Err(format!(
                "bad template: type area {:.0}×{:.0} mm is larger than the trim {:.0}×{:.0} mm",
                g.width / PT_PER_MM,
                g.height / PT_PER_MM,
                g.page_width / PT_PER_MM,
                g.page_height / PT_PER_MM
            ));
        }
        let c = self.grid.columns;
        for (what, [lo, hi]) in [("lead", self.widths.lead), ("article", self.widths.article), ("brief", self.widths.brief)] {
            if lo == 0 || lo > hi || hi > c {
                return Err(format!("bad template: widths.{what} must be 1 ≤ min ≤ max ≤ {c} columns"));
            }
        }
        if self.masthead.columns == 0 || self.masthead.columns > c {
            return Err(format!("bad template: masthead.columns must be 1–{c}"));
        }
        for (what, sizes) in [("lead", &self.headlines.lead), ("article", &self.headlines.article), ("brief", &self.headlines.brief)] {
            if sizes.is_empty() {
                return Err(format!("bad template: headlines.{what} lists no sizes"));
            }
        }
        if self.grid.max_leading_stretch < 1.0 || self.headlines.max_space < self.headlines.space {
            return Err("bad template: stretch limits must not be below the normal values".into());
        }
        Ok(())
    }

    /// Body size in points: the grid's unit.
    pub fn body_size(&self) -> f32 {
        self.roles.body.size.pt()
    }

    /// Body baseline-to-baseline distance: the grid's line.
    pub fn body_pitch(&self) -> f32 {
        self.roles.body.line_pitch()
    }

    pub fn geometry(&self) -> Geometry {
        let unit = self.body_size();
        let column_width = self.grid.column_chars as f32 * unit;
        let gutter = self.grid.gutter_chars * unit;
        let columns = self.grid.columns;
        let width = columns as f32 * column_width + columns.saturating_sub(1) as f32 * gutter;
        let height = self.grid.lines as f32 * self.body_pitch();
        let page_width = self.trim.width.pt();
        let page_height = self.trim.height.pt();
        Geometry {
            page_width,
            page_height,
            left: (page_width - width) / 2.0,
            top: (page_height - height) / 2.0,
            width,
            height,
            column_width,
            gutter,
            columns,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_in_points_millimetres_and_hao() {
        assert_eq!(Size::parse("小五").unwrap().pt(), 9.0);
        assert_eq!(Size::parse("五号").unwrap().pt(), 10.5);
        assert_eq!(Size::parse("小初").unwrap().pt(), 36.0);
        assert_eq!(Size::parse("12pt").unwrap().pt(), 12.0);
        assert_eq!(Size::parse("7.5").unwrap().pt(), 7.5);
        assert!((Size::parse("25.4mm").unwrap().pt() - 72.0).abs() < 1e-3);
        assert!(Size::parse("大五").is_err());
        assert!(Size::parse("-3").is_err());
    }

    #[test]
    fn broadsheet_grid_is_eight_columns_of_thirteen_characters() {
        let t = Template::broadsheet();
        let g = t.geometry();
        assert_eq!(g.columns, 8);
        assert_eq!(g.column_width, 13.0 * 9.0);
        assert_eq!(g.gutter, 9.0);
        assert_eq!(g.width, 8.0 * 117.0 + 7.0 * 9.0);
        // 对开, about 390 × 545 mm, the margins taking what the grid leaves
        assert!((g.page_width / PT_PER_MM - 390.0).abs() < 1.0);
        assert!((g.page_height / PT_PER_MM - 545.0).abs() < 1.0);
        assert!(g.left > 10.0 * PT_PER_MM && g.top > 10.0 * PT_PER_MM);
        assert!((g.left * 2.0 + g.width - g.page_width).abs() < 1e-3);
    }

    #[test]
    fn tabloid_template_is_real() {
        let text = include_str!("../../../templates/tabloid.toml");
        let t = Template::from_toml(text, "tabloid.toml").unwrap();
        let g = t.geometry();
        assert_eq!(g.columns, 6);
        assert!((g.page_width / PT_PER_MM - 270.0).abs() < 1.0);
        assert!(g.width < g.page_width && g.height < g.page_height);
    }

    #[test]
    fn a_grid_wider_than_the_trim_is_refused() {
        let text = BROADSHEET.replace("column_chars = 13", "column_chars = 30");
        let err = Template::from_toml(&text, "wide.toml").unwrap_err().to_string();
        assert!(err.contains("larger than the trim"), "{err}");
    }

    #[test]
    fn a_template_may_be_json() {
        let value: toml::Value = toml::from_str(BROADSHEET).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("paper.json");
        std::fs::write(&path, serde_json::to_string(&value).unwrap()).unwrap();
        assert_eq!(Template::load(&path).unwrap(), Template::broadsheet());
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, "{\"name\": 3}").unwrap();
        assert!(Template::load(&bad).unwrap_err().to_string().starts_with(&format!("{}: bad template", bad.display())));
    }

    #[test]
    fn unknown_keys_are_refused() {
        let text = BROADSHEET.replace("[grid]", "[grid]\ncolums = 3");
        let err = Template::from_toml(&text, "typo.toml").unwrap_err().to_string();
        assert!(err.contains("typo.toml: bad template"), "{err}");
    }
}
