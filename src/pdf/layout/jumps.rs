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

use super::blocks::{HeadKind, Jump, Part, Setter, Story, EPS};
use super::masthead::{masthead, missing_note, running_head, Head};
use super::page::{make_up, rank, Item, Slot};
use super::{Destination, Edition, LaidPage, Mark, Measure, OutlineEntry, Placed};
use crate::error::{Error, Result};
use crate::model::{ArticleRef, Issue, Warning};

/// Where a horizontal rule between stacked blocks sits, as a share of the lower block's headline
/// space: near the boundary, clear of the headline.
const RULE_DROP: f32 = 0.35;

/// Lays out the whole edition in `page_count` pages. `base` is the folder photos are relative to.
pub fn lay_out<M: Measure>(
    s: &Setter<M>,
    issue: &Issue,
    base: &Path,
    page_count: u32,
    warnings: &mut Vec<Warning>,
) -> Result<Edition<M::Line>> {
    let t = s.template;
    let g = &s.geometry;
    if let Some(p) = issue.pages.iter().find(|p| p.number == 0 || p.number > page_count) {
        return Err(Error::failed(format!(
            "the source has a page {} but the edition has {page_count} pages; pass --pages {}",
            p.number,
            p.number.max(page_count)
        )));
    }

    // Stories for every article but the ears, which the masthead band sets.
    let mut stories: Vec<Story<M::Line>> = Vec::new();
    let mut index: HashMap<ArticleRef, usize> = HashMap::new();
    let mut ears = Vec::new();
    for (at, a) in issue.articles() {
        if a.ear && issue.pages[at.page].number == 1 {
            ears.push((at, a));
            continue;
        }
        index.insert(at, stories.len());
        stories.push(Story::prepare(s, at, a, base, warnings));
    }
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

    // Each page's own parts, in the order of the text.
    let mut own: Vec<Vec<Item>> = vec![Vec::new(); page_count as usize];
    for (p, page) in issue.pages.iter().enumerate() {
        let mut first = true;
        for a in 0..page.articles.len() {
            let at = ArticleRef { page: p, article: a };
            let Some(&k) = index.get(&at) else { continue };
            let article = issue.article(at);
            let cont = issue.is_continuation(at);
            let head = if cont { HeadKind::Repeat } else { HeadKind::Full(rank(t, first, stories[k].body_lines())) };
            first &= cont;
            own[page.number as usize - 1].push(Item {
                story: k,
                part: Part {
                    start: 0,
                    end: stories[k].units.len(),
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
        carried = m.carried;
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
            "the edition's {page_count} pages cannot hold all the content; left over: {}; pass --pages {} or a template with more room",
            what.join("; "),
            page_count + 1
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
