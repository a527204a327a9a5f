use clap::Parser;

fn main() -> color_eyre::Result<()> {
    gamelan::app::install_hooks()?;
    gamelan::cli::run(gamelan::cli::Cli::parse())
}
