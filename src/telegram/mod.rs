//! The Telegram front-end: teloxide's dispatcher over the engine.
//!
//! The whole handler tree is declared in [`handler`]; endpoints are plain async fns that
//! take the shared [`App`]. Inference never runs on the async runtime (the engine's reader
//! has its own thread and queue), reloads run in the background, and every send goes
//! through [`send::with_retry`], which honours 429 `retry_after` and retries network errors.

pub mod format;
mod send;
pub mod threads;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use teloxide::dispatching::{DefaultKey, UpdateFilterExt};
use teloxide::net::Download;
use teloxide::prelude::*;
use teloxide::types::{
    BotCommandScope, ChatAction, Document, Me, ParseMode, Recipient, ReplyParameters,
};
use teloxide::utils::command::BotCommands;
use teloxide::utils::html::escape;

use crate::config::{Config, TelegramMode};
use crate::corpus::Corpus;
use crate::engine::Engine;
use crate::index::UpdateSummary;
use send::with_retry;
use threads::{Flood, FloodGate, ThreadKey, Threads};

#[derive(BotCommands, Clone, Debug, PartialEq)]
#[command(
    rename_rule = "lowercase",
    description = "I answer questions about the news articles I have read."
)]
pub enum Command {
    #[command(description = "what I do")]
    Start,
    #[command(description = "how to ask")]
    Help,
    #[command(description = "ask a question: /ask how many …?")]
    Ask(String),
    #[command(description = "the articles I have read")]
    Sources,
    #[command(description = "forget this conversation")]
    Reset,
    #[command(description = "admins: re-read the corpus")]
    Reload,
    #[command(description = "admins: usage numbers")]
    Stats,
}

/// Shared state of the bot.
pub struct App {
    pub engine: Arc<Engine>,
    config: Config,
    threads: Mutex<Threads>,
    flood: Mutex<FloodGate>,
    started: Instant,
    questions: AtomicU64,
    answered: AtomicU64,
    reloads: AtomicU64,
}

impl App {
    pub fn new(engine: Arc<Engine>) -> Arc<App> {
        let config = engine.config().clone();
        Arc::new(App {
            threads: Mutex::new(Threads::new(Duration::from_secs(
                config.chat.context_ttl_secs,
            ))),
            flood: Mutex::new(FloodGate::new(config.telegram.flood_per_minute)),
            config,
            engine,
            started: Instant::now(),
            questions: AtomicU64::new(0),
            answered: AtomicU64::new(0),
            reloads: AtomicU64::new(0),
        })
    }

    fn threads(&self) -> std::sync::MutexGuard<'_, Threads> {
        // A panic while holding the lock cannot leave the map half-updated.
        self.threads.lock().unwrap_or_else(|p| p.into_inner())
    }
}

const HELP: &str = "Ask me about the news articles I have read and I will answer with the \
passage it comes from and the outlet that reported it.\n\n\
In a private chat, just write your question. In a group, use /ask <i>question</i>, mention me, \
or reply to one of my answers to ask a follow-up.\n\n\
/sources lists the articles, /reset forgets our conversation.";
const SHUTDOWN_GRACE: Duration = Duration::from_secs(20);
const BUSY: &str = "I'm answering a lot of questions right now. Please try again in a few seconds.";
const FAILED: &str = "Sorry, something went wrong while answering. Please try again.";

/// The whole handler tree.
pub fn handler() -> teloxide::dispatching::UpdateHandler<anyhow::Error> {
    Update::filter_message()
        .branch(Message::filter_document().endpoint(on_document))
        .branch(
            dptree::entry()
                .filter_command::<Command>()
                .endpoint(on_command),
        )
        .branch(Message::filter_text().endpoint(on_text))
}

pub fn dispatcher(bot: Bot, app: Arc<App>) -> Dispatcher<Bot, anyhow::Error, DefaultKey> {
    Dispatcher::builder(bot, handler())
        .dependencies(dptree::deps![app])
        .default_handler(|_| async {})
        .build()
}

/// Registers the command menus: everyone's, and the admins' (with /reload, /stats).
/// Telegram refuses a per-user menu for someone who never wrote to the bot; that admin
/// simply sees the public menu (the commands still work), so it is logged, not fatal.
pub async fn register_commands(bot: &Bot, config: &Config) -> anyhow::Result<()> {
    let all = Command::bot_commands();
    let public: Vec<_> = all
        .iter()
        .filter(|c| !matches!(c.command.trim_start_matches('/'), "reload" | "stats"))
        .cloned()
        .collect();
    with_retry(|| {
        bot.set_my_commands(public.clone())
            .scope(BotCommandScope::Default)
            .send()
    })
    .await?;
    let mut scopes = Vec::new();
    if config.telegram.group_admins_can_reload {
        scopes.push(BotCommandScope::AllChatAdministrators);
    }
    for admin in &config.telegram.admins {
        scopes.push(BotCommandScope::Chat {
            chat_id: Recipient::Id(ChatId(*admin as i64)),
        });
    }
    for scope in scopes {
        if let Err(e) =
            with_retry(|| bot.set_my_commands(all.clone()).scope(scope.clone()).send()).await
        {
            tracing::warn!(error = %e, ?scope, "could not set the admin command menu");
        }
    }
    Ok(())
}

/// `newsbot` with TELOXIDE_TOKEN set: open the engine, register commands, serve until
/// Ctrl-C or SIGTERM, finishing the answers in flight.
pub async fn run_from_env(config: Config) -> anyhow::Result<()> {
    let bot = Bot::from_env();
    let engine = tokio::task::spawn_blocking(move || Engine::open(config)).await??;
    let app = App::new(Arc::new(engine));
    let me = with_retry(|| bot.get_me().send())
        .await
        .context("could not reach Telegram with this token (getMe failed)")?;
    tracing::info!(username = %me.username(), "connected to Telegram");
    register_commands(&bot, &app.config).await?;
    let mut dispatcher = dispatcher(bot.clone(), app.clone());
    let shutdown = dispatcher.shutdown_token();
    tokio::spawn(async move {
        wait_for_signal().await;
        tracing::info!("shutting down: finishing answers in flight");
        if let Ok(done) = shutdown.shutdown() {
            // teloxide 0.17 can miss a shutdown request that lands while it hands an
            // update to a worker; answers in flight take seconds, so bound the wait.
            if tokio::time::timeout(SHUTDOWN_GRACE, done).await.is_err() {
                tracing::warn!("the dispatcher did not stop in time; exiting");
                std::process::exit(0);
            }
        }
    });
    serve(&mut dispatcher, bot, &app.config).await
}

/// Runs the dispatcher until it is shut down: long polling, or in webhook mode a local
/// HTTP server (`telegram.webhook_listen`) that Telegram reaches through the public
/// `telegram.webhook_url`; teloxide registers that URL with a random secret token,
/// refuses posts without it, and deletes the webhook when the dispatcher stops.
pub async fn serve(
    dispatcher: &mut Dispatcher<Bot, anyhow::Error, DefaultKey>,
    bot: Bot,
    config: &Config,
) -> anyhow::Result<()> {
    let t = &config.telegram;
    match t.mode {
        TelegramMode::Polling => dispatcher.dispatch().await,
        TelegramMode::Webhook => {
            let addr: std::net::SocketAddr = t
                .webhook_listen
                .parse()
                .context("telegram.webhook_listen")?;
            // teloxide binds only after setWebhook, and a failed bind there is a panic in a
            // background task; find out first, with a message that names the setting.
            drop(
                std::net::TcpListener::bind(addr)
                    .with_context(|| format!("telegram.webhook_listen: cannot listen on {addr}"))?,
            );
            let url = t.webhook_url.parse().context("telegram.webhook_url")?;
            let options = teloxide::update_listeners::webhooks::Options::new(addr, url);
            let listener = teloxide::update_listeners::webhooks::axum(bot, options)
                .await
                .context("could not register the webhook with Telegram (setWebhook failed)")?;
            dispatcher
                .dispatch_with_listener(
                    listener,
                    LoggingErrorHandler::with_custom_text("webhook error"),
                )
                .await
        }
    }
    Ok(())
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

async fn reply(bot: &Bot, msg: &Message, html: String) -> anyhow::Result<Message> {
    let chat = msg.chat.id;
    let to = msg.id;
    Ok(with_retry(|| {
        bot.send_message(chat, html.clone())
            .parse_mode(ParseMode::Html)
            .reply_parameters(ReplyParameters::new(to).allow_sending_without_reply())
            .send()
    })
    .await?)
}

async fn on_command(
    bot: Bot,
    msg: Message,
    cmd: Command,
    me: Me,
    app: Arc<App>,
) -> anyhow::Result<()> {
    match cmd {
        Command::Start | Command::Help => {
            reply(&bot, &msg, HELP.to_string()).await?;
        }
        Command::Ask(q) => ask(&bot, &msg, q.trim(), &app).await?,
        Command::Sources => {
            let engine = app.engine.clone();
            let list = tokio::task::spawn_blocking(move || engine.sources()).await??;
            let metas: Vec<_> = list.into_iter().map(|(_, m)| m).collect();
            reply(&bot, &msg, format::sources_html(&metas)).await?;
        }
        Command::Reset => {
            app.threads().reset_chat(msg.chat.id.0);
            reply(
                &bot,
                &msg,
                "Done: I have forgotten our conversation.".into(),
            )
            .await?;
        }
        Command::Reload => {
            if !is_admin(&bot, &msg, &app).await {
                reply(
                    &bot,
                    &msg,
                    "Sorry, only the bot's admins can reload the articles.".into(),
                )
                .await?;
                return Ok(());
            }
            // In the background: questions keep being answered from the current index.
            let (bot, app) = (bot.clone(), app.clone());
            tokio::spawn(async move {
                let text = reload_report(&app).await;
                if let Err(e) = reply(&bot, &msg, text).await {
                    tracing::warn!(error = %e, "could not send the reload summary");
                }
            });
        }
        Command::Stats => {
            if !is_admin(&bot, &msg, &app).await {
                reply(&bot, &msg, "Sorry, /stats is for the bot's admins.".into()).await?;
                return Ok(());
            }
            let text = format!(
                "@{}: up {} min; {} questions, {} answered; {} reloads; {} passages indexed; {} live conversations.",
                escape(me.username()),
                app.started.elapsed().as_secs() / 60,
                app.questions.load(Ordering::Relaxed),
                app.answered.load(Ordering::Relaxed),
                app.reloads.load(Ordering::Relaxed),
                app.engine.num_passages(),
                app.threads().len()
            );
            reply(&bot, &msg, text).await?;
        }
    }
    Ok(())
}

async fn on_text(bot: Bot, msg: Message, me: Me, app: Arc<App>) -> anyhow::Result<()> {
    let Some(text) = msg.text() else {
        return Ok(());
    };
    if msg.chat.is_private() {
        return ask(&bot, &msg, text, &app).await;
    }
    // Groups: mentions of the bot and replies to its own messages.
    let mention = format!("@{}", me.username());
    let replying_to_bot = msg
        .reply_to_message()
        .and_then(|r| r.from.as_ref())
        .is_some_and(|u| u.id == me.id);
    if let Some(at) = find_ascii_case_insensitive(text, &mention) {
        let question = format!("{} {}", &text[..at], &text[at + mention.len()..]);
        return ask(&bot, &msg, question.trim(), &app).await;
    }
    if replying_to_bot {
        return ask(&bot, &msg, text, &app).await;
    }
    Ok(())
}

/// Byte offset of an ASCII `needle` (a @username) in `text`, ignoring ASCII case. Works on
/// the original text so the offset is always a char boundary, whatever else it contains.
fn find_ascii_case_insensitive(text: &str, needle: &str) -> Option<usize> {
    let (t, n) = (text.as_bytes(), needle.as_bytes());
    if n.is_empty() || t.len() < n.len() {
        return None;
    }
    (0..=t.len() - n.len())
        .find(|&i| text.is_char_boundary(i) && t[i..i + n.len()].eq_ignore_ascii_case(n))
}

async fn ask(bot: &Bot, msg: &Message, question: &str, app: &Arc<App>) -> anyhow::Result<()> {
    if question.trim().is_empty() {
        reply(
            bot,
            msg,
            "Ask me something, for example: who is the spokesperson?".into(),
        )
        .await?;
        return Ok(());
    }
    let chat = msg.chat.id;
    let flood = app
        .flood
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .check(chat.0, Instant::now());
    match flood {
        Flood::Allow => {}
        Flood::Warn => {
            reply(
                bot,
                msg,
                "You're asking faster than I can read. Give me a minute, please.".into(),
            )
            .await?;
            return Ok(());
        }
        Flood::Drop => return Ok(()),
    }
    app.questions.fetch_add(1, Ordering::Relaxed);
    let reply_to = msg.reply_to_message().map(|r| r.id.0);
    let key: ThreadKey = app
        .threads()
        .key_for(chat.0, msg.chat.is_private(), msg.id.0, reply_to);
    let mut conversation = app.threads().take(key, || app.engine.new_conversation());

    // "typing…" until the answer is ready (Telegram shows it for about 5 s per call).
    let typing = {
        let bot = bot.clone();
        tokio::spawn(async move {
            loop {
                let _ = bot.send_chat_action(chat, ChatAction::Typing).await;
                tokio::time::sleep(Duration::from_secs(4)).await;
            }
        })
    };
    let result = app
        .engine
        .ask_async(question, Some(&mut conversation))
        .await;
    typing.abort();
    let text = match &result {
        Ok(a) => {
            if a.answer.is_some() {
                app.answered.fetch_add(1, Ordering::Relaxed);
            }
            format::answer_html(a)
        }
        Err(e) if e.is_busy() => BUSY.to_string(),
        Err(e) => {
            tracing::error!(error = %e, "answering failed");
            FAILED.to_string()
        }
    };
    let sent = reply(bot, msg, text).await;
    let answer_id = sent.as_ref().ok().map(|m| m.id.0);
    app.threads().put(key, conversation, answer_id);
    sent.map(|_| ())
}

/// Config admins everywhere; in groups also the group's own administrators, if allowed.
async fn is_admin(bot: &Bot, msg: &Message, app: &App) -> bool {
    let Some(user) = msg.from.as_ref() else {
        return false;
    };
    if app.config.telegram.admins.contains(&user.id.0) {
        return true;
    }
    if msg.chat.is_private() || !app.config.telegram.group_admins_can_reload {
        return false;
    }
    match with_retry(|| bot.get_chat_member(msg.chat.id, user.id).send()).await {
        Ok(member) => member.is_privileged(),
        Err(e) => {
            tracing::warn!(error = %e, "getChatMember failed; treating the user as not an admin");
            false
        }
    }
}

async fn reload_report(app: &Arc<App>) -> String {
    let engine = app.engine.clone();
    let result = tokio::task::spawn_blocking(move || engine.reload(&mut |_, _| {})).await;
    match result {
        Ok(Ok(summary)) => {
            app.reloads.fetch_add(1, Ordering::Relaxed);
            summary_html(&summary)
        }
        Ok(Err(e)) if e.is_busy() => {
            "A reload is already running; I'll keep using the current articles until it finishes."
                .into()
        }
        Ok(Err(e)) => format!(
            "Reload failed, so I'm still answering from the previous articles.\n<code>{}</code>",
            escape(&e.to_string())
        ),
        Err(e) => format!("Reload failed: {}", escape(&e.to_string())),
    }
}

pub fn summary_html(s: &UpdateSummary) -> String {
    let mut out = format!(
        "Reloaded in {:.1} s: {} added, {} changed, {} removed, {} unchanged.",
        s.seconds,
        s.added.len(),
        s.changed.len(),
        s.removed.len(),
        s.unchanged
    );
    if !s.rejected.is_empty() {
        out.push_str("\n\nRejected (the rest loaded; earlier versions stay indexed):");
        for r in s.rejected.iter().take(20) {
            out.push_str(&format!("\n• <code>{}</code>", escape(&r.to_string())));
        }
    }
    for d in s.duplicates.iter().take(20) {
        out.push_str(&format!(
            "\n• duplicate skipped: <code>{}</code> (same text as {})",
            escape(&d.path.display().to_string()),
            escape(&d.same_as.0)
        ));
    }
    out
}

/// An admin sends a `.md` or `.txt` article in a private chat: check it, save it, reload.
async fn on_document(bot: Bot, msg: Message, doc: Document, app: Arc<App>) -> anyhow::Result<()> {
    if !msg.chat.is_private() {
        return Ok(());
    }
    if !is_admin(&bot, &msg, &app).await {
        reply(
            &bot,
            &msg,
            "Sorry, only the bot's admins can add articles.".into(),
        )
        .await?;
        return Ok(());
    }
    let name = doc.file_name.clone().unwrap_or_default();
    let ext = std::path::Path::new(&name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase)
        .unwrap_or_default();
    if !matches!(ext.as_str(), "md" | "txt") {
        reply(
            &bot,
            &msg,
            "Send the article as a .md (with front matter) or .txt file.".into(),
        )
        .await?;
        return Ok(());
    }
    if doc.file.size > app.config.telegram.max_upload_bytes {
        reply(
            &bot,
            &msg,
            format!(
                "That file is too large (limit {} bytes).",
                app.config.telegram.max_upload_bytes
            ),
        )
        .await?;
        return Ok(());
    }
    let file = with_retry(|| bot.get_file(doc.file.id.clone()).send()).await?;
    let mut bytes = Vec::new();
    bot.download_file(&file.path, &mut bytes).await?;
    // Check the article on its own before it touches the corpus.
    let stem = crate::corpus::file_id(std::path::Path::new(&name));
    let safe_name = format!("{}.{ext}", if stem.is_empty() { "upload" } else { &stem });
    let staging = tempfile::tempdir()?;
    std::fs::write(staging.path().join(&safe_name), &bytes)?;
    let check = Corpus::load_dir(staging.path())?;
    if let Some(r) = check.rejected.first() {
        let reason = r
            .to_string()
            .replace(&staging.path().display().to_string(), "");
        reply(
            &bot,
            &msg,
            format!(
                "I couldn't use that file: <code>{}</code>",
                escape(reason.trim_start_matches('/'))
            ),
        )
        .await?;
        return Ok(());
    }
    std::fs::write(app.config.corpus_dir.join(&safe_name), &bytes)?;
    let text = format!(
        "Saved as <code>{}</code>. {}",
        escape(&safe_name),
        reload_report(&app).await
    );
    reply(&bot, &msg, text).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::find_ascii_case_insensitive as find;

    #[test]
    fn mention_search_is_safe_on_any_text() {
        assert_eq!(find("hi @NewsBot who?", "@newsbot"), Some(3));
        assert_eq!(find("İİİ @newsbot", "@NewsBot"), Some(7));
        assert_eq!(find("😀", "@newsbot"), None);
        assert_eq!(find("@news", "@newsbot"), None);
    }
}
