//! A dev-only look at the session seat's screens in a real terminal, before the live room:
//! the bundled weekly session with four seats in one process (ana facilitates, bo and cy
//! play, dee observes), the simulated vista of bad-deploy in the walkthrough, the room's clock
//! ticking once a second. Keys go to the seat on screen; ctrl-o shows the next seat.
//!
//! ```sh
//! cargo run --example session_preview            # from the start
//! cargo run --example session_preview -- wheel   # or from a moment: walkthrough, spinning,
//!                                                # turn, wheel, drill, discussion, end
//! ```

#[path = "../tests/session_fixture/mod.rs"]
mod session_fixture;

use gamelan::cmd::shell;
use gamelan::input::{Input, Key};
use gamelan::seat::local::LocalInput;
use gamelan::ui::session::{SessionCommand, SessionScreen};
use ratatui::layout::Rect;
use session_fixture::at;
use std::time::Duration;

fn main() -> color_eyre::Result<()> {
    let rt = shell::runtime()?;
    shell::with_terminal(|term| {
        rt.block_on(async {
            let moment = std::env::args()
                .nth(1)
                .unwrap_or_else(|| "gathering".into());
            let mut room = at(&moment);
            let mut seat = 0usize;
            let mut input = LocalInput::new();
            let mut clock = tokio::time::interval(Duration::from_secs(1));
            loop {
                let size = term.size()?;
                room.area = Rect::new(0, 0, size.width, size.height);
                term.draw(|f| {
                    let area = f.area();
                    let screen = SessionScreen {
                        session: &room.session,
                        vista: Some(&room.vista.1),
                        now: 60.0,
                    };
                    room.seats[seat].draw(f.buffer_mut(), area, &screen, &room.theme);
                })?;
                tokio::select! {
                    _ = clock.tick() => room.tick(1),
                    i = input.next() => {
                        let Some(i) = i else { return Ok(()) };
                        let i = i?;
                        if i == Input::Key(Key::ctrl('o')) {
                            seat = (seat + 1) % room.seats.len();
                            continue;
                        }
                        if room.input(seat as u32, i).contains(&SessionCommand::Quit) {
                            return Ok(());
                        }
                    }
                }
            }
        })
    })
}
