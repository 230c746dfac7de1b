//! What the book says about itself, taken from the masthead: title, identifier, dates, series.
//!
//! First stage of the EPUB writer; the package document (`package`), the cover and the zip
//! timestamps read it. Everything here is a function of the issue (and `SOURCE_DATE_EPOCH`), so a
//! re-run gives the same book: same identifier, same dates.

use uuid::Uuid;

use crate::model::Issue;

/// The book's language: the papers are in Simplified Chinese as used in mainland China.
pub const LANGUAGE: &str = "zh-CN";

/// The environment variable of the reproducible-builds convention: when set, its seconds since
/// 1970 are the book's modification time instead of the issue's date.
pub const SOURCE_DATE_EPOCH: &str = "SOURCE_DATE_EPOCH";

/// Title used when the masthead names no paper.
const UNNAMED_PAPER: &str = "报纸";

/// The namespace of papertool's v5 identifiers: the v5 UUID of papertool's name in the URL
/// namespace, so identifiers do not collide with other tools' v5 UUIDs over the same text.
fn namespace() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, b"https://github.com/papertool/papertool#issue")
}

/// A moment in UTC, to the second; what `dcterms:modified` and the zip entries carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

impl Timestamp {
    /// Midnight UTC of an ISO date `YYYY-MM-DD`; `None` when it is not one.
    pub fn from_iso_date(date: &str) -> Option<Timestamp> {
        let (year, month, day) = parse_iso_date(date)?;
        Some(Timestamp { year, month, day, hour: 0, minute: 0, second: 0 })
    }

    pub fn from_unix(seconds: i64) -> Timestamp {
        let days = seconds.div_euclid(86_400);
        let rest = seconds.rem_euclid(86_400) as u32;
        let (year, month, day) = civil_from_days(days);
        Timestamp { year, month, day, hour: rest / 3600, minute: rest / 60 % 60, second: rest % 60 }
    }

    /// `2025-09-01T00:00:00Z`, the form EPUB requires for `dcterms:modified`.
    pub fn w3cdtf(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

/// The metadata of one issue's book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    /// `渝中报 2025年9月1日 第99期`.
    pub title: String,
    pub paper: Option<String>,
    /// `urn:uuid:…`, v5 from paper, date and issue number.
    pub identifier: String,
    pub publisher: Option<String>,
    /// The issue's date as ISO 8601, for `dc:date`.
    pub date: Option<String>,
    /// The issue's date as printed in Chinese: `2025年9月1日`.
    pub date_chinese: Option<String>,
    pub modified: Timestamp,
    /// Position in the paper's series: the total issue number (总第…期), else the issue number.
    pub series_index: Option<u32>,
}

impl Metadata {
    /// `source_date_epoch`: the value of [`SOURCE_DATE_EPOCH`] if the caller honours it.
    pub fn of(issue: &Issue, source_date_epoch: Option<i64>) -> Metadata {
        let m = &issue.masthead;
        let paper = m.paper.clone().filter(|p| !p.trim().is_empty());
        let date = m.date.clone().filter(|d| !d.trim().is_empty());
        let date_chinese = date.as_deref().map(chinese_date);
        let mut title = paper.clone().unwrap_or_else(|| UNNAMED_PAPER.to_string());
        if let Some(d) = &date_chinese {
            title.push(' ');
            title.push_str(d);
        }
        if let Some(n) = m.issue_number {
            title.push_str(&format!(" 第{n}期"));
        }
        let identifier = identifier(issue);
        let modified = source_date_epoch
            .map(Timestamp::from_unix)
            .or_else(|| date.as_deref().and_then(Timestamp::from_iso_date))
            .unwrap_or(Timestamp::from_unix(0));
        Metadata {
            title,
            paper,
            identifier,
            publisher: m.publisher.clone().filter(|p| !p.trim().is_empty()),
            date,
            date_chinese,
            modified,
            series_index: m.total_issue_number.or(m.issue_number),
        }
    }
}

/// Reads [`SOURCE_DATE_EPOCH`] from the environment: `None` when unset; an error message when set
/// to something that is not a count of seconds.
pub fn source_date_epoch_from_env() -> Result<Option<i64>, String> {
    match std::env::var(SOURCE_DATE_EPOCH) {
        Err(_) => Ok(None),
        Ok(v) if v.trim().is_empty() => Ok(None),
        Ok(v) => v
            .trim()
            .parse::<i64>()
            .map(Some)
            .map_err(|_| format!("{SOURCE_DATE_EPOCH}={v}: not a number of seconds since 1970")),
    }
}

/// The same paper, date and issue number give the same identifier, so a reader's library sees a
/// re-run as the same book. An issue without any of them is identified by its whole content.
fn identifier(issue: &Issue) -> String {
    let m = &issue.masthead;
    let name = if m.paper.is_some() || m.date.is_some() || m.issue_number.is_some() {
        format!(
            "{}|{}|{}",
            m.paper.as_deref().unwrap_or(""),
            m.date.as_deref().unwrap_or(""),
            m.issue_number.map(|n| n.to_string()).unwrap_or_default()
        )
    } else {
        serde_json::to_string(issue).unwrap_or_default()
    };
    format!("urn:uuid:{}", Uuid::new_v5(&namespace(), name.as_bytes()))
}

fn parse_iso_date(date: &str) -> Option<(i64, u32, u32)> {
    let mut parts = date.trim().splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    ((1..=12).contains(&month) && (1..=31).contains(&day) && (1..=9999).contains(&year))
        .then_some((year, month, day))
}

/// `2025-09-01` → `2025年9月1日`; a date in another form is shown as given.
pub fn chinese_date(date: &str) -> String {
    match parse_iso_date(date) {
        Some((y, m, d)) => format!("{y}年{m}月{d}日"),
        None => date.to_string(),
    }
}

/// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian calendar
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Masthead, SCHEMA};

    fn issue(paper: &str, date: &str, number: u32) -> Issue {
        Issue {
            schema: SCHEMA.into(),
            encoding: None,
            masthead: Masthead {
                paper: Some(paper.into()),
                date: Some(date.into()),
                issue_number: Some(number),
                total_issue_number: Some(2230),
                page_count: 4,
                ..Default::default()
            },
            pages: vec![],
            warnings: vec![],
        }
    }

    #[test]
    fn title_date_and_series_from_the_masthead() {
        let m = Metadata::of(&issue("嘉陵报", "2025-09-01", 99), None);
        assert_eq!(m.title, "嘉陵报 2025年9月1日 第99期");
        assert_eq!(m.modified.w3cdtf(), "2025-09-01T00:00:00Z");
        assert_eq!(m.series_index, Some(2230));
    }

    #[test]
    fn identifier_is_stable_and_depends_on_the_issue() {
        let a = Metadata::of(&issue("嘉陵报", "2025-09-01", 99), None).identifier;
        assert_eq!(a, Metadata::of(&issue("嘉陵报", "2025-09-01", 99), None).identifier);
        assert_ne!(a, Metadata::of(&issue("嘉陵报", "2025-09-03", 100), None).identifier);
        assert!(a.starts_with("urn:uuid:") && a.as_bytes()[23] == b'5', "{a}");
    }

    #[test]
    fn source_date_epoch_wins() {
        let m = Metadata::of(&issue("嘉陵报", "2025-09-01", 99), Some(1_700_000_000));
        assert_eq!(m.modified.w3cdtf(), "2023-11-14T22:13:20Z");
        assert_eq!(Timestamp::from_unix(0).w3cdtf(), "1970-01-01T00:00:00Z");
        assert_eq!(Timestamp::from_unix(951_782_400).w3cdtf(), "2000-02-29T00:00:00Z");
    }
}
