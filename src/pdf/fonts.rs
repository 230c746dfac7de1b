//! The loaded face set the PDF edition sets type with: the four shipped faces, parsed once,
//! plus system faces found with `fontdb` when none of them has a character.
//!
//! First stage of the PDF pipeline: the text engine asks it for glyph ids, advances and ink
//! extents (so that lines are measured with the very font that will be embedded), and the
//! renderer asks it for the font programs to subset. Glyphs are named by a [`FaceId`], which
//! stays valid for the life of the set, so a line set once can be rendered any time later.
//!
//! A set is shared by every issue of a batch, so a face's id must not depend on which issues
//! came first: the renderer names font resources after it and orders them by it. A system
//! face's id is therefore its place in the machine's ordered list of faces, never the order in
//! which issues happened to need faces: an issue's PDF is the same bytes alone or in a batch.
//!
//! Fallback order for a character: the style's face, then serif → sans → kai (the shipped
//! faces in that order, skipping the style's), then system fonts: upright, of the body's weight
//! and Simplified Chinese first, then by path, so the choice is the same on every run. A
//! character no face has is the caller's to mark and report.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use crate::error::Result;
use crate::fonts::{Face, FontData, FontDir};

/// The fallback order of the shipped faces after the style's own face.
const FALLBACK: [Face; 3] = [Face::SerifRegular, Face::SansBold, Face::Kai];

/// A face of a [`FontSet`]: one of the shipped faces, or a system face found for fallback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FaceId(u16);

impl FaceId {
    pub fn shipped(face: Face) -> FaceId {
        FaceId(Face::ALL.iter().position(|f| *f == face).expect("every face is in Face::ALL") as u16)
    }

    /// The shipped face this is, or `None` for a system face.
    pub fn as_shipped(self) -> Option<Face> {
        Face::ALL.get(self.0 as usize).copied()
    }

    /// A stable small number, for resource names.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The bytes a face is parsed from.
enum FaceBytes {
    Shipped(FontData),
    System(memmap2::Mmap),
}

impl FaceBytes {
    fn as_slice(&self) -> &[u8] {
        match self {
            FaceBytes::Shipped(data) => data,
            FaceBytes::System(map) => map,
        }
    }
}

/// One parsed face: metrics, cmap and the program bytes for embedding.
pub struct LoadedFace {
    // Declared before `bytes` so they are dropped first: they borrow them.
    face: ttf_parser::Face<'static>,
    /// The Unicode cmap subtables, widest first, picked once (ttf-parser's own lookup walks
    /// every subtable on every call).
    cmaps: Vec<ttf_parser::cmap::Subtable<'static>>,
    bytes: FaceBytes,
    index: u32,
    units_per_em: f32,
    postscript_name: String,
    /// Ink extents asked for so far: outlines (CFF charstrings) are costly to measure, and only
    /// punctuation is asked, again and again.
    ink_cache: Mutex<HashMap<u16, Option<(f32, f32)>>>,
}

impl LoadedFace {
    fn parse(bytes: FaceBytes, index: u32, label: &str) -> Result<LoadedFace> {
        let slice: &[u8] = bytes.as_slice();
        // SAFETY: `slice` points into a memory map owned by `bytes`, which is stored beside the
        // face and never mutated or moved out; a map does not move when the struct does, and
        // `face` is dropped before `bytes`.
        let slice: &'static [u8] = unsafe { std::mem::transmute::<&[u8], &'static [u8]>(slice) };
        let face = ttf_parser::Face::parse(slice, index)
            .map_err(|e| crate::error::Error::failed(format!("{label}: cannot parse font: {e}")))?;
        let mut cmaps: Vec<ttf_parser::cmap::Subtable<'static>> = face
            .tables()
            .cmap
            .map(|cmap| cmap.subtables.into_iter().filter(|t| t.is_unicode()).collect())
            .unwrap_or_default();
        // Format 12 covers all planes; format 4 only the BMP.
        cmaps.sort_by_key(|t| !matches!(t.format, ttf_parser::cmap::Format::SegmentedCoverage(_)));
        let units_per_em = f32::from(face.units_per_em());
        let postscript_name = face
            .names()
            .into_iter()
            // The first entry may be a Macintosh-encoded one that does not decode: take the
            // first that does.
            .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .find_map(|n| n.to_string())
            .unwrap_or_else(|| label.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect());
        Ok(LoadedFace { face, cmaps, bytes, index, units_per_em, postscript_name, ink_cache: Mutex::new(HashMap::new()) })
    }

    /// The glyph for `ch`, if the face has one (glyph 0, .notdef, counts as none).
    pub fn glyph(&self, ch: char) -> Option<u16> {
        self.cmaps.iter().find_map(|t| t.glyph_index(u32::from(ch))).map(|g| g.0).filter(|g| *g != 0)
    }

    /// Advance width of a glyph in font units.
    pub fn advance_units(&self, gid: u16) -> u16 {
        self.face.glyph_hor_advance(ttf_parser::GlyphId(gid)).unwrap_or(0)
    }

    /// Advance width of a glyph as a fraction of the em.
    pub fn advance_em(&self, gid: u16) -> f32 {
        f32::from(self.advance_units(gid)) / self.units_per_em
    }

    /// Horizontal ink extent (left, right) of a glyph as fractions of the em, from its origin.
    pub fn ink_x_em(&self, gid: u16) -> Option<(f32, f32)> {
        let mut cache = self.ink_cache.lock().unwrap_or_else(|e| e.into_inner());
        *cache.entry(gid).or_insert_with(|| {
            let bbox = self.face.glyph_bounding_box(ttf_parser::GlyphId(gid))?;
            Some((f32::from(bbox.x_min) / self.units_per_em, f32::from(bbox.x_max) / self.units_per_em))
        })
    }

    pub fn units_per_em(&self) -> f32 {
        self.units_per_em
    }

    /// hhea ascender and descender (descender negative) as fractions of the em.
    pub fn ascender_em(&self) -> f32 {
        f32::from(self.face.ascender()) / self.units_per_em
    }

    pub fn descender_em(&self) -> f32 {
        f32::from(self.face.descender()) / self.units_per_em
    }

    /// The head table's bounding box of all glyphs (x_min, y_min, x_max, y_max), font units.
    pub fn bbox_units(&self) -> [i16; 4] {
        let r = self.face.global_bounding_box();
        [r.x_min, r.y_min, r.x_max, r.y_max]
    }

    /// The font's PostScript name, for the PDF's /BaseFont.
    pub fn postscript_name(&self) -> &str {
        &self.postscript_name
    }

    /// The whole font file (a collection for some system faces: see [`LoadedFace::index`]).
    pub fn bytes(&self) -> &[u8] {
        self.bytes.as_slice()
    }

    /// The face's index in its file when the file is a collection.
    pub fn index(&self) -> u32 {
        self.index
    }
}

impl fmt::Debug for LoadedFace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LoadedFace({})", self.postscript_name)
    }
}

/// System faces, looked at only when a character is in none of the shipped faces.
struct SystemFonts {
    /// (file, face index) of every system face, best first (see [`SystemFonts::scan`]), so the
    /// fallback is reproducible.
    candidates: Vec<(PathBuf, u32)>,
}

/// The weight a fallback face should have: the body's, so a character from it does not stand
/// out of the text around it as black or hairline.
const FALLBACK_WEIGHT: i32 = 400;

impl SystemFonts {
    /// Every system face, ordered for fallback: upright before italic, weights nearest the
    /// body's first, Simplified Chinese faces before other CJK ones of the same weight (a
    /// collection such as Noto Sans CJK holds the JP, KR, SC and TC forms of one character), then
    /// by path and index.
    fn scan() -> SystemFonts {
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        let mut ranked: Vec<(FallbackRank, PathBuf, u32)> = db
            .faces()
            .filter_map(|info| match &info.source {
                fontdb::Source::File(path) => {
                    let families = info.families.iter().map(|(name, _)| name.as_str());
                    Some((fallback_rank(info.style, info.weight, families), path.clone(), info.index))
                }
                _ => None,
            })
            .collect();
        ranked.sort();
        let mut candidates: Vec<(PathBuf, u32)> = ranked.into_iter().map(|(_, path, index)| (path, index)).collect();
        candidates.dedup();
        SystemFonts { candidates }
    }
}

/// How good a fallback a face is, least first: (italic, distance from the body's weight, not
/// Simplified Chinese).
type FallbackRank = (bool, i32, bool);

fn fallback_rank<'a>(style: fontdb::Style, weight: fontdb::Weight, mut families: impl Iterator<Item = &'a str>) -> FallbackRank {
    let upright = style == fontdb::Style::Normal;
    let weight_gap = (i32::from(weight.0) - FALLBACK_WEIGHT).abs();
    (!upright, weight_gap, !families.any(is_simplified_chinese))
}

/// Whether a family name says its forms are Simplified Chinese (`Noto Sans CJK SC`, `Source
/// Han Serif CN`, `… GB`).
fn is_simplified_chinese(family: &str) -> bool {
    family.split([' ', '-']).any(|word| matches!(word, "SC" | "CN" | "GB" | "Hans"))
}

/// The faces the PDF is set in, loaded once and shared by reference between jobs.
pub struct FontSet {
    shipped: Vec<LoadedFace>,
    system: OnceLock<SystemFonts>,
    /// System faces loaded so far, by their place in `system`'s candidates: `FaceId(4 + i)` is
    /// candidate `i`, whenever and by whichever issue it was first needed.
    loaded: RwLock<HashMap<usize, Arc<LoadedFace>>>,
    /// char → fallback answer, so each missing character is searched for once.
    fallback_cache: Mutex<HashMap<char, Option<(FaceId, u16)>>>,
}

impl fmt::Debug for FontSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FontSet").field("shipped", &self.shipped).finish_non_exhaustive()
    }
}

/// A face borrowed from a [`FontSet`]: shipped faces by reference, system faces shared.
pub enum FaceRef<'a> {
    Shipped(&'a LoadedFace),
    System(Arc<LoadedFace>),
}

impl std::ops::Deref for FaceRef<'_> {
    type Target = LoadedFace;
    fn deref(&self) -> &LoadedFace {
        match self {
            FaceRef::Shipped(face) => face,
            FaceRef::System(face) => face,
        }
    }
}

impl FontSet {
    /// Maps and parses the four shipped faces of `dir` (only table directories are read here;
    /// glyph data is touched when a glyph is used).
    pub fn load(dir: &FontDir) -> Result<FontSet> {
        let shipped = Face::ALL
            .iter()
            .map(|&face| {
                let data = dir.load(face)?;
                LoadedFace::parse(FaceBytes::Shipped(data), 0, &dir.face_path(face).display().to_string())
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(FontSet {
            shipped,
            system: OnceLock::new(),
            loaded: RwLock::new(HashMap::new()),
            fallback_cache: Mutex::new(HashMap::new()),
        })
    }

    /// The set of `dir`, loaded on first use and shared by every later edition in the process
    /// (a batch's issues), with its system-fallback answers.
    pub fn shared(dir: &FontDir) -> Result<Arc<FontSet>> {
        static SETS: OnceLock<Mutex<HashMap<PathBuf, Arc<FontSet>>>> = OnceLock::new();
        let mut sets = SETS.get_or_init(Mutex::default).lock().unwrap_or_else(|e| e.into_inner());
        if let Some(set) = sets.get(dir.path()) {
            return Ok(set.clone());
        }
        let set = Arc::new(FontSet::load(dir)?);
        sets.insert(dir.path().to_path_buf(), set.clone());
        Ok(set)
    }

    /// A shipped face.
    pub fn shipped(&self, face: Face) -> &LoadedFace {
        &self.shipped[FaceId::shipped(face).index()]
    }

    /// Any face of the set by id.
    pub fn face(&self, id: FaceId) -> FaceRef<'_> {
        match self.shipped.get(id.index()) {
            Some(face) => FaceRef::Shipped(face),
            None => {
                let loaded = self.loaded.read().unwrap_or_else(|e| e.into_inner());
                FaceRef::System(loaded[&(id.index() - self.shipped.len())].clone())
            }
        }
    }

    /// The face and glyph that set `ch` in a run styled with `preferred`: that face if it has
    /// the character, else the first face of the fallback chain that does; `None` when no face
    /// on this machine has it.
    pub fn resolve(&self, preferred: Face, ch: char) -> Option<(FaceId, u16)> {
        if let Some(gid) = self.shipped(preferred).glyph(ch) {
            return Some((FaceId::shipped(preferred), gid));
        }
        for face in FALLBACK {
            if face != preferred {
                if let Some(gid) = self.shipped(face).glyph(ch) {
                    return Some((FaceId::shipped(face), gid));
                }
            }
        }
        self.resolve_system(ch)
    }

    fn resolve_system(&self, ch: char) -> Option<(FaceId, u16)> {
        if let Some(answer) = self.fallback_cache.lock().unwrap_or_else(|e| e.into_inner()).get(&ch) {
            return *answer;
        }
        let system = self.system.get_or_init(SystemFonts::scan);
        let mut answer = None;
        for (candidate, (path, index)) in system.candidates.iter().enumerate() {
            // Mapping costs nothing until pages are touched; only the cmap is read here.
            let Ok(file) = std::fs::File::open(path) else { continue };
            // SAFETY: as for the shipped faces (see `FontDir::load`): system fonts are read-only
            // for the life of the process.
            let Ok(data) = (unsafe { memmap2::Mmap::map(&file) }) else { continue };
            let has = ttf_parser::Face::parse(&data, *index)
                .ok()
                .and_then(|f| f.glyph_index(ch))
                .is_some_and(|g| g.0 != 0);
            if !has {
                continue;
            }
            let id = self.adopt_system_face(candidate, path, *index, data);
            answer = id.and_then(|id| self.face(id).glyph(ch).map(|gid| (id, gid)));
            if answer.is_some() {
                break;
            }
        }
        self.fallback_cache.lock().unwrap_or_else(|e| e.into_inner()).insert(ch, answer);
        answer
    }

    /// The id of system candidate `candidate`, parsing it the first time it is needed. `None`
    /// when it does not parse, or when its place is past what a [`FaceId`] can number.
    fn adopt_system_face(&self, candidate: usize, path: &Path, index: u32, data: memmap2::Mmap) -> Option<FaceId> {
        let id = FaceId(u16::try_from(self.shipped.len() + candidate).ok()?);
        let mut loaded = self.loaded.write().unwrap_or_else(|e| e.into_inner());
        if let std::collections::hash_map::Entry::Vacant(slot) = loaded.entry(candidate) {
            let face = LoadedFace::parse(FaceBytes::System(data), index, &path.display().to_string()).ok()?;
            slot.insert(Arc::new(face));
        }
        Some(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> FontSet {
        FontSet::load(&FontDir::locate(None).unwrap()).unwrap()
    }

    #[test]
    fn shared_set_is_loaded_once() {
        let dir = FontDir::locate(None).unwrap();
        assert!(Arc::ptr_eq(&FontSet::shared(&dir).unwrap(), &FontSet::shared(&dir).unwrap()));
    }

    #[test]
    fn fallback_prefers_upright_body_weight_simplified_chinese_faces() {
        use fontdb::{Style, Weight};
        let rank = |style, weight, family: &'static str| fallback_rank(style, Weight(weight), [family].into_iter());
        let mut faces = [
            ("jp black", rank(Style::Normal, 900, "Noto Sans CJK JP")),
            ("sc italic", rank(Style::Italic, 400, "Noto Sans CJK SC")),
            ("jp regular", rank(Style::Normal, 400, "Noto Sans CJK JP")),
            ("sc bold", rank(Style::Normal, 700, "Noto Sans CJK SC")),
            ("sc regular", rank(Style::Normal, 400, "Noto Sans CJK SC")),
            ("cn medium", rank(Style::Normal, 500, "Source Han Serif CN")),
        ];
        faces.sort_by_key(|(_, rank)| *rank);
        let order: Vec<&str> = faces.iter().map(|(name, _)| *name).collect();
        assert_eq!(order, ["sc regular", "jp regular", "cn medium", "sc bold", "jp black", "sc italic"]);
        assert!(!is_simplified_chinese("DejaVu Sans") && !is_simplified_chinese("SCRIPT"));
    }

    /// A set whose "system" faces are the given shipped files, in that order.
    fn with_system_faces(faces: &[Face]) -> FontSet {
        let dir = FontDir::locate(None).unwrap();
        let set = FontSet::load(&dir).unwrap();
        let candidates = faces.iter().map(|&f| (dir.face_path(f), 0)).collect();
        assert!(set.system.set(SystemFonts { candidates }).is_ok());
        set
    }

    #[test]
    fn a_system_face_has_the_same_id_whichever_issue_needed_it_first() {
        // U+2000 (en quad) is in the Kai face only, U+2042 (asterism) in the serif only: as
        // system candidates [serif, kai] they are found in different faces.
        let (in_kai, in_serif) = ('\u{2000}', '\u{2042}');
        let (serif_id, kai_id) = (FaceId(Face::ALL.len() as u16), FaceId(Face::ALL.len() as u16 + 1));
        let first = with_system_faces(&[Face::SerifRegular, Face::Kai]);
        let kai_first = (first.resolve_system(in_kai), first.resolve_system(in_serif));
        assert_eq!(kai_first.0.map(|(id, _)| id), Some(kai_id));
        assert_eq!(kai_first.1.map(|(id, _)| id), Some(serif_id));
        // Asked in the other order (another issue first), the same ids: they are the faces'
        // places among the candidates, not an order of use.
        let second = with_system_faces(&[Face::SerifRegular, Face::Kai]);
        let serif_first = (second.resolve_system(in_serif), second.resolve_system(in_kai));
        assert_eq!((serif_first.1, serif_first.0), kai_first);
        assert_eq!(first.face(kai_id).postscript_name(), "PapertoolKai-Regular");
    }

    #[test]
    fn loads_all_shipped_faces_with_their_names() {
        let set = fonts();
        assert_eq!(set.shipped(Face::SerifRegular).postscript_name(), "NotoSerifCJKsc-Regular");
        assert_eq!(set.shipped(Face::Kai).postscript_name(), "PapertoolKai-Regular");
        for face in Face::ALL {
            assert!(set.shipped(face).glyph('中').is_some(), "{face} lacks 中");
        }
    }

    #[test]
    fn the_preferred_face_wins_when_it_has_the_character() {
        let set = fonts();
        let (id, _) = set.resolve(Face::Kai, '文').unwrap();
        assert_eq!(id.as_shipped(), Some(Face::Kai));
    }

    #[test]
    fn a_character_outside_the_shipped_faces_falls_back_or_is_reported_missing() {
        let set = fonts();
        // U+20000, the first CJK Extension B ideograph, is outside GBK: no shipped face has it.
        let ext_b = '\u{20000}';
        for face in Face::ALL {
            assert!(set.shipped(face).glyph(ext_b).is_none());
        }
        if let Some((id, gid)) = set.resolve(Face::SerifRegular, ext_b) {
            assert!(id.as_shipped().is_none(), "must come from a system face");
            assert_eq!(set.face(id).glyph(ext_b), Some(gid));
            // Asked again, the same face answers (the set caches it).
            assert_eq!(set.resolve(Face::SerifRegular, ext_b), Some((id, gid)));
        }
        // An unassigned code point is in no font at all.
        assert_eq!(set.resolve(Face::SerifRegular, '\u{0378}'), None);
    }
}
