//! `vista.toml`: the panes of the morning vista and where their data comes from
//! (docs/vista-format.md). The file is read in two steps: serde reads the *spec* types, which
//! keep the position of every value, then [`compile_panes`] checks them and resolves defaults
//! into the plain [`PaneDef`] the runner and the UI use. A scenario can embed the same
//! `[[panes]]` tables: deserialize `Vec<Spanned<PaneSpec>>` and call [`compile_panes`].

//!
//! The seams: [`model`] (the compiled values), [`spec`] (the file as written), [`check`] (every
//! check and its diagnostic), [`grid`] (placement) and [`builtin`] (the host vista).

pub mod annotations;
pub mod builtin;
pub mod check;
pub mod datasource;
pub mod grid;
pub mod model;
pub mod spec;

pub use builtin::default_config;
pub use check::{MAX_COLUMNS, MAX_PANES, MIN_REFRESH, compile_panes};
pub use datasource::{Access, Auth, Datasource, DatasourceKind, Header, HeaderValue, Secret};
pub use grid::{Grid, GridCell, GridRow};
pub use model::*;
pub use spec::{Defaults, PaneSpec, SourceSpec, VistaFileSpec, VistaSpec};

use crate::config::Paths;
use crate::diag::{Diagnostic, parse_toml};
use crate::vista::regular::MAX_CONFIG_BYTES;
use std::path::{Path, PathBuf};

/// The file name of the user's vista in the config directory.
pub const FILE_NAME: &str = "vista.toml";

/// Where the user's vista lives: `<config dir>/vista.toml`.
pub fn default_path(paths: &Paths) -> PathBuf {
    paths.config.join(FILE_NAME)
}

// ---------------------------------------------------------------------------------------------
// Loading.

impl VistaConfig {
    /// Reads and checks a vista file: a regular file of at most [`MAX_CONFIG_BYTES`].
    pub fn load(path: &Path) -> Result<VistaConfig, Vec<Diagnostic>> {
        let name = path.display().to_string();
        let src = crate::vista::regular::read_to_string(path, MAX_CONFIG_BYTES)
            .map_err(|e| vec![Diagnostic::whole(&name, e)])?;
        VistaConfig::parse(&src, &name)
    }

    /// The user's vista (`<config dir>/vista.toml`), or the built-in host vista when there is none.
    /// A file that exists but is bad is an error: the caller shows it and may fall back to
    /// [`default_config`] (or keep the last good config when reloading).
    pub fn load_or_default(paths: &Paths) -> Result<VistaConfig, Vec<Diagnostic>> {
        let path = default_path(paths);
        if path.exists() {
            VistaConfig::load(&path)
        } else {
            Ok(default_config())
        }
    }

    /// Parses and checks vista source text; `file` names it in diagnostics. Every problem is
    /// reported with its file:line:col.
    pub fn parse(src: &str, file: &str) -> Result<VistaConfig, Vec<Diagnostic>> {
        let spec: VistaFileSpec = parse_toml(file, src)?;
        check::compile_vista(spec, file, src)
    }

    /// The checked `[datasource.NAME]` tables of a vista file, its panes left unchecked.
    pub fn load_datasources(path: &Path) -> Result<Vec<Datasource>, Vec<Diagnostic>> {
        let name = path.display().to_string();
        let src = crate::vista::regular::read_to_string(path, MAX_CONFIG_BYTES)
            .map_err(|e| vec![Diagnostic::whole(&name, e)])?;
        let spec: VistaFileSpec = parse_toml(&name, &src)?;
        check::compile_datasources(&spec, &name, &src)
    }

    /// Where each pane goes: panes fill rows left to right in order, wrapping when the next one
    /// does not fit in `columns`.
    pub fn grid(&self) -> Grid {
        Grid::layout(self.columns, self.panes.iter().map(|p| (p.span, p.height)))
    }
}
