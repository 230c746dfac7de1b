//! Stage 5 of the front end: repairs of what extraction broke, on the finished articles.
//!
//! - Punctuation (GB/T 15834): ASCII `, ; : ? !` and `( )` next to Chinese become `，；：？！`
//!   and `（）` (parentheses as a pair); they stay ASCII in numbers (`1,200`), times (`19:30`),
//!   URLs, e-mail addresses and Latin runs. `...` becomes `……`.
//! - Spaces between Chinese characters in body text are removed (they are extraction noise);
//!   in headlines, crossheads and bylines they separate phrases and names, and stay. Inside
//!   `《…》` a space is part of a quoted title and stays too.
//! - Paragraphs cut by a column break are joined: a body paragraph that ends without a closing
//!   mark runs on into the next paragraph (across a photo, caption or promo set between them),
//!   never into a headline, crosshead, caption, jump, verse or a new `■` brief.
//! - An article whose text stops mid-sentence with no jump line is warned about.

use std::sync::LazyLock;

use regex_lite::Regex;

use super::pattern;
use super::roles::{ends_closed, is_han, join_lines};
use crate::model::{Article, Block, Issue, Warning};

static URL_OR_EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    pattern::compile(r"(?i)(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+|[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
});

/// Chinese text for the purpose of punctuation: Han characters and full-width CJK punctuation.
fn is_cjk(c: char) -> bool {
    is_han(c)
        || matches!(c as u32, 0x3000..=0x303F | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65)
        || "“”‘’…—·".contains(c)
}

/// Full-width CJK punctuation (around which no space is wanted).
fn is_cjk_punct(c: char) -> bool {
    is_cjk(c) && !is_han(c) && c != '·'
}

/// Repairs the punctuation of one piece of text (see the module docs).
pub fn punctuation(text: &str) -> String {
    if text.is_ascii() {
        // No Chinese, so nothing is "next to Chinese".
        return text.to_string();
    }
    if !text.contains([',', ';', ':', '?', '!', '(', ')']) {
        // No mark to turn full-width: a decimal point is no reason to read the text character
        // by character (on the four-page sample that was most of the repairs' work).
        return ellipsis(text);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut protected = vec![false; chars.len()];
    let may_hold_address = text.contains("://") || text.contains("www.") || text.contains('@');
    for m in may_hold_address.then(|| URL_OR_EMAIL.find_iter(text)).into_iter().flatten() {
        let start = text[..m.start()].chars().count();
        let len = m.as_str().chars().count();
        protected[start..start + len].iter_mut().for_each(|p| *p = true);
    }
    let near = |i: usize, step: isize| -> Option<char> {
        let mut j = i as isize + step;
        while j >= 0 && (j as usize) < chars.len() {
            let c = chars[j as usize];
            if c != ' ' {
                return Some(c);
            }
            j += step;
        }
        None
    };
    // A mark belongs to what precedes it (across spaces), or to Chinese right after it:
    // `决定, 中国` and `AI,数字` are Chinese punctuation, `world! 然后` is not.
    // A mark between ASCII tokens that sit inside a Chinese sentence with no space around them
    // (`达96.7%,PM2.5平均`) is Chinese punctuation too; one inside a spaced Latin phrase is not.
    let embedded = |i: usize| {
        let left = chars[..i].iter().rev().find(|c| **c == ' ' || is_cjk(**c)).is_some_and(|c| is_cjk(*c));
        let right = chars[i + 1..].iter().find(|c| **c == ' ' || is_cjk(**c)).is_some_and(|c| is_cjk(*c));
        left && right
    };
    let by_cjk = |i: usize| near(i, -1).is_some_and(is_cjk) || chars.get(i + 1).copied().is_some_and(is_cjk) || embedded(i);
    let mut out: Vec<char> = chars.clone();
    // Parentheses as pairs: both become full-width when the pair holds or touches Chinese.
    let mut stack = vec![];
    let mut pairs = vec![];
    for (i, &c) in chars.iter().enumerate() {
        if protected[i] {
            continue;
        }
        match c {
            '(' => stack.push(i),
            ')' => match stack.pop() {
                Some(open) => pairs.push((open, i)),
                None => {
                    if by_cjk(i) {
                        out[i] = '）';
                    }
                }
            },
            _ => {}
        }
    }
    for open in stack {
        if by_cjk(open) {
            out[open] = '（';
        }
    }
    for (open, close) in pairs {
        let holds = chars[open + 1..close].iter().any(|c| is_cjk(*c));
        // `中文(English)` is a Chinese parenthesis; `f(x)的` is a formula that happens to touch
        // Chinese after it, and stays.
        let follows_chinese = near(open, -1).is_some_and(is_cjk);
        if holds || follows_chinese {
            out[open] = '（';
            out[close] = '）';
        }
    }
    for (i, &c) in chars.iter().enumerate() {
        if protected[i] {
            continue;
        }
        let full = match c {
            ',' => '，',
            ';' => '；',
            ':' => '：',
            '?' => '？',
            '!' => '！',
            _ => continue,
        };
        let digits_both_sides = i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit());
        if (c == ',' || c == ':') && digits_both_sides {
            continue; // 1,200 and 19:30
        }
        if by_cjk(i) {
            out[i] = full;
        }
    }
    let s: String = out.into_iter().collect();
    ellipsis(&s)
}

/// `...` (three to six dots, or `。。。`) next to Chinese → `……`.
fn ellipsis(s: &str) -> String {
    static DOTS: LazyLock<Regex> = LazyLock::new(|| pattern::compile(r"\.{3,6}|。{3,6}"));
    if !s.contains("...") && !s.contains("。。。") {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for m in DOTS.find_iter(s) {
        let before = s[..m.start()].trim_end().chars().last();
        let after = s[m.end()..].trim_start().chars().next();
        let chinese = before.is_some_and(is_cjk) || after.is_some_and(is_cjk) || (before.is_none() && after.is_none());
        out.push_str(&s[last..m.start()]);
        out.push_str(if chinese { "……" } else { m.as_str() });
        last = m.end();
    }
    out.push_str(&s[last..]);
    out
}

/// Body text: spaces between two Chinese characters, or touching full-width punctuation, are
/// removed; inside `《…》` they stay.
pub fn body_spaces(text: &str) -> String {
    if !text.contains(' ') {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut title_depth = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '《' => title_depth += 1,
            '》' => title_depth = title_depth.saturating_sub(1),
            _ => {}
        }
        if c == ' ' {
            let mut j = i;
            while j < chars.len() && chars[j] == ' ' {
                j += 1;
            }
            let before = out.chars().last();
            let after = chars.get(j).copied();
            let between_chinese = before.is_some_and(is_cjk) && after.is_some_and(is_cjk);
            let by_punct = before.is_some_and(is_cjk_punct) || after.is_some_and(is_cjk_punct);
            let at_edge = before.is_none() || after.is_none();
            if at_edge || ((between_chinese || by_punct) && title_depth == 0) {
                i = j;
                continue;
            }
            out.extend(&chars[i..j]);
            i = j;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Applies every repair to `issue` and returns the warnings they raise.
pub fn repair(issue: &mut Issue) -> Vec<Warning> {
    let m = &mut issue.masthead;
    for slot in [&mut m.publisher, &mut m.frequency] {
        if let Some(s) = slot.as_mut() {
            *s = punctuation(s);
        }
    }
    for c in &mut m.contacts {
        *c = punctuation(c);
    }
    let mut warnings = vec![];
    for page in &mut issue.pages {
        for art in &mut page.articles {
            repair_article(art);
            if let Some(w) = mid_sentence(art) {
                warnings.push(w);
            }
            join_cut_paragraphs(&mut art.blocks);
        }
    }
    warnings
}

fn repair_article(art: &mut Article) {
    for slot in [&mut art.banner, &mut art.kicker, &mut art.headline, &mut art.subtitle, &mut art.byline] {
        if let Some(s) = slot.as_mut() {
            *s = punctuation(s);
        }
    }
    for block in &mut art.blocks {
        match block {
            Block::Paragraph { text, .. } => *text = body_spaces(&punctuation(text)),
            Block::Caption { text, credit, .. } => {
                *text = body_spaces(&punctuation(text));
                if let Some(c) = credit.as_mut() {
                    *c = punctuation(c);
                }
            }
            Block::Crosshead { text, .. } | Block::Promo { text, .. } => *text = punctuation(text),
            Block::Verse { lines, .. } => lines.iter_mut().for_each(|l| *l = punctuation(l)),
            Block::Image { alt, .. } => {
                if let Some(a) = alt.as_mut() {
                    *a = punctuation(a);
                }
            }
        }
    }
}

/// The article's text stops mid-sentence and no jump line says where it goes on.
fn mid_sentence(art: &Article) -> Option<Warning> {
    if art.jump_to.is_some() {
        return None;
    }
    let last = art
        .blocks
        .iter()
        .rev()
        .find(|b| matches!(b, Block::Paragraph { .. } | Block::Crosshead { .. } | Block::Verse { .. }))?;
    let Block::Paragraph { text, line } = last else { return None };
    if ends_closed(text) {
        return None;
    }
    let name = art.headline.as_deref().map(|h| format!("article \"{h}\"")).unwrap_or_else(|| "an article without a headline".into());
    Some(Warning { line: *line, message: format!("{name} ends mid-sentence and has no jump line") })
}

/// A paragraph that ends without a closing mark runs on into the next paragraph, across photos,
/// captions and promos set between them; never into a crosshead, verse or a new `■` brief.
fn join_cut_paragraphs(blocks: &mut Vec<Block>) {
    let mut i = 0;
    while i < blocks.len() {
        let Block::Paragraph { text, .. } = &blocks[i] else {
            i += 1;
            continue;
        };
        if ends_closed(text) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < blocks.len() && matches!(blocks[j], Block::Image { .. } | Block::Caption { .. } | Block::Promo { .. }) {
            j += 1;
        }
        let next = match blocks.get(j) {
            Some(Block::Paragraph { text, .. }) if !text.starts_with('■') => text.clone(),
            _ => {
                i += 1;
                continue;
            }
        };
        blocks.remove(j);
        if let Block::Paragraph { text, .. } = &mut blocks[i] {
            *text = join_lines(&[std::mem::take(text), next]);
        }
        // Stay on `i`: the joined paragraph may still be cut.
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_punctuation_next_to_chinese_becomes_full_width() {
        assert_eq!(punctuation("8月29日,经研究决定;会议:开始?好!"), "8月29日，经研究决定；会议：开始？好！");
        assert_eq!(punctuation("本报讯(首席记者 李某)8月"), "本报讯（首席记者 李某）8月");
        assert_eq!(punctuation("AI,数字"), "AI，数字");
        assert_eq!(punctuation("优良率达96.7%,PM2.5下降"), "优良率达96.7%，PM2.5下降");
    }

    #[test]
    fn ascii_punctuation_stays_where_it_belongs() {
        assert_eq!(punctuation("营收1,200万元,增长68.5%"), "营收1,200万元，增长68.5%");
        assert_eq!(punctuation("19:30开始"), "19:30开始");
        assert_eq!(punctuation("访问https://example.com/a?b=1,2获取"), "访问https://example.com/a?b=1,2获取");
        assert_eq!(punctuation("邮箱news@example.com,欢迎"), "邮箱news@example.com，欢迎");
        assert_eq!(punctuation("他说 Hello, world! 然后"), "他说 Hello, world! 然后");
        assert_eq!(punctuation("函数f(x)的值"), "函数f(x)的值");
        assert_eq!(punctuation("人工智能(AI)发展"), "人工智能（AI）发展");
        assert_eq!(punctuation("use f(x) here"), "use f(x) here");
    }

    #[test]
    fn parentheses_convert_as_a_pair() {
        assert_eq!(punctuation("(总第12期)"), "（总第12期）");
        assert_eq!(punctuation("APP(iOS版)下载"), "APP（iOS版）下载");
        assert_eq!(punctuation("(see p.2)"), "(see p.2)");
    }

    #[test]
    fn ellipsis() {
        assert_eq!(punctuation("等等...还有"), "等等……还有");
        assert_eq!(punctuation("他说。。。然后"), "他说……然后", "with no ASCII mark besides");
        assert_eq!(punctuation("增长3.5%,达到"), "增长3.5%，达到");
        assert_eq!(punctuation("wait... ok 中文"), "wait... ok 中文");
    }

    #[test]
    fn spaces_between_chinese_removed_in_body_only_outside_titles() {
        assert_eq!(body_spaces("江 水 东流， 很好"), "江水东流，很好");
        assert_eq!(body_spaces("刊发《活化旧址 传承基因》文章"), "刊发《活化旧址 传承基因》文章");
        assert_eq!(body_spaces("使用 AI 技术"), "使用 AI 技术");
    }

    fn para(text: &str, line: u32) -> Block {
        Block::Paragraph { text: text.into(), line }
    }

    #[test]
    fn cut_paragraphs_join_but_not_into_other_blocks() {
        let mut blocks = vec![para("要深化合作,抢抓", 1), para("机遇。", 3), para("第二段经济社会发", 5), Block::Promo { text: "扫码".into(), line: 6 }, para("展良好。", 7)];
        join_cut_paragraphs(&mut blocks);
        assert_eq!(blocks, vec![para("要深化合作,抢抓机遇。", 1), para("第二段经济社会发展良好。", 5), Block::Promo { text: "扫码".into(), line: 6 }]);
        // Closed paragraphs, crossheads and new briefs are not joined into.
        let mut blocks = vec![para("完整的句子。", 1), para("另一段。", 2), para("没完", 3), Block::Crosshead { text: "小标题".into(), line: 4 }, para("■ 简讯", 5)];
        let before = blocks.clone();
        join_cut_paragraphs(&mut blocks);
        assert_eq!(blocks, before);
    }

    #[test]
    fn mid_sentence_end_warns_only_without_a_jump() {
        let mut art = Article { headline: Some("标题".into()), blocks: vec![para("说到一半,", 9)], ..Default::default() };
        let w = mid_sentence(&art).unwrap();
        assert_eq!(w.line, 9);
        assert_eq!(w.message, "article \"标题\" ends mid-sentence and has no jump line");
        art.jump_to = Some(2);
        assert_eq!(mid_sentence(&art), None);
        art.jump_to = None;
        art.blocks = vec![para("说完了。", 9)];
        assert_eq!(mid_sentence(&art), None);
    }
}
