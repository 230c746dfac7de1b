//! The shipped faces: which file serves which role, where the folder is, and reading a face.
//!
//! Both editions use these faces (the EPUB embeds subsets of the serif, the PDF sets everything in
//! them), so finding them lives here, outside either writer. The folder is looked for, in order:
//! an explicit `--font-dir`, `$PAPERTOOL_FONT_DIR`, `fonts/` beside the executable or in
//! `../share/papertool/fonts` from it, and the `fonts/` of the source tree the binary was built
//! from (which is what makes `cargo install --path .` work without copying anything).
//!
//! Cutting the CFF faces down for embedding is [`subset`]'s ([`cff`] reads and writes the table's
//! parts, `charstring` inlines subroutines).

use std::fmt;
use std::fs::File;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use crate::error::{Error, Result};

pub mod cff;
mod charstring;
pub mod subset;

/// The environment variable that names the font folder.
pub const FONT_DIR_ENV: &str = "PAPERTOOL_FONT_DIR";

/// A shipped face, by the role it plays; see `fonts/README.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    /// 宋体 for body text: Noto Serif CJK SC Regular.
    SerifRegular,
    /// Bold serif for bylines and emphasis: Noto Serif CJK SC Bold.
    SerifBold,
    /// 黑体 for headlines: Noto Sans CJK SC Bold.
    SansBold,
    /// 楷体 for captions, credits and author lines: LXGW WenKai, renamed Papertool Kai.
    Kai,
}

impl Face {
    pub const ALL: [Face; 4] = [Face::SerifRegular, Face::SerifBold, Face::SansBold, Face::Kai];

    pub fn file_name(self) -> &'static str {
        match self {
            Face::SerifRegular => "NotoSerifSC-Regular.otf",
            Face::SerifBold => "NotoSerifSC-Bold.otf",
            Face::SansBold => "NotoSansSC-Bold.otf",
            Face::Kai => "PapertoolKai-Regular.ttf",
        }
    }
}

impl fmt::Display for Face {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.file_name())
    }
}

/// The folder that holds the faces.
#[derive(Debug, Clone)]
pub struct FontDir {
    path: PathBuf,
}

impl FontDir {
    /// Finds the font folder: `explicit` if given (it must hold the faces), else the first of the
    /// usual places that holds the body serif.
    pub fn locate(explicit: Option<&Path>) -> Result<FontDir> {
        if let Some(dir) = explicit {
            return FontDir::at(dir);
        }
        if let Some(dir) = std::env::var_os(FONT_DIR_ENV) {
            return FontDir::at(Path::new(&dir));
        }
        let mut tried = Vec::new();
        if let Ok(exe) = std::env::current_exe() {
            if let Some(bin) = exe.parent() {
                tried.push(bin.join("fonts"));
                tried.push(bin.join("../share/papertool/fonts"));
            }
        }
        tried.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts"));
        tried
            .iter()
            .find(|d| d.join(Face::SerifRegular.file_name()).is_file())
            .map(|d| FontDir { path: d.clone() })
            .ok_or_else(|| {
                Error::failed(format!(
                    "cannot find the font folder (looked in {}); pass --font-dir or set {FONT_DIR_ENV}",
                    tried.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", ")
                ))
            })
    }

    /// A folder given by the user: it must exist and hold the body serif.
    fn at(dir: &Path) -> Result<FontDir> {
        let serif = dir.join(Face::SerifRegular.file_name());
        if !serif.is_file() {
            return Err(Error::failed(format!(
                "{}: not a font folder (no {})",
                dir.display(),
                Face::SerifRegular.file_name()
            )));
        }
        Ok(FontDir { path: dir.to_path_buf() })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn face_path(&self, face: Face) -> PathBuf {
        self.path.join(face.file_name())
    }

    /// Maps a face's file into memory: the faces are megabytes each and a run touches only the
    /// tables and glyphs it needs.
    /// Each file is mapped once per process and shared after: a batch of issues, and both
    /// editions of one, read the same map.
    pub fn load(&self, face: Face) -> Result<FontData> {
        static MAPPED: OnceLock<Mutex<HashMap<PathBuf, FontData>>> = OnceLock::new();
        let path = self.face_path(face);
        let mut mapped = MAPPED.get_or_init(Mutex::default).lock().unwrap_or_else(|e| e.into_inner());
        if let Some(data) = mapped.get(&path) {
            return Ok(data.clone());
        }
        let fail = |e: std::io::Error| Error::failed(format!("{}: cannot read font: {e}", path.display()));
        let file = File::open(&path).map_err(fail)?;
        // SAFETY: the font files are ours and read-only for the process's life; a file changed
        // under a running conversion is outside what papertool promises.
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(fail)?;
        let data = FontData(Arc::new(map));
        mapped.insert(path, data.clone());
        Ok(data)
    }
}

/// The bytes of one face, shared cheaply between threads and editions.
#[derive(Clone)]
pub struct FontData(Arc<memmap2::Mmap>);

impl Deref for FontData {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for FontData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FontData({} bytes)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_shipped_faces() {
        let dir = FontDir::locate(None).unwrap();
        for face in Face::ALL {
            let data = dir.load(face).unwrap();
            assert!(ttf_parser::Face::parse(&data, 0).is_ok(), "{face} does not parse");
        }
    }

    #[test]
    fn a_face_is_mapped_once_per_process() {
        let dir = FontDir::locate(None).unwrap();
        let (a, b) = (dir.load(Face::Kai).unwrap(), dir.load(Face::Kai).unwrap());
        assert!(Arc::ptr_eq(&a.0, &b.0));
    }

    #[test]
    fn explicit_folder_without_faces_is_refused() {
        let empty = tempfile::tempdir().unwrap();
        let err = FontDir::locate(Some(empty.path())).unwrap_err();
        assert!(err.to_string().contains("not a font folder"), "{err}");
    }
}
