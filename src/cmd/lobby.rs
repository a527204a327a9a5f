//! `gamelan`: the lobby, then drills, until the user quits.

use super::shell::*;
use crate::cmd::play::PlayOptions;
use crate::cmd::play::{RecordingsMade, play_one};
use crate::cmd::signals::Stop;
use crate::config::{Paths, Settings};
use crate::scenario::Catalogue;
use crate::seat::local::LocalInput;
use crate::ui::lobby::catalogue::{Lobby, LobbyCommand};
use crate::watch::Watcher;
use color_eyre::eyre::Result;

/// `gamelan`: the lobby, then drills, until the user quits.
pub(crate) fn run(paths: &Paths, settings: &Settings, theme_flag: Option<&str>) -> Result<()> {
    let (mut theme, notice) = theme_for(paths, settings, theme_flag);
    // The user's folders exist from the first run, so a file dropped in later is picked up.
    let _ = std::fs::create_dir_all(paths.scenarios());
    let _ = std::fs::create_dir_all(paths.themes());
    // A bad config.toml shows on the status line beside the scenarios' problems.
    let catalogue = || {
        let mut c = Catalogue::load(Some(&paths.scenarios()));
        c.problems.splice(0..0, settings_problems(paths));
        c
    };
    let mut lobby = Lobby::new(catalogue());
    let rt = runtime()?;
    // Every drill played and every replay forked from here, said once the terminal is back.
    let mut made = RecordingsMade::default();
    let result = with_terminal(|term| {
        rt.block_on(async {
            let mut events = LocalInput::new();
            let mut watcher = Watcher::new(&[&paths.scenarios(), &paths.themes()]).ok();
            let mut stop = Stop::listen()?;
            let mut area = ratatui::layout::Rect::default();
            loop {
                term.draw(|f| {
                    area = f.area();
                    lobby.draw(f.buffer_mut(), area, &theme.theme);
                })?;
                let ev = tokio::select! {
                    ev = events.next() => ev,
                    r = stop.stopped() => return r,
                    files = changed(&mut watcher) => {
                        if files.iter().any(|f| f.starts_with(paths.scenarios())) {
                            lobby.set_catalogue(catalogue());
                        }
                        if files.iter().any(|f| f.starts_with(paths.themes())) {
                            theme.reload(&mut lobby.notice);
                        }
                        continue;
                    }
                };
                let Some(ev) = ev else {
                    return Ok(());
                };
                match lobby.on_input(&ev?, area) {
                    Some(LobbyCommand::Quit) => return Ok(()),
                    Some(LobbyCommand::Vista) => {
                        crate::cmd::vista::session(
                            term,
                            &mut events,
                            paths,
                            settings,
                            theme_flag,
                            None,
                        )
                        .await?;
                    }
                    Some(LobbyCommand::Recordings) => {
                        // The library's ctrl-c leaves the lobby too.
                        let quit = crate::cmd::library::session(
                            term,
                            &mut events,
                            paths,
                            &mut theme,
                            &mut made,
                        )
                        .await?;
                        if quit {
                            return Ok(());
                        }
                    }
                    Some(LobbyCommand::History) => {
                        let quit =
                            crate::cmd::history::console(term, &mut events, paths, &theme).await?;
                        if quit {
                            return Ok(());
                        }
                    }
                    Some(LobbyCommand::Start(i)) => {
                        let entry = lobby.catalogue.entries[i].clone();
                        let opts = PlayOptions {
                            seed: 1,
                            tempo: settings.tempo,
                            ..PlayOptions::default()
                        };
                        made.drill(
                            play_one(
                                term,
                                &mut events,
                                paths,
                                entry,
                                opts,
                                &theme,
                                notice.clone(),
                            )
                            .await?,
                        );
                    }
                    None => {}
                }
            }
        })
    });
    made.say();
    result
}
