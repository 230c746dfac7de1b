//! The edition's make-up across pages: what does not fit continues on the next page with room.
//!
//! Last stage of the layout (template → blocks → pages → **jumps**). Pages are made up in order;
//! a page's parts are the continuations carried from earlier pages first, then its own articles
//! in the order of the text. A part cut short ends with a generated `（下转N版）` and its rest
//! starts `（上接M版）` under the headline repeated; the lines link to each other. Jumps the source
//! already had keep their pages. What the last page still cannot hold is an error naming each
//! article, and nothing is drawn; `--pages N` gives the edition another page count.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::blocks::{HeadKind, Jump, Part, Setter, Story, EPS};
use super::masthead::{masthead, missing_note, running_head, Head};
use super::page::{make_up, rank, Item, Slot};
use super::{Destination, Edition, LaidPage, Mark, Measure, OutlineEntry, Placed};
use super::template::Template;
use crate::error::{Error, Result};
use crate::model::{Article, ArticleRef, Block, Issue, Warning};

/// How far past the pages' bare area content must be before it is refused unset: a margin for
/// any squeezing the text engine may do, so the bound never refuses what setting could fit.
const HOPELESS_MARGIN: f32 = 2.0;
/// How many of the articles refused that way are named; the rest are counted.
const HOPELESS_NAMED: usize = 3;

/// Where a horizontal rule between stacked blocks sits, as a share of the lower block's headline
/// space: near the boundary, clear of the headline.
const RULE_DROP: f32 = 0.35;

/// Each article's story ([`Story::prepare`]), in order. Setting the bodies at column width is a
/// third of the layout's work and each article's is its own, so with a `helper` both set them
/// at once, on one of rayon's workers and here, each taking the next article not yet taken
/// (jialing's 42 articles: 16 M instructions): whichever is slowed (the worker shares its core
/// with the print edition's photos) takes fewer. Each article's warnings are kept with it, so
/// the stories and their warnings come out as one measure would have made them.
fn prepare_stories<M: Measure + Send>(
    s: &Setter<M>,
    helper: Option<&mut M>,
    articles: &[(ArticleRef, &Article)],
    base: &Path,
    warnings: &mut Vec<Warning>,
) -> Vec<Story<M::Line>>
where
    M::Line: Send + Sync,
{
    let Some(helper) = helper.filter(|_| articles.len() > 1) else {
        return articles.iter().map(|&(at, a)| Story::prepare(s, at, a, base, warnings)).collect();
    };
    let next = AtomicUsize::new(0);
    // Articles in the order taken, each with its index and its own warnings.
    let take = |s: &Setter<M>| {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(&(at, a)) = articles.get(i) else { return done };
            let mut own = Vec::new();
            let story = Story::prepare(s, at, a, base, &mut own);
            done.push((i, story, own));
        }
    };
    let template = s.template;
    // On one of rayon's workers, not a thread of its own: a new thread's heap is fresh memory
    // (4-6 MB of huge pages on the seed), and the workers are idle while the layout runs.
    let mut theirs = Vec::new();
    let mut ours = Vec::new();
    rayon::in_place_scope(|scope| {
        let theirs = &mut theirs;
        let take = &take;
        scope.spawn(move |_| *theirs = take(&Setter::new(&*helper, template)));
        ours = take(s);
    });
    let mut done: Vec<_> = ours.into_iter().chain(theirs).collect();
    done.sort_unstable_by_key(|(i, _, _)| *i);
    done.into_iter()
        .map(|(_, story, own)| {
            warnings.extend(own);
            story
        })
        .collect()
}

/// Lays out the whole edition in `page_count` pages. `base` is the folder photos are relative to.
/// `helper`, a second measure of the same kind, sets articles' bodies beside `s`'s on one of
/// rayon's workers (see [`prepare_stories`]).
pub fn lay_out<M: Measure + Send>(
    s: &Setter<M>,
    helper: Option<&mut M>,
    issue: &Issue,
    base: &Path,
    page_count: u32,
    warnings: &mut Vec<Warning>,
) -> Result<Edition<M::Line>>
where
    M::Line: Send + Sync,
{
    let t = s.template;
    let g = &s.geometry;
    if let Some(p) = issue.pages.iter().find(|p| !p.articles.is_empty() && (p.number == 0 || p.number > page_count)) {
        return Err(Error::failed(format!(
            "the source has a page {} but the edition has {page_count} pages; pass --pages {}",
            p.number,
            p.number.max(page_count)
        )));
    }

    refuse_hopeless(t, issue, page_count)?;

    // Stories for every article but the ears, which the masthead band sets.
    let mut articles = Vec::new();
    let mut index: HashMap<ArticleRef, usize> = HashMap::new();
    let mut ears = Vec::new();
    for (at, a) in issue.articles() {
        if a.ear && issue.pages[at.page].number == 1 {
            ears.push((at, a));
            continue;
        }
        index.insert(at, articles.len());
        articles.push((at, a));
    }
    let mut stories = prepare_stories(s, helper, &articles, base, warnings);
    // A continuation without a headline of its own repeats its article's.
    let chains: Vec<Vec<usize>> = issue
        .articles()
        .filter(|(at, _)| index.contains_key(at) && !issue.is_continuation(*at))
        .map(|(at, _)| issue.whole_article(at).into_iter().filter_map(|r| index.get(&r).copied()).collect())
        .collect();
    for chain in &chains {
        let first = stories[chain[0]].headline.clone();
        for &k in &chain[1..] {
            if stories[k].headline.is_none() {
                stories[k].headline = first.clone();
            }
        }
    }

    // A continuation the source put on a later page joins its article's first story, so that what
    // overflows the first part goes on there, under the one jump the source already has, rather
    // than onto the page between and cutting the article twice. One with figures of its own
    // stays a story of its own: a part places its story's figures.
    let own_len: Vec<usize> = stories.iter().map(|st| st.units.len()).collect();
    let mut joined: HashMap<usize, (usize, usize)> = HashMap::new();
    for chain in &chains {
        let first = chain[0];
        for &k in &chain[1..] {
            // A continuation two jumps lead to (their counts disagree in the source) joins the
            // first that reaches it only.
            if !stories[k].figures.is_empty() || joined.contains_key(&k) {
                break;
            }
            let start = stories[first].units.len();
            let units = std::mem::take(&mut stories[k].units);
            stories[first].units.extend(units);
            joined.insert(k, (first, start));
        }
    }

    // Each page's own parts, in the order of the text.
    let mut own: Vec<Vec<Item>> = vec![Vec::new(); page_count as usize];
    for (p, page) in issue.pages.iter().enumerate() {
        let mut first = true;
        for a in 0..page.articles.len() {
            let at = ArticleRef { page: p, article: a };
            let Some(&k) = index.get(&at) else { continue };
            let article = issue.article(at);
            let cont = issue.is_continuation(at);
            let head = if cont { HeadKind::Repeat } else { HeadKind::Full(rank(t, first, own_len[k])) };
            first &= cont;
            let (story, start) = joined.get(&k).copied().unwrap_or((k, 0));
            own[page.number as usize - 1].push(Item {
                story,
                part: Part {
                    start,
                    end: start + own_len[k],
                    head,
                    figures: true,
                    jump_in: cont,
                    jump_out: article.jump_to.is_some(),
                },
            });
        }
    }

    // Heads, then make-up page by page with what the previous page carried.
    let mut heads: Vec<Head<M::Line>> = Vec::new();
    let mut made: Vec<Vec<Slot>> = Vec::new();
    let mut carried: Vec<Item> = Vec::new();
    for n in 1..=page_count {
        let page = issue.pages.iter().find(|p| p.number == n);
        let head = if n == 1 {
            masthead(s, issue, page_count, &ears)
        } else {
            running_head(s, issue, n, page)
        };
        let mut items = std::mem::take(&mut carried);
        items.extend(own[n as usize - 1].iter().copied());
        let m = make_up(s, &stories, &items, head.bottom);
        for item in m.carried {
            // The rest of a cut part whose story goes on later in the source joins that part
            // there. A part that found no room at all goes to the next page whole, as before: it
            // begins the article, and the source's continuation keeps its own headline.
            let later = own[n as usize..]
                .iter_mut()
                .flatten()
                .find(|o| item.part.jump_in && o.story == item.story && o.part.start == item.part.end);
            match later {
                Some(o) => o.part.start = item.part.start,
                None => carried.push(item),
            }
        }
        made.push(m.slots);
        heads.push(head);
    }
    if !carried.is_empty() {
        let mut what: Vec<String> = Vec::new();
        for item in &carried {
            let st = &stories[item.story];
            let a = issue.article(st.at);
            let name = st.headline.as_deref().map(|h| format!("《{h}》")).unwrap_or_else(|| "an article without headline".into());
            let left = item.part.end - item.part.start;
            what.push(format!("{name} (line {}, {left} lines at column width)", a.lines[0]));
        }
        return Err(Error::failed(format!(
            "the edition's {page_count} pages cannot hold all the content; left over: {}; pass --pages with more than {} or a template with more room",
            what.join("; "),
            page_count
        )));
    }

    // Jumps: each placed part of an article links to the next part and back.
    let mut placed: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
    for (p, slots) in made.iter().enumerate() {
        for (k, sl) in slots.iter().enumerate() {
            placed.entry(sl.story).or_default().push((p, k));
        }
    }
    for parts in placed.values_mut() {
        parts.sort_by_key(|&(p, k)| (made[p][k].part.start, p));
    }
    let mut jumps_in: HashMap<(usize, usize), Jump> = HashMap::new();
    let mut jumps_out: HashMap<(usize, usize), Jump> = HashMap::new();
    let mut orphans: HashMap<u32, Vec<(u32, String)>> = HashMap::new();
    let dest = |p: usize, k: usize| Destination { page: p, y: made[p][k].y };
    for chain in &chains {
        let seq: Vec<(usize, usize)> = chain.iter().flat_map(|k| placed.get(k).cloned().unwrap_or_default()).collect();
        for w in seq.windows(2) {
            let (a, b) = (w[0], w[1]);
            jumps_out.insert(a, Jump { page: b.0 as u32 + 1, to: Some(dest(b.0, b.1)) });
            jumps_in.insert(b, Jump { page: a.0 as u32 + 1, to: Some(dest(a.0, a.1)) });
        }
        // The source's own jump, whose continuation the source does not hold.
        if let Some(&(p, k)) = seq.last() {
            let last = issue.article(stories[*chain.last().expect("chains are not empty")].at);
            if let (true, Some(to)) = (made[p][k].part.jump_out, last.jump_to) {
                if to != p as u32 + 1 {
                    let exists = to >= 1 && to <= page_count;
                    let target = exists.then(|| Destination { page: to as usize - 1, y: g.top });
                    jumps_out.insert((p, k), Jump { page: to, to: target });
                    if exists {
                        let h = stories[chain[0]].headline.clone().unwrap_or_default();
                        orphans.entry(to).or_default().push((p as u32 + 1, h));
                    }
                }
            }
        }
    }

    // Draw.
    let mut pages = Vec::new();
    for (p, (head, slots)) in heads.into_iter().zip(&made).enumerate() {
        let number = p as u32 + 1;
        let mut marks = head.marks;
        let mut blocks = head.blocks;
        let mut outline = Vec::new();
        for (k, sl) in slots.iter().enumerate() {
            let st = &stories[sl.story];
            let x = g.column_x(sl.column);
            let w = g.span_width(sl.plan.columns);
            st.emit(s, &sl.part, &sl.plan, x, sl.y, jumps_in.get(&(p, k)).copied(), jumps_out.get(&(p, k)).copied(), &mut marks);
            if sl.column > 0 {
                let rx = x - g.gutter / 2.0;
                marks.push(Mark::Rule { x1: rx, y1: sl.y, x2: rx, y2: sl.y + sl.plan.height, width: t.rules.width.pt(), color: t.rules.color });
            }
            if sl.y > head.bottom + EPS {
                let ry = sl.y + sl.plan.head_space * RULE_DROP;
                marks.push(Mark::Rule { x1: x, y1: ry, x2: x + w, y2: ry, width: t.rules.width.pt(), color: t.rules.color });
            }
            let part_index = placed[&sl.story].iter().position(|&e| e == (p, k)).unwrap_or(0);
            if let Some(h) = &st.headline {
                let title = if part_index > 0 || sl.part.jump_in { format!("{h}（续）") } else { h.clone() };
                outline.push(OutlineEntry { title, y: sl.y });
            }
            blocks.push(Placed {
                article: Some(st.at),
                part: part_index,
                x,
                y: sl.y,
                w,
                h: sl.plan.height,
                column: sl.column,
                columns: sl.plan.columns,
            });
        }
        if p == 0 {
            for (at, a) in &ears {
                if let Some(h) = &a.headline {
                    outline.insert(0, OutlineEntry { title: h.clone(), y: g.top });
                }
                let _ = at;
            }
        }
        if slots.is_empty() {
            let list = orphans.get(&number).cloned().unwrap_or_default();
            marks.extend(missing_note(s, number, head.bottom, g.bottom(), &list));
        }
        pages.push(LaidPage {
            number,
            section: issue.pages.iter().find(|pg| pg.number == number).and_then(|pg| pg.section.clone()),
            marks,
            blocks,
            outline,
        });
    }
    Ok(Edition { pages, width: g.page_width, height: g.page_height })
}

/// Refuses, before any type is set, content that no make-up of `page_count` pages could hold:
/// setting every line of a stray 60 MiB file first would take minutes and gigabytes only to say
/// the same. The bound is safe: every ideograph takes at least a square of the template's
/// smallest type size, with no leading, and the pages offer their whole type areas.
fn refuse_hopeless(t: &Template, issue: &Issue, page_count: u32) -> Result<()> {
    let g = t.geometry();
    let r = &t.roles;
    let smallest = [
        &r.masthead_name, &r.masthead_info, &r.masthead_small, &r.ear_headline, &r.ear_body, &r.banner, &r.kicker,
        &r.headline, &r.subtitle, &r.byline, &r.body, &r.crosshead, &r.verse, &r.caption, &r.credit, &r.promo, &r.jump,
        &r.running_head, &r.note,
    ]
    .iter()
    .map(|role| role.size.pt())
    .fold(f32::INFINITY, f32::min);
    let area = |ideographs: usize| ideographs as f32 * smallest * smallest;
    let room = HOPELESS_MARGIN * page_count as f32 * g.width * g.height;
    let counts: Vec<(ArticleRef, usize)> = issue.articles().map(|(at, a)| (at, ideographs_in(a))).collect();
    let total: usize = counts.iter().map(|(_, n)| n).sum();
    if area(total) <= room {
        return Ok(());
    }
    // The articles past the point where the text alone outgrows the pages, in the text's order.
    let mut running = 0;
    let beyond: Vec<ArticleRef> = counts
        .iter()
        .filter_map(|&(at, n)| {
            running += n;
            (area(running) > room).then_some(at)
        })
        .collect();
    let mut named: Vec<String> = beyond
        .iter()
        .take(HOPELESS_NAMED)
        .map(|&at| {
            let a = issue.article(at);
            let name = a.headline.as_deref().map(|h| format!("《{h}》")).unwrap_or_else(|| "an article without headline".into());
            format!("{name} (line {})", a.lines[0])
        })
        .collect();
    if beyond.len() > HOPELESS_NAMED {
        named.push(format!("{} more articles", beyond.len() - HOPELESS_NAMED));
    }
    Err(Error::failed(format!(
        "the edition's {page_count} pages cannot hold all the content; left over: {} (its {total} Han characters need {:.0} pages' type area even in the smallest type); pass --pages with more than {page_count} or a template with more room",
        named.join("; "),
        (area(total) / (g.width * g.height)).ceil()
    )))
}

/// The Han characters of an article, all of whose text is set somewhere.
fn ideographs_in(a: &crate::model::Article) -> usize {
    let count = |s: &str| s.chars().filter(|c| matches!(*c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)).count();
    let heads = [&a.banner, &a.kicker, &a.headline, &a.subtitle, &a.byline, &a.author].into_iter().flatten().map(|s| count(s)).sum::<usize>();
    let blocks = a
        .blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph { text, .. } | Block::Crosshead { text, .. } | Block::Promo { text, .. } => count(text),
            Block::Caption { text, credit, .. } => count(text) + credit.as_deref().map_or(0, count),
            Block::Verse { lines, .. } => lines.iter().map(|l| count(l)).sum(),
            Block::Image { alt, .. } => alt.as_deref().map_or(0, count),
        })
        .sum::<usize>();
    heads + blocks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Article, Block, Masthead, Page, SCHEMA};
    use crate::pdf::layout::fake::Fixed;
    use crate::pdf::layout::template::Template;
    use crate::pdf::layout::{LineId, Mark};
    use std::collections::{BTreeMap, HashSet};

    /// Invented text of `n` characters, varied so line breaks differ between paragraphs.
    fn text(n: usize, seed: usize) -> String {
        let pool: Vec<char> = "街道社区居民议事会今年推动老旧小区改造项目落地见效，服务群众办实事。".chars().collect();
        (0..n).map(|i| pool[(i * 7 + seed) % pool.len()]).collect()
    }

    fn article(headline: &str, paras: &[usize], line: u32) -> Article {
        Article {
            headline: Some(headline.into()),
            byline: Some("本报讯（记者 某某）".into()),
            blocks: paras
                .iter()
                .enumerate()
                .map(|(i, &n)| Block::Paragraph { text: text(n, i + line as usize), line: line + i as u32 })
                .collect(),
            lines: [line, line + paras.len() as u32],
            ..Default::default()
        }
    }

    fn issue(pages: Vec<Vec<Article>>) -> Issue {
        Issue {
            schema: SCHEMA.into(),
            encoding: None,
            masthead: Masthead {
                paper: Some("某某报".into()),
                date: Some("2025-10-15".into()),
                weekday: Some("星期三".into()),
                page_count: 4,
                ..Default::default()
            },
            pages: pages
                .into_iter()
                .enumerate()
                .map(|(i, articles)| Page { number: i as u32 + 1, section: Some("要闻".into()), editor: Some("某编".into()), articles })
                .collect(),
            warnings: vec![],
        }
    }

    fn front_page() -> Vec<Article> {
        let mut ear = article("区里召开全会", &[90], 2);
        ear.ear = true;
        let mut lead = article("街道推进老旧小区改造 惠及居民三千户", &[300, 280, 260, 240], 10);
        lead.kicker = Some("办好民生实事".into());
        lead.subtitle = Some("首批十个小区年底前完工".into());
        lead.blocks.push(Block::Caption { text: "改造后的小区一角。".into(), credit: Some("某某 摄".into()), line: 15 });
        lead.blocks.push(Block::Promo { text: "扫码观看视频报道".into(), line: 16 });
        let mut b = article("社区议事会议定十件事", &[200, 180, 150], 20);
        b.blocks.insert(1, Block::Crosshead { text: "议事有章法".into(), line: 21 });
        vec![ear, lead, b, article("图书馆延长开放时间", &[160, 120], 30), article("简讯一则", &[80], 40), article("志愿者服务队成立", &[220, 200], 50)]
    }

    fn lay(is: &Issue, pages: u32) -> Result<Edition<String>> {
        let t = Template::broadsheet();
        let s = Setter::new(&Fixed, &t);
        let mut w = vec![];
        lay_out(&s, None, is, Path::new("."), pages, &mut w)
    }

    #[test]
    fn content_no_pages_could_hold_is_refused_before_any_is_set() {
        // 2 000 articles of 300 characters: many times what four pages of the smallest type hold.
        let flood: Vec<Article> = (0..2000).map(|i| article("消息", &[300], 10 + 2 * i)).collect();
        let err = lay(&issue(vec![flood]), 4).unwrap_err().to_string();
        assert!(err.contains("cannot hold all the content; left over: 《消息》") && err.contains("Han characters need"), "{err}");
        // What fits is not touched by the bound.
        assert!(refuse_hopeless(&Template::broadsheet(), &issue(vec![front_page()]), 4).is_ok());
        // Nor is an issue a little over the pages: that is the make-up's to find and to name.
        let over: Vec<Article> = (0..12).map(|i| article("消息", &[2000], 10 + 2 * i)).collect();
        assert!(refuse_hopeless(&Template::broadsheet(), &issue(vec![over]), 4).is_ok());
    }

    fn overlap(a: &Placed, b: &Placed) -> bool {
        a.x < b.x + b.w - EPS && b.x < a.x + a.w - EPS && a.y < b.y + b.h - EPS && b.y < a.y + a.h - EPS
    }

    /// Every text line with its identity, over the whole edition.
    fn placed_lines(ed: &Edition<String>) -> BTreeMap<LineId, Vec<String>> {
        let mut out: BTreeMap<LineId, Vec<String>> = BTreeMap::new();
        for p in &ed.pages {
            for m in &p.marks {
                if let Mark::Text { line, id: Some(id), .. } = m {
                    out.entry(*id).or_default().push(line.clone());
                }
            }
        }
        out
    }

    fn check_invariants(is: &Issue, ed: &Edition<String>) {
        let t = Template::broadsheet();
        let g = t.geometry();
        assert_eq!(ed.pages.len(), 4);
        for p in &ed.pages {
            for b in &p.blocks {
                assert!(b.x >= g.left - EPS && b.x + b.w <= g.left + g.width + EPS, "block outside the type area: {b:?}");
                assert!(b.y >= g.top - EPS && b.y + b.h <= g.bottom() + EPS, "block outside the type area: {b:?}");
            }
            for (i, a) in p.blocks.iter().enumerate() {
                for b in &p.blocks[i + 1..] {
                    assert!(!overlap(a, b), "page {}: blocks overlap: {a:?} / {b:?}", p.number);
                }
            }
            for m in &p.marks {
                if let Mark::Text { x, y_baseline, .. } = m {
                    assert!(*x >= g.left - EPS && *x <= g.left + g.width && *y_baseline <= g.bottom() + EPS, "text off the type area");
                }
            }
        }
        // Every line of every article placed once, and the lines give back the text.
        let lines = placed_lines(ed);
        for (id, v) in &lines {
            assert_eq!(v.len(), 1, "line {id:?} placed {} times", v.len());
        }
        for (at, a) in is.articles() {
            let got = |item: usize| -> String {
                lines.range(LineId { article: at, item, line: 0 }..LineId { article: at, item: item + 1, line: 0 }).map(|(_, v)| v[0].clone()).collect()
            };
            // A byline is set on a line of its own, or run in at the first paragraph's start.
            let mut run_in = String::new();
            if let Some(b) = &a.byline {
                if got(0).is_empty() {
                    run_in = b.clone();
                } else {
                    assert_eq!(&got(0), b);
                }
            }
            for (i, b) in a.blocks.iter().enumerate() {
                let want = match b {
                    Block::Paragraph { text, .. } if i == 0 => format!("{run_in}{text}"),
                    Block::Paragraph { text, .. } | Block::Crosshead { text, .. } | Block::Promo { text, .. } => text.clone(),
                    Block::Caption { text, credit, .. } => format!("{text}{}", credit.clone().unwrap_or_default()),
                    Block::Verse { lines, .. } => lines.concat(),
                    Block::Image { alt: Some(alt), .. } if !got(i + 1).is_empty() => alt.clone(),
                    Block::Image { .. } => continue,
                };
                assert_eq!(got(i + 1), want, "article {at:?} block {i}");
            }
        }
        // Jump lines both ways: each link's line names the page it goes to, and a line there names
        // this page back.
        let text_at = |p: usize, x: f32, y: f32| -> Option<String> {
            ed.pages[p].marks.iter().find_map(|m| match m {
                Mark::Text { x: tx, y_baseline, line, .. } if (tx - x).abs() < 0.5 && *y_baseline > y && *y_baseline < y + 20.0 => Some(line.clone()),
                _ => None,
            })
        };
        let mut links = HashSet::new();
        for (p, page) in ed.pages.iter().enumerate() {
            for m in &page.marks {
                if let Mark::Link { x, y, to, .. } = m {
                    let line = text_at(p, *x, *y).expect("a link sits on its jump line");
                    assert!(line.contains(&format!("{}版", to.page + 1)), "link on {line} goes to page {}", to.page + 1);
                    links.insert((p, to.page, line.contains("下转")));
                }
            }
        }
        for &(from, to, out) in &links {
            let generated = ed.pages[to].blocks.iter().any(|b| b.part > 0);
            if out && generated && from != to {
                assert!(links.contains(&(to, from, false)), "no way back from page {} to {}", to + 1, from + 1);
            }
        }
    }

    #[test]
    fn front_page_keeps_the_layout_invariants() {
        let is = issue(vec![front_page(), vec![], vec![], vec![]]);
        let ed = lay(&is, 4).unwrap();
        check_invariants(&is, &ed);
        let p1 = &ed.pages[0];
        assert!(p1.blocks.iter().filter(|b| b.article.is_some()).count() >= 6);
        // Pages without content keep their running head and say why they are empty.
        let note = ed.pages[2].marks.iter().any(|m| matches!(m, Mark::Text { line, .. } if line.contains("不在本期文本")));
        assert!(note);
    }

    #[test]
    fn an_article_that_does_not_fit_jumps_to_the_next_page_and_back() {
        let mut p1 = front_page();
        p1.push(article("长篇调查报道", &[900; 12], 60));
        let is = issue(vec![p1, vec![article("第二版头条", &[400, 300], 200)], vec![], vec![]]);
        let ed = lay(&is, 4).unwrap();
        check_invariants(&is, &ed);
        let cont = ed.pages[1].blocks.iter().find(|b| b.part > 0).expect("a continuation on page 2");
        // Continuations come first on their page.
        let first = ed.pages[1].blocks.iter().filter(|b| b.article.is_some()).min_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x))).unwrap();
        assert_eq!(first.article, cont.article);
        let has = |p: usize, s: &str| ed.pages[p].marks.iter().any(|m| matches!(m, Mark::Text { line, .. } if line.contains(s)));
        assert!(has(0, "（下转2版）") && has(1, "（上接1版）"));
    }

    #[test]
    fn what_overflows_goes_on_where_the_source_continues_the_article() {
        // Page 1 cannot hold the long article, whose source already jumps to page 3: its rest
        // joins the continuation there, so the article is cut once, not onto page 2 and again.
        let mut p1 = front_page();
        let mut long = article("长篇调查报道", &[900; 12], 60);
        long.jump_to = Some(3);
        p1.push(long);
        let mut rest = article("长篇调查报道", &[300, 300], 300);
        rest.byline = None;
        rest.continued_from = Some(1);
        let is = issue(vec![p1, vec![article("第二版头条", &[400, 300], 200)], vec![rest], vec![]]);
        let ed = lay(&is, 4).unwrap();
        check_invariants(&is, &ed);
        let long_at = ArticleRef { page: 0, article: 6 };
        let parts = |p: usize| ed.pages[p].blocks.iter().filter(|b| b.article == Some(long_at)).count();
        assert_eq!((parts(0), parts(1), parts(2)), (1, 0, 1), "page 1, then page 3 only");
        let has = |p: usize, s: &str| ed.pages[p].marks.iter().any(|m| matches!(m, Mark::Text { line, .. } if line.contains(s)));
        assert!(has(0, "（下转3版）") && has(2, "（上接1版）"));
        assert!(!has(1, "（上接1版）"), "nothing of it on page 2");
    }

    #[test]
    fn an_overfull_edition_is_an_error_naming_what_does_not_fit() {
        let big: Vec<Article> = (0..6).map(|i| article(&format!("长文{i}"), &[3000; 10], 10 + i * 20)).collect();
        let is = issue(vec![big, vec![], vec![], vec![]]);
        let err = lay(&is, 2).unwrap_err().to_string();
        assert!(err.contains("cannot hold") && err.contains("《长文"), "{err}");
        assert!(err.contains("--pages with more than 2"), "{err}");
    }

    #[test]
    fn a_source_page_beyond_the_edition_is_refused() {
        let is = issue(vec![front_page(), vec![], vec![], vec![], vec![article("第五版", &[100], 90)]]);
        let err = lay(&is, 4).unwrap_err().to_string();
        assert!(err.contains("page 5") && err.contains("--pages 5"), "{err}");
    }
}

#[cfg(test)]
mod seed {
    use super::*;
    use crate::pdf::layout::fake::Fixed;
    use crate::pdf::layout::template::{Template, PT_PER_MM};
    use crate::pdf::layout::Mark;

    /// Share of the page's inner 90 % covered by text, on a 5 mm grid: qa.py's text cover.
    pub fn cover(ed: &Edition<String>, page: usize) -> f32 {
        let cell = 5.0 * PT_PER_MM;
        let (pw, ph) = (ed.width, ed.height);
        let inner = [pw * 0.05, ph * 0.05, pw * 0.95, ph * 0.95];
        let cols = ((inner[2] - inner[0]) / cell) as i32;
        let rows = ((inner[3] - inner[1]) / cell) as i32;
        let mut hit = std::collections::HashSet::new();
        for m in &ed.pages[page].marks {
            if let Mark::Text { x, y_baseline, line, size, .. } = m {
                let w: f32 = line.chars().map(|c| if c.is_ascii() { 0.5 } else { 1.0 }).sum::<f32>() * size;
                let b = [*x, y_baseline - 0.88 * size, x + w, y_baseline + 0.12 * size];
                for cx in ((b[0] - inner[0]) / cell).max(0.0) as i32..=(((b[2] - inner[0]) / cell) as i32).min(cols - 1) {
                    for cy in ((b[1] - inner[1]) / cell).max(0.0) as i32..=(((b[3] - inner[1]) / cell) as i32).min(rows - 1) {
                        hit.insert((cx, cy));
                    }
                }
            }
        }
        hit.len() as f32 / (cols * rows) as f32
    }

    #[test]
    fn seed_front_page_is_full() {
        let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seed/000_f05fcb516d19c53a.txt"));
        if !path.exists() {
            assert!(std::env::var_os("PAPERTOOL_REQUIRE_VALIDATORS").is_none(), "seed missing");
            eprintln!("skipped: the seed is not at {}", path.display());
            return;
        }
        let is = crate::frontend::load(path).unwrap();
        let t = Template::broadsheet();
        let s = Setter::new(&Fixed, &t);
        let mut w = vec![];
        let t0 = std::time::Instant::now();
        let ed = lay_out(&s, None, &is, Path::new("."), 4, &mut w).unwrap();
        eprintln!("layout {:?}", t0.elapsed());
        for b in &ed.pages[0].blocks {
            eprintln!("{:?} col {} +{} y {:.0} h {:.0}", b.article.map(|a| a.article), b.column, b.columns, b.y, b.h);
        }
        let c = cover(&ed, 0);
        eprintln!("cover {c:.3}");
        assert!(c >= 0.6, "page 1 cover {c}");
    }
}
