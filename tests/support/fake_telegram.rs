//! A fake Telegram Bot API server for integration tests.
//!
//! [`FakeTelegram::start`] binds `127.0.0.1:0` and answers `/bot<token>/<method>` and
//! `/file/bot<token>/<path>` the way `api.telegram.org` does, so a real teloxide bot
//! (`Bot::new(fake.token()).set_api_url(fake.api_url().parse()?)`) can run against it. Tests
//! script it (push user messages, make admins, inject failures) and inspect what the bot did
//! (messages sent, chat actions, commands, call counts).
//!
//! # Faithful
//! - Envelope: `{"ok":true,"result":…}`; errors are `{"ok":false,"error_code":N,"description":…}`
//!   with Telegram's descriptions, 4xx only (teloxide sleeps 10 s on any 5xx); a 429 carries
//!   `parameters.retry_after`. Wrong token: 401 `Unauthorized`; unknown method: 404
//!   `Not Found: method not found`. Method names match case-insensitively.
//! - Parameters come as a JSON body, a query string, `x-www-form-urlencoded` or
//!   `multipart/form-data`; object parameters (`reply_parameters`, `scope`, …) may be JSON
//!   strings, numbers may be strings, as Telegram accepts.
//! - `getUpdates`: `offset` confirms (forgets) every update with a smaller id, a negative offset
//!   keeps only the last `-offset` updates; `limit` is clamped to 1..=100; `timeout` long-polls;
//!   `allowed_updates` persists between calls and, as on Telegram, filters updates when they are
//!   created (the default excludes `chat_member`, `message_reaction`, `message_reaction_count`).
//!   Unconfirmed updates are delivered again to the next poller (a restarted bot). A second
//!   concurrent `getUpdates` ends the first with 409 `Conflict: terminated by other getUpdates
//!   request…`; with a webhook set, `getUpdates` fails with 409 as well.
//! - `sendMessage`/`editMessageText` text goes through TDLib's HTML parser, ported from
//!   `td/telegram/MessageEntity.cpp` (same tags, attribute rules and error texts, e.g.
//!   `Bad Request: can't parse entities: Unsupported start tag "br" at byte offset 0`). Like
//!   Telegram, an unknown named entity such as `&nbsp;` is *not* an error: it stays literally in
//!   the text, and `&lt` without `;` is decoded. The result is trimmed; empty text gives `message
//!   text is empty`, more than 4096 characters (Unicode code points) `message is too long`.
//!   Entities in results use UTF-16 offsets.
//! - Messages: `message_id` increases per chat (shared by users and the bot), `date` is unix
//!   seconds, `from` is the bot, `reply_to_message` is the full replied message one level deep.
//!   A reply to a missing message fails with `message to be replied not found` unless
//!   `allow_sending_without_reply`.
//! - Chats exist once a user wrote in them (or the test declared them); sending elsewhere gives
//!   `chat not found`. This includes `setMyCommands` with a `chat` scope: Telegram refuses a
//!   user who never talked to the bot.
//! - A user the bot knows only from a group has a visible private chat (`getChat` works), but
//!   sending to it fails with 403 `Forbidden: bot can't initiate conversation with a user`
//!   (teloxide 0.17 only knows the old "Unauthorized: …" text, so it is `ApiError::Unknown`).
//! - Pushed texts get `bot_command` (`/ask@BotName`) and `mention` entities as Telegram adds them.
//!
//! # Simplified
//! - Only the methods listed in `call` exist; others answer 404 like an unknown method.
//! - No privacy mode: every pushed group message is delivered (getMe reports
//!   `can_read_all_group_messages: true`). A real bot with privacy mode on sees only commands,
//!   replies to it and (reportedly) mentions in groups.
//! - MarkdownV2/Markdown text is not validated (stored as is, without entities).
//! - No rate limits of its own: 429s happen only when injected with [`FakeTelegram::fail_next`].
//! - Webhooks: only `https://` URLs are accepted, as on Telegram. Updates are delivered to a
//!   webhook only after [`FakeTelegram::forward_webhook_to`] names the local address that the
//!   public URL leads to (the load balancer): one POST at a time, in order, as JSON, with the
//!   `X-Telegram-Bot-Api-Secret-Token` header when `setWebhook` set a secret; a 2xx confirms
//!   the update, anything else is recorded in `getWebhookInfo.last_error_message` and retried
//!   (after 100 ms here, minutes on Telegram).
//! - Whether Telegram counts the 4096 limit in code points or UTF-16 units is not documented;
//!   code points are used.
//!
//! # Use
//! ```ignore
//! let fake = FakeTelegram::start("NewsTestBot");          // inside a Tokio runtime
//! let bot = Bot::new(fake.token()).set_api_url(fake.api_url().parse().unwrap());
//! let asked = fake.push_private_text(42, "Ada", "/ask who?");
//! // ... run the dispatcher ...
//! let sent = fake.wait_for_sent(1, Duration::from_secs(5)).await;
//! assert_eq!(sent[0].reply_to, Some(asked));
//! fake.wait_for_poll(Duration::from_secs(5)).await;     // before ShutdownToken::shutdown
//! ```
//! `FAKE_TELEGRAM_LOG=1` prints every request and answer to stderr.
//!
//! Needs only axum, tokio, serde_json and (for webhook delivery) reqwest.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State as AxumState};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use serde_json::{json, Map, Value};
use tokio::sync::{oneshot, watch};

type Params = Map<String, Value>;

const BOT_ID: u64 = 7_000_000_001;
const MAX_TEXT_CHARS: usize = 4096;
const MAX_DOWNLOAD_BYTES: usize = 20 * 1024 * 1024;
const FIRST_UPDATE_ID: i64 = 100_000;
/// Update types Telegram leaves out when `allowed_updates` is unset or empty.
const NOT_DEFAULT_UPDATES: [&str; 3] =
    ["chat_member", "message_reaction", "message_reaction_count"];
const CHAT_ACTIONS: [&str; 11] = [
    "typing",
    "upload_photo",
    "record_video",
    "upload_video",
    "record_voice",
    "upload_voice",
    "upload_document",
    "choose_sticker",
    "find_location",
    "record_video_note",
    "upload_video_note",
];

/// A message the bot sent (or, in [`FakeTelegram::edits`], the new text of an edit).
#[derive(Clone, Debug)]
pub struct SentMessage {
    pub chat_id: i64,
    pub message_id: i32,
    /// The text exactly as the bot sent it (HTML markup included).
    pub text: String,
    pub parse_mode: Option<String>,
    /// The message this one replies to, as Telegram resolved it.
    pub reply_to: Option<i32>,
    pub sent_at: Instant,
}

/// The fake server. Dropping it (or [`FakeTelegram::shutdown`]) stops it.
pub struct FakeTelegram {
    shared: Arc<Shared>,
    addr: SocketAddr,
    stop: Mutex<Option<oneshot::Sender<()>>>,
}

struct Shared {
    token: String,
    bot: Value,
    state: Mutex<World>,
    /// Bumped whenever an update is queued, a message sent, or the server stops.
    changed: watch::Sender<u64>,
}

/// An error answer: `{"ok":false,"error_code":code,"description":…}`.
#[derive(Debug)]
struct ApiErr {
    code: u16,
    description: String,
    retry_after: Option<u32>,
}

fn bad(what: impl Into<String>) -> ApiErr {
    ApiErr {
        code: 400,
        description: format!("Bad Request: {}", what.into()),
        retry_after: None,
    }
}

fn conflict(what: &str) -> ApiErr {
    ApiErr {
        code: 409,
        description: format!("Conflict: {what}"),
        retry_after: None,
    }
}

type ApiResult = Result<Value, ApiErr>;

struct QueuedUpdate {
    id: i64,
    value: Value,
}

struct Chat {
    /// The `Chat` object embedded in messages.
    json: Value,
    private: bool,
    /// False for a user the bot knows (from a group) who never started a private chat with it.
    started: bool,
    next_message_id: i32,
    messages: BTreeMap<i32, Value>,
    members: BTreeSet<u64>,
    admins: Vec<u64>,
    creator: Option<u64>,
}

impl Chat {
    fn new(json: Value, private: bool) -> Chat {
        Chat {
            json,
            private,
            started: true,
            next_message_id: 1,
            messages: BTreeMap::new(),
            members: BTreeSet::new(),
            admins: Vec::new(),
            creator: None,
        }
    }

    fn take_message_id(&mut self) -> i32 {
        let id = self.next_message_id;
        self.next_message_id += 1;
        id
    }

    /// The replied message as embedded in another one: without its own `reply_to_message`.
    fn reply_copy(&self, id: i32) -> Option<Value> {
        let mut m = self.messages.get(&id)?.clone();
        m.as_object_mut()?.remove("reply_to_message");
        Some(m)
    }
}

struct StoredFile {
    unique_id: String,
    path: String,
    bytes: Vec<u8>,
}

#[derive(Default)]
struct World {
    next_update_id: i64,
    updates: VecDeque<QueuedUpdate>,
    /// `None`: Telegram's default set.
    allowed_updates: Option<Vec<String>>,
    poll_generation: u64,
    /// getUpdates calls blocked in a long poll right now.
    polls_waiting: usize,
    webhook: Option<Value>,
    /// `secret_token` of the last `setWebhook`; Telegram never shows it in `getWebhookInfo`.
    webhook_secret: Option<String>,
    /// Where posts to the webhook URL arrive: the bot's local listener behind the balancer.
    webhook_forward: Option<SocketAddr>,
    /// Updates the webhook accepted (2xx).
    webhook_deliveries: usize,
    closed: bool,
    chats: HashMap<i64, Chat>,
    users: HashMap<u64, Value>,
    files: HashMap<String, StoredFile>,
    next_file: u32,
    sent: Vec<SentMessage>,
    edits: Vec<SentMessage>,
    deleted: Vec<(i64, i32)>,
    chat_actions: Vec<(i64, String)>,
    commands: Map<String, Value>,
    calls: HashMap<String, usize>,
    failures: HashMap<String, VecDeque<(u16, Option<u32>)>>,
}

fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn user_json(id: u64, first_name: &str) -> Value {
    json!({"id": id, "is_bot": false, "first_name": first_name, "language_code": "en"})
}

// ---------------------------------------------------------------------------------------------
// Public API for tests
// ---------------------------------------------------------------------------------------------

impl FakeTelegram {
    /// Starts the server on `127.0.0.1:0`. Must be called inside a Tokio runtime.
    pub fn start(bot_username: &str) -> FakeTelegram {
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        std_listener.set_nonblocking(true).expect("set_nonblocking");
        let addr = std_listener.local_addr().expect("local_addr");
        let listener = tokio::net::TcpListener::from_std(std_listener).expect("tokio listener");
        let bot = json!({"id": BOT_ID, "is_bot": true, "first_name": bot_username, "username": bot_username});
        let shared = Arc::new(Shared {
            token: format!("{BOT_ID}:AAFakeTokenForIntegrationTests0123456"),
            bot,
            state: Mutex::new(World {
                next_update_id: FIRST_UPDATE_ID,
                ..World::default()
            }),
            changed: watch::channel(0).0,
        });
        let app = Router::new()
            .route("/{*path}", any(handle))
            .layer(DefaultBodyLimit::max(64 * 1024 * 1024))
            .with_state(shared.clone());
        tokio::spawn(deliver_webhooks(shared.clone()));
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await;
        });
        FakeTelegram {
            shared,
            addr,
            stop: Mutex::new(Some(stop)),
        }
    }

    /// The base URL for `Bot::set_api_url`, e.g. `http://127.0.0.1:PORT/`.
    pub fn api_url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    pub fn token(&self) -> &str {
        &self.shared.token
    }

    /// The bot's user id.
    pub fn bot_id(&self) -> u64 {
        BOT_ID
    }

    /// Stops accepting connections and ends pending long polls.
    pub fn shutdown(&self) {
        self.world().closed = true;
        self.shared.bump();
        if let Some(stop) = self.stop.lock().unwrap_or_else(|p| p.into_inner()).take() {
            let _ = stop.send(());
        }
    }

    /// A user who has started the bot (the private chat exists) but sent nothing yet.
    pub fn add_private_chat(&self, user_id: u64, first_name: &str) {
        self.world().private_chat(user_id, first_name);
    }

    /// A user writes `text` to the bot in private. Returns the message id.
    pub fn push_private_text(&self, user_id: u64, first_name: &str, text: &str) -> i32 {
        let mut w = self.world();
        w.private_chat(user_id, first_name);
        let mut msg = w.user_message(user_id as i64, user_id, None);
        add_text(&mut msg, "text", "entities", text);
        self.finish_push(w, user_id as i64, msg)
    }

    /// A user writes `text` in the supergroup `chat_id` (negative), optionally replying to an
    /// earlier message of that chat (one of the bot's, too). Returns the message id.
    pub fn push_group_text(
        &self,
        chat_id: i64,
        user_id: u64,
        first_name: &str,
        text: &str,
        reply_to: Option<i32>,
    ) -> i32 {
        let mut w = self.world();
        w.remember_user(user_id, first_name);
        w.group_chat(chat_id);
        let mut msg = w.user_message(chat_id, user_id, reply_to);
        add_text(&mut msg, "text", "entities", text);
        self.finish_push(w, chat_id, msg)
    }

    /// A user sends a document (in private if `chat_id` is positive, then it must equal
    /// `user_id`; in a supergroup if negative). `getFile` and the download route serve `bytes`.
    pub fn push_document(
        &self,
        chat_id: i64,
        user_id: u64,
        file_name: &str,
        bytes: Vec<u8>,
        caption: Option<&str>,
    ) -> i32 {
        let mut w = self.world();
        let first_name = w.first_name(user_id);
        if chat_id > 0 {
            assert_eq!(
                chat_id, user_id as i64,
                "a private chat's id is the user's id"
            );
            w.private_chat(user_id, &first_name);
        } else {
            w.remember_user(user_id, &first_name);
            w.group_chat(chat_id);
        }
        let document = w.store_file(file_name, bytes);
        let mut msg = w.user_message(chat_id, user_id, None);
        msg["document"] = document;
        if let Some(caption) = caption {
            add_text(&mut msg, "caption", "caption_entities", caption);
        }
        self.finish_push(w, chat_id, msg)
    }

    /// Queues any update, e.g. `push_update("callback_query", json!({...}))`. Returns its id, or
    /// `None` if the bot's `allowed_updates` exclude this type (Telegram never creates it then).
    pub fn push_update(&self, kind: &str, payload: Value) -> Option<i64> {
        let id = self.world().queue_update(kind, payload);
        self.shared.bump();
        id
    }

    /// Makes `user_ids` administrators of the supergroup `chat_id` (creating the chat if new).
    /// Include [`FakeTelegram::bot_id`] to make the bot an admin (lets it delete others' messages).
    pub fn set_chat_admins(&self, chat_id: i64, user_ids: &[u64]) {
        let mut w = self.world();
        w.group_chat(chat_id).admins = user_ids.to_vec();
    }

    /// Makes `user_id` the creator (status `creator`) of the supergroup `chat_id`.
    pub fn set_chat_creator(&self, chat_id: i64, user_id: u64) {
        self.world().group_chat(chat_id).creator = Some(user_id);
    }

    /// The next call of `method` fails once with `status` (and `retry_after`, for a 429).
    pub fn fail_next(&self, method: &str, status: u16, retry_after: Option<u32>) {
        let mut w = self.world();
        w.failures
            .entry(method.to_ascii_lowercase())
            .or_default()
            .push_back((status, retry_after));
    }

    /// Every message the bot sent successfully, in order.
    pub fn sent(&self) -> Vec<SentMessage> {
        self.world().sent.clone()
    }

    /// Every successful `editMessageText`, with the new text.
    pub fn edits(&self) -> Vec<SentMessage> {
        self.world().edits.clone()
    }

    /// Every successful `deleteMessage` as `(chat_id, message_id)`.
    pub fn deleted(&self) -> Vec<(i64, i32)> {
        self.world().deleted.clone()
    }

    /// Waits until at least `n` messages were sent; panics with the list at `timeout`.
    pub async fn wait_for_sent(&self, n: usize, timeout: Duration) -> Vec<SentMessage> {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut changed = self.shared.changed.subscribe();
        loop {
            let sent = self.sent();
            if sent.len() >= n {
                return sent;
            }
            if tokio::time::timeout_at(deadline, changed.changed())
                .await
                .is_err()
            {
                let listing: Vec<String> = sent
                    .iter()
                    .map(|m| {
                        format!(
                            "  chat {} #{} (reply to {:?}): {:?}",
                            m.chat_id, m.message_id, m.reply_to, m.text
                        )
                    })
                    .collect();
                panic!(
                    "timed out after {timeout:?} waiting for {n} sent message(s); {} sent:\n{}",
                    sent.len(),
                    listing.join("\n")
                );
            }
        }
    }

    /// Waits until a `getUpdates` long poll is blocked with nothing to return, i.e. the bot's
    /// dispatcher is idle in its polling loop; panics at `timeout`.
    ///
    /// Call it before `ShutdownToken::shutdown`: teloxide 0.17 signals shutdown with
    /// `Notify::notify_waiters`, which is lost if the dispatcher is busy handing an update to a
    /// worker at that moment, and then `shutdown().await` never returns.
    pub async fn wait_for_poll(&self, timeout: Duration) {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut changed = self.shared.changed.subscribe();
        while self.world().polls_waiting == 0 {
            if tokio::time::timeout_at(deadline, changed.changed())
                .await
                .is_err()
            {
                panic!("timed out after {timeout:?} waiting for the bot to long-poll getUpdates");
            }
        }
    }

    /// How many times `method` was called with the right token (case-insensitive, failed
    /// calls included).
    pub fn calls(&self, method: &str) -> usize {
        self.world()
            .calls
            .get(&method.to_ascii_lowercase())
            .copied()
            .unwrap_or(0)
    }

    /// Every `sendChatAction` as `(chat_id, action)`.
    pub fn chat_actions(&self) -> Vec<(i64, String)> {
        self.world().chat_actions.clone()
    }

    /// The command lists set with `setMyCommands`, keyed by scope: `default`,
    /// `all_private_chats`, `all_group_chats`, `all_chat_administrators`, `chat:<id>`,
    /// `chat_administrators:<id>`, `chat_member:<chat>:<user>`; with `|<lang>` appended when a
    /// `language_code` was given. Values are arrays of `{command, description}` as stored
    /// (leading `/` removed).
    pub fn commands(&self) -> Value {
        Value::Object(self.world().commands.clone())
    }

    /// The webhook URL, if one is set.
    pub fn webhook_url(&self) -> Option<String> {
        self.world()
            .webhook
            .as_ref()
            .map(|w| w["url"].as_str().unwrap_or_default().to_string())
    }

    /// Makes the webhook reachable: posts to its URL's path go to `addr` over plain HTTP.
    pub fn forward_webhook_to(&self, addr: SocketAddr) {
        self.world().webhook_forward = Some(addr);
        self.shared.bump();
    }

    /// Updates a webhook accepted so far.
    pub fn webhook_deliveries(&self) -> usize {
        self.world().webhook_deliveries
    }

    /// `getWebhookInfo.last_error_message`, if a delivery failed.
    pub fn webhook_error(&self) -> Option<String> {
        let w = self.world();
        let hook = w.webhook.as_ref()?;
        hook["last_error_message"].as_str().map(str::to_string)
    }

    /// Updates not yet confirmed by a `getUpdates` offset (or accepted by the webhook).
    pub fn pending_updates(&self) -> usize {
        self.world().updates.len()
    }

    fn world(&self) -> MutexGuard<'_, World> {
        self.shared.world()
    }

    fn finish_push(&self, mut w: MutexGuard<'_, World>, chat_id: i64, msg: Value) -> i32 {
        let id = w.store_message(chat_id, msg.clone());
        w.queue_update("message", msg);
        drop(w);
        self.shared.bump();
        id
    }
}

impl Drop for FakeTelegram {
    fn drop(&mut self) {
        self.shutdown();
    }
}

impl Shared {
    fn world(&self) -> MutexGuard<'_, World> {
        // A panicking test thread must not poison the fake for the others.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn bump(&self) {
        self.changed.send_modify(|v| *v += 1);
    }
}

// ---------------------------------------------------------------------------------------------
// The world: chats, users, messages, updates
// ---------------------------------------------------------------------------------------------

impl World {
    /// Knowing a user makes their private chat visible (getChat works), not yet started.
    fn remember_user(&mut self, id: u64, first_name: &str) {
        self.users.insert(id, user_json(id, first_name));
        self.chats.entry(id as i64).or_insert_with(|| {
            let mut chat = Chat::new(
                json!({"id": id, "first_name": first_name, "type": "private"}),
                true,
            );
            chat.started = false;
            chat
        });
    }

    fn first_name(&self, id: u64) -> String {
        self.users
            .get(&id)
            .and_then(|u| u["first_name"].as_str())
            .map_or_else(|| format!("User{id}"), str::to_string)
    }

    fn user(&self, id: u64) -> Value {
        self.users
            .get(&id)
            .cloned()
            .unwrap_or_else(|| user_json(id, &format!("User{id}")))
    }

    fn private_chat(&mut self, user_id: u64, first_name: &str) -> &mut Chat {
        self.remember_user(user_id, first_name);
        let chat = self.chats.get_mut(&(user_id as i64)).expect("remembered");
        chat.started = true;
        chat.members.insert(user_id);
        chat
    }

    fn group_chat(&mut self, chat_id: i64) -> &mut Chat {
        assert!(
            chat_id < 0,
            "group chat ids are negative (supergroups look like -100…), got {chat_id}"
        );
        self.chats.entry(chat_id).or_insert_with(|| {
            Chat::new(
                json!({"id": chat_id, "title": format!("Group {chat_id}"), "type": "supergroup"}),
                false,
            )
        })
    }

    /// A message from `user_id` in `chat_id` (which must exist), without text; takes an id.
    fn user_message(&mut self, chat_id: i64, user_id: u64, reply_to: Option<i32>) -> Value {
        let from = self.user(user_id);
        let chat = self.chats.get_mut(&chat_id).expect("chat exists");
        chat.members.insert(user_id);
        let id = chat.take_message_id();
        let mut msg =
            json!({"message_id": id, "from": from, "chat": chat.json, "date": now_unix()});
        if let Some(r) = reply_to {
            let replied = chat
                .reply_copy(r)
                .unwrap_or_else(|| panic!("push: message {r} does not exist in chat {chat_id}"));
            msg["reply_to_message"] = replied;
        }
        msg
    }

    fn store_message(&mut self, chat_id: i64, msg: Value) -> i32 {
        let id = msg["message_id"].as_i64().expect("message_id") as i32;
        self.chats
            .get_mut(&chat_id)
            .expect("chat exists")
            .messages
            .insert(id, msg);
        id
    }

    fn update_allowed(&self, kind: &str) -> bool {
        match &self.allowed_updates {
            None => !NOT_DEFAULT_UPDATES.contains(&kind),
            Some(list) => list.iter().any(|k| k == kind),
        }
    }

    fn queue_update(&mut self, kind: &str, payload: Value) -> Option<i64> {
        if !self.update_allowed(kind) {
            return None;
        }
        let id = self.next_update_id;
        self.next_update_id += 1;
        let mut value = json!({"update_id": id});
        value[kind] = payload;
        self.updates.push_back(QueuedUpdate { id, value });
        Some(id)
    }

    fn store_file(&mut self, file_name: &str, bytes: Vec<u8>) -> Value {
        self.next_file += 1;
        let n = self.next_file;
        let ext = file_name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        let mime = match ext.as_str() {
            "md" => "text/markdown",
            "txt" => "text/plain",
            "json" => "application/json",
            "pdf" => "application/pdf",
            _ => "application/octet-stream",
        };
        let file_id = format!("BQACAgIAAxkBAAIB{n:08}FakeFileId");
        let unique_id = format!("AgADFake{n:04}");
        let path = if ext.is_empty() {
            format!("documents/file_{n}")
        } else {
            format!("documents/file_{n}.{ext}")
        };
        let document = json!({
            "file_name": file_name, "mime_type": mime, "file_id": file_id,
            "file_unique_id": unique_id, "file_size": bytes.len(),
        });
        self.files.insert(
            file_id,
            StoredFile {
                unique_id,
                path,
                bytes,
            },
        );
        document
    }

    fn chat(&self, id: i64) -> Result<&Chat, ApiErr> {
        self.chats.get(&id).ok_or_else(|| bad("chat not found"))
    }

    fn chat_mut(&mut self, id: i64) -> Result<&mut Chat, ApiErr> {
        self.chats.get_mut(&id).ok_or_else(|| bad("chat not found"))
    }

    /// A chat the bot may write to: 403 for a user who never started the bot.
    fn writable_chat(&mut self, id: i64) -> Result<&mut Chat, ApiErr> {
        let chat = self.chat_mut(id)?;
        if !chat.started {
            return Err(ApiErr {
                code: 403,
                description: "Forbidden: bot can't initiate conversation with a user".into(),
                retry_after: None,
            });
        }
        Ok(chat)
    }

    /// `chat_id` as an integer or `@username` (only private chats of users with a username).
    fn resolve_chat(&self, p: &Params, name: &str) -> Result<i64, ApiErr> {
        let raw = match p.get(name) {
            None | Some(Value::Null) => return Err(bad(format!("{name} is empty"))),
            Some(Value::String(s)) if s.trim().is_empty() => {
                return Err(bad(format!("{name} is empty")))
            }
            Some(v) => v,
        };
        if let Some(id) = raw
            .as_i64()
            .or_else(|| raw.as_str().and_then(|s| s.trim().parse().ok()))
        {
            self.chat(id)?;
            return Ok(id);
        }
        let name = raw
            .as_str()
            .unwrap_or_default()
            .trim_start_matches('@')
            .to_ascii_lowercase();
        self.chats
            .iter()
            .find(|(_, c)| {
                c.json["username"]
                    .as_str()
                    .is_some_and(|u| u.to_ascii_lowercase() == name)
            })
            .map(|(id, _)| *id)
            .ok_or_else(|| bad("chat not found"))
    }

    fn member_json(&self, chat: &Chat, chat_id: i64, user_id: u64, bot: &Value) -> ApiResult {
        let user = if user_id == BOT_ID {
            bot.clone()
        } else {
            self.user(user_id)
        };
        if chat.creator == Some(user_id) {
            return Ok(json!({"status": "creator", "user": user, "is_anonymous": false}));
        }
        if chat.admins.contains(&user_id) {
            return Ok(admin_json(user));
        }
        let is_member = chat.members.contains(&user_id)
            || user_id == BOT_ID
            || (chat.private && user_id as i64 == chat_id);
        if is_member {
            return Ok(json!({"status": "member", "user": user}));
        }
        if self.users.contains_key(&user_id) {
            return Ok(json!({"status": "left", "user": user}));
        }
        Err(bad("user not found"))
    }
}

fn admin_json(user: Value) -> Value {
    json!({
        "status": "administrator", "user": user, "can_be_edited": false, "is_anonymous": false,
        "can_manage_chat": true, "can_delete_messages": true, "can_manage_video_chats": true,
        "can_restrict_members": true, "can_promote_members": false, "can_change_info": true,
        "can_invite_users": true, "can_post_stories": false, "can_edit_stories": false,
        "can_delete_stories": false, "can_pin_messages": true, "can_manage_topics": false,
    })
}

/// Sets `text_key` and, if Telegram would find any, the command/mention entities.
fn add_text(msg: &mut Value, text_key: &str, entities_key: &str, text: &str) {
    msg[text_key] = json!(text);
    let entities = auto_entities(text);
    if !entities.is_empty() {
        msg[entities_key] = Value::Array(entities);
    }
}

// ---------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------

async fn handle(
    AxumState(shared): AxumState<Arc<Shared>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().trim_start_matches('/');
    if let Some(rest) = path.strip_prefix("file/bot") {
        return download(&shared, rest);
    }
    let Some((token, method)) = path.strip_prefix("bot").and_then(|r| r.split_once('/')) else {
        return error_response(ApiErr {
            code: 404,
            description: "Not Found".into(),
            retry_after: None,
        });
    };
    if token != shared.token {
        return error_response(ApiErr {
            code: 401,
            description: "Unauthorized".into(),
            retry_after: None,
        });
    }
    let method = method.trim_end_matches('/').to_ascii_lowercase();
    let log = std::env::var_os("FAKE_TELEGRAM_LOG").is_some();
    let result = match read_params(&headers, uri.query(), &body) {
        Ok(params) => {
            if log {
                eprintln!(
                    "[fake telegram] -> {method} {}",
                    Value::Object(params.clone())
                );
            }
            call(&shared, &method, params).await
        }
        Err(e) => Err(e),
    };
    if log {
        eprintln!("[fake telegram] <- {method} {result:?}");
    }
    match result {
        Ok(value) => (
            StatusCode::OK,
            axum::Json(json!({"ok": true, "result": value})),
        )
            .into_response(),
        Err(e) => error_response(e),
    }
}

fn error_response(e: ApiErr) -> Response {
    let mut body = json!({"ok": false, "error_code": e.code, "description": e.description});
    if let Some(after) = e.retry_after {
        body["parameters"] = json!({"retry_after": after});
    }
    let status = StatusCode::from_u16(e.code).unwrap_or(StatusCode::BAD_REQUEST);
    (status, axum::Json(body)).into_response()
}

fn download(shared: &Shared, rest: &str) -> Response {
    let not_found = || {
        error_response(ApiErr {
            code: 404,
            description: "Not Found".into(),
            retry_after: None,
        })
    };
    let Some((token, file_path)) = rest.split_once('/') else {
        return not_found();
    };
    let file_path = percent_decode(file_path.as_bytes()); // teloxide sends `documents%2Ffile_1.md`
    if token != shared.token {
        return error_response(ApiErr {
            code: 401,
            description: "Unauthorized".into(),
            retry_after: None,
        });
    }
    let w = shared.world();
    match w.files.values().find(|f| f.path == file_path) {
        Some(f) => (
            [(header::CONTENT_TYPE, "application/octet-stream")],
            f.bytes.clone(),
        )
            .into_response(),
        None => not_found(),
    }
}

/// Counts the call, applies an injected failure, then runs the method.
async fn call(shared: &Arc<Shared>, method: &str, p: Params) -> ApiResult {
    {
        let mut w = shared.world();
        *w.calls.entry(method.to_string()).or_default() += 1;
        if let Some((status, retry_after)) =
            w.failures.get_mut(method).and_then(VecDeque::pop_front)
        {
            return Err(injected_failure(status, retry_after));
        }
    }
    if method == "getupdates" {
        return get_updates(shared, &p).await;
    }
    let result = {
        let mut w = shared.world();
        let bot = &shared.bot;
        match method {
            "getme" => Ok(get_me(bot)),
            "logout" | "close" | "answercallbackquery" => Ok(json!(true)),
            "getwebhookinfo" => Ok(webhook_info(&w)),
            "setwebhook" => set_webhook(&mut w, &p),
            "deletewebhook" => delete_webhook(&mut w, &p),
            "setmycommands" => set_my_commands(&mut w, &p),
            "getmycommands" => get_my_commands(&w, &p),
            "deletemycommands" => delete_my_commands(&mut w, &p),
            "sendmessage" => send_message(&mut w, bot, &p),
            "editmessagetext" => edit_message_text(&mut w, &p),
            "deletemessage" => delete_message(&mut w, &p),
            "sendchataction" => send_chat_action(&mut w, &p),
            "getchat" => get_chat(&w, &p),
            "getchatmember" => get_chat_member(&w, bot, &p),
            "getchatadministrators" => get_chat_administrators(&w, bot, &p),
            "getfile" => get_file(&w, &p),
            _ => Err(ApiErr {
                code: 404,
                description: "Not Found: method not found".into(),
                retry_after: None,
            }),
        }
    };
    shared.bump();
    result
}

fn injected_failure(status: u16, retry_after: Option<u32>) -> ApiErr {
    let description = match status {
        400 => "Bad Request: injected failure".to_string(),
        401 => "Unauthorized".to_string(),
        403 => "Forbidden: bot was blocked by the user".to_string(),
        404 => "Not Found".to_string(),
        409 => "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running".to_string(),
        429 => format!("Too Many Requests: retry after {}", retry_after.unwrap_or(0)),
        500 => "Internal Server Error".to_string(),
        502 => "Bad Gateway".to_string(),
        _ => format!("Error {status}"),
    };
    ApiErr {
        code: status,
        description,
        retry_after,
    }
}

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

fn read_params(headers: &HeaderMap, query: Option<&str>, body: &[u8]) -> Result<Params, ApiErr> {
    let mut p = Params::new();
    if let Some(q) = query {
        parse_urlencoded(q.as_bytes(), &mut p);
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let lower = content_type.to_ascii_lowercase();
    if body.is_empty() {
        return Ok(p);
    }
    if lower.starts_with("application/json") {
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(m)) => p.extend(m),
            _ => return Err(bad("can't parse JSON object")),
        }
    } else if lower.starts_with("application/x-www-form-urlencoded") {
        parse_urlencoded(body, &mut p);
    } else if lower.starts_with("multipart/form-data") {
        let boundary = content_type
            .split(';')
            .filter_map(|part| part.trim().strip_prefix("boundary="))
            .next()
            .map(|b| b.trim_matches('"').to_string())
            .ok_or_else(|| bad("can't parse multipart/form-data: no boundary"))?;
        parse_multipart(body, &boundary, &mut p);
    }
    Ok(p)
}

fn parse_urlencoded(raw: &[u8], out: &mut Params) {
    for pair in raw.split(|&b| b == b'&').filter(|s| !s.is_empty()) {
        let (k, v) = match pair.iter().position(|&b| b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &pair[..0]),
        };
        out.insert(percent_decode(k), Value::String(percent_decode(v)));
    }
}

fn percent_decode(s: &[u8]) -> String {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < s.len() && hex(s[i + 1]).is_some() && hex(s[i + 2]).is_some() => {
                out.push(hex(s[i + 1]).unwrap() * 16 + hex(s[i + 2]).unwrap());
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn find_bytes(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// Text fields of a multipart body (file parts are kept as lossy UTF-8 text).
fn parse_multipart(body: &[u8], boundary: &str, out: &mut Params) {
    let delim = format!("--{boundary}");
    let mut pos = match find_bytes(body, delim.as_bytes(), 0) {
        Some(p) => p + delim.len(),
        None => return,
    };
    while !body[pos..].starts_with(b"--") {
        let Some(head_end) = find_bytes(body, b"\r\n\r\n", pos) else {
            return;
        };
        let Some(next) = find_bytes(body, delim.as_bytes(), head_end) else {
            return;
        };
        let head = String::from_utf8_lossy(&body[pos..head_end]);
        let content = &body[head_end + 4..next.saturating_sub(2).max(head_end + 4)];
        let name = head
            .split(';')
            .filter_map(|s| s.trim().strip_prefix("name="))
            .next()
            .map(|n| n.trim_matches('"').to_string());
        if let Some(name) = name {
            out.insert(
                name,
                Value::String(String::from_utf8_lossy(content).into_owned()),
            );
        }
        pos = next + delim.len();
    }
}

fn param_str(p: &Params, name: &str) -> Option<String> {
    match p.get(name)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn param_int(p: &Params, name: &str) -> Option<i64> {
    match p.get(name)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn param_bool(p: &Params, name: &str) -> bool {
    match p.get(name) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => matches!(s.to_ascii_lowercase().as_str(), "true" | "1" | "yes"),
        Some(Value::Number(n)) => n.as_i64() == Some(1),
        _ => false,
    }
}

/// A JSON-serialized parameter: an object/array, or a string holding one.
fn param_json(p: &Params, name: &str, what: &str) -> Result<Option<Value>, ApiErr> {
    match p.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => serde_json::from_str(s)
            .map(Some)
            .map_err(|_| bad(format!("can't parse {what} JSON object"))),
        Some(v) => Ok(Some(v.clone())),
    }
}

fn required_message_id(p: &Params) -> Result<i32, ApiErr> {
    param_int(p, "message_id")
        .map(|i| i as i32)
        .ok_or_else(|| bad("message identifier is not specified"))
}

// ---------------------------------------------------------------------------------------------
// Methods
// ---------------------------------------------------------------------------------------------

fn get_me(bot: &Value) -> Value {
    let mut me = bot.clone();
    for (k, v) in [
        ("can_join_groups", true),
        ("can_read_all_group_messages", true),
        ("supports_inline_queries", false),
        ("can_connect_to_business", false),
        ("has_main_web_app", false),
    ] {
        me[k] = json!(v);
    }
    me
}

async fn get_updates(shared: &Arc<Shared>, p: &Params) -> ApiResult {
    let offset = param_int(p, "offset").unwrap_or(0);
    let limit = param_int(p, "limit").unwrap_or(100).clamp(1, 100) as usize;
    let timeout = Duration::from_secs(param_int(p, "timeout").unwrap_or(0).max(0) as u64);
    let allowed = match param_json(p, "allowed_updates", "allowed updates")? {
        Some(Value::Array(a)) => Some(
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect::<Vec<_>>(),
        ),
        _ => None,
    };
    let mut changed = shared.changed.subscribe();
    let generation = {
        let mut w = shared.world();
        if w.webhook.is_some() {
            return Err(conflict("can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"));
        }
        if let Some(list) = allowed {
            w.allowed_updates = if list.is_empty() { None } else { Some(list) };
        }
        confirm(&mut w.updates, offset);
        w.poll_generation += 1;
        w.poll_generation
    };
    shared.bump(); // wakes an older poll, which then ends with 409
    let deadline = tokio::time::Instant::now() + timeout;
    let mut waiting = WaitingPoll {
        shared: shared.clone(),
        counted: false,
    };
    loop {
        {
            let mut w = shared.world();
            if w.poll_generation != generation {
                return Err(conflict("terminated by other getUpdates request; make sure that only one bot instance is running"));
            }
            let batch: Vec<Value> = w
                .updates
                .iter()
                .take(limit)
                .map(|u| u.value.clone())
                .collect();
            if !batch.is_empty() || w.closed {
                return Ok(Value::Array(batch));
            }
            if !waiting.counted && deadline > tokio::time::Instant::now() {
                waiting.counted = true;
                w.polls_waiting += 1;
                drop(w);
                shared.bump();
            }
        }
        if tokio::time::timeout_at(deadline, changed.changed())
            .await
            .is_err()
        {
            return Ok(json!([]));
        }
    }
}

/// Counts a blocked long poll in `polls_waiting` until it returns or is cancelled.
struct WaitingPoll {
    shared: Arc<Shared>,
    counted: bool,
}

impl Drop for WaitingPoll {
    fn drop(&mut self) {
        if self.counted {
            self.shared.world().polls_waiting -= 1;
        }
    }
}

/// Telegram's offset rule: forget every update below `offset`; a negative offset keeps the
/// last `-offset` updates.
fn confirm(updates: &mut VecDeque<QueuedUpdate>, offset: i64) {
    if offset > 0 {
        while updates.front().is_some_and(|u| u.id < offset) {
            updates.pop_front();
        }
    } else if offset < 0 {
        let keep = offset.unsigned_abs() as usize;
        while updates.len() > keep {
            updates.pop_front();
        }
    }
}

fn webhook_info(w: &World) -> Value {
    let mut info = w
        .webhook
        .clone()
        .unwrap_or_else(|| json!({"url": "", "has_custom_certificate": false}));
    info["pending_update_count"] = json!(w.updates.len());
    info
}

fn set_webhook(w: &mut World, p: &Params) -> ApiResult {
    let url = param_str(p, "url").unwrap_or_default();
    if param_bool(p, "drop_pending_updates") {
        w.updates.clear();
    }
    if url.is_empty() {
        w.webhook = None;
        w.webhook_secret = None;
        return Ok(json!(true));
    }
    if !url.to_ascii_lowercase().starts_with("https://") {
        return Err(bad(
            "bad webhook: An HTTPS URL must be provided for webhook",
        ));
    }
    let mut hook = json!({"url": url, "has_custom_certificate": false, "max_connections": param_int(p, "max_connections").unwrap_or(40)});
    if let Some(allowed) = param_json(p, "allowed_updates", "allowed updates")? {
        hook["allowed_updates"] = allowed;
    }
    w.webhook = Some(hook);
    w.webhook_secret = param_str(p, "secret_token");
    Ok(json!(true))
}

fn delete_webhook(w: &mut World, p: &Params) -> ApiResult {
    w.webhook = None;
    w.webhook_secret = None;
    if param_bool(p, "drop_pending_updates") {
        w.updates.clear();
    }
    Ok(json!(true))
}

/// Telegram's side of a webhook: while one is set and reachable, post the oldest pending
/// update to it until it is accepted, then the next.
async fn deliver_webhooks(shared: Arc<Shared>) {
    let client = reqwest::Client::new();
    let mut changed = shared.changed.subscribe();
    loop {
        let next = {
            let w = shared.world();
            if w.closed {
                return;
            }
            match (&w.webhook, w.webhook_forward, w.updates.front()) {
                (Some(hook), Some(addr), Some(update)) => {
                    let url = hook["url"].as_str().unwrap_or_default();
                    let path = reqwest::Url::parse(url)
                        .map(|u| u.path().to_string())
                        .unwrap_or_else(|_| "/".into());
                    Some((
                        format!("http://{addr}{path}"),
                        w.webhook_secret.clone(),
                        update.id,
                        update.value.clone(),
                    ))
                }
                _ => None,
            }
        };
        let Some((url, secret, id, body)) = next else {
            if changed.changed().await.is_err() {
                return;
            }
            continue;
        };
        let mut post = client.post(&url).json(&body);
        if let Some(secret) = secret {
            post = post.header("X-Telegram-Bot-Api-Secret-Token", secret);
        }
        let error = match post.send().await {
            Ok(r) if r.status().is_success() => None,
            Ok(r) => Some(format!("Wrong response from the webhook: {}", r.status())),
            Err(e) if e.is_connect() => Some("Connection refused".to_string()),
            Err(e) => Some(format!("Failed to deliver: {e}")),
        };
        {
            let mut w = shared.world();
            match &error {
                None => {
                    w.updates.retain(|u| u.id != id);
                    w.webhook_deliveries += 1;
                }
                Some(message) => {
                    if let Some(hook) = w.webhook.as_mut() {
                        hook["last_error_date"] = json!(now_unix());
                        hook["last_error_message"] = json!(message);
                    }
                }
            }
        }
        shared.bump();
        if error.is_some() {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// The key under which [`FakeTelegram::commands`] shows a scope's list.
fn scope_key(w: &World, p: &Params) -> Result<String, ApiErr> {
    let scope =
        param_json(p, "scope", "BotCommandScope")?.unwrap_or_else(|| json!({"type": "default"}));
    let kind = scope["type"]
        .as_str()
        .ok_or_else(|| bad("can't parse BotCommandScope JSON object"))?
        .to_string();
    let scope_params = scope.as_object().cloned().unwrap_or_default();
    let key = match kind.as_str() {
        "default" | "all_private_chats" | "all_group_chats" | "all_chat_administrators" => {
            kind.clone()
        }
        "chat" | "chat_administrators" | "chat_member" => {
            let chat_id = w.resolve_chat(&scope_params, "chat_id")?;
            let private = w.chat(chat_id)?.private;
            if private && kind != "chat" {
                return Err(bad("can't use specified scope in private chats"));
            }
            if kind == "chat_member" {
                let user = param_int(&scope_params, "user_id")
                    .filter(|u| *u > 0)
                    .ok_or_else(|| bad("invalid user_id specified"))?;
                format!("chat_member:{chat_id}:{user}")
            } else {
                format!("{kind}:{chat_id}")
            }
        }
        other => {
            return Err(bad(format!(
                "can't parse BotCommandScope: unsupported scope type \"{other}\""
            )))
        }
    };
    let lang = param_str(p, "language_code").unwrap_or_default();
    let lang_ok =
        lang.is_empty() || (lang.len() == 2 && lang.bytes().all(|b| b.is_ascii_lowercase()));
    if !lang_ok {
        return Err(bad("invalid language code specified"));
    }
    Ok(if lang.is_empty() {
        key
    } else {
        format!("{key}|{lang}")
    })
}

fn set_my_commands(w: &mut World, p: &Params) -> ApiResult {
    let key = scope_key(w, p)?;
    let commands = match param_json(p, "commands", "bot commands")? {
        None => Vec::new(),
        Some(Value::Array(list)) => list,
        Some(_) => return Err(bad("can't parse bot commands JSON object")),
    };
    if commands.len() > 100 {
        return Err(bad("BOT_COMMANDS_TOO_MUCH"));
    }
    let mut stored = Vec::new();
    for c in &commands {
        let command = c["command"].as_str().unwrap_or_default().trim();
        let command = command.strip_prefix('/').unwrap_or(command);
        let description = c["description"].as_str().unwrap_or_default().trim();
        if command.is_empty() {
            return Err(bad("command must be non-empty"));
        }
        if command.chars().count() > 32 {
            return Err(bad("command length must not exceed 32"));
        }
        if description.is_empty() {
            return Err(bad("command description must be non-empty"));
        }
        if description.chars().count() > 256 {
            return Err(bad("command description length must not exceed 256"));
        }
        if !command
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(bad("BOT_COMMAND_INVALID"));
        }
        stored.push(json!({"command": command, "description": description}));
    }
    if stored.is_empty() {
        w.commands.remove(&key);
    } else {
        w.commands.insert(key, Value::Array(stored));
    }
    Ok(json!(true))
}

fn get_my_commands(w: &World, p: &Params) -> ApiResult {
    let key = scope_key(w, p)?;
    Ok(w.commands.get(&key).cloned().unwrap_or_else(|| json!([])))
}

fn delete_my_commands(w: &mut World, p: &Params) -> ApiResult {
    let key = scope_key(w, p)?;
    w.commands.remove(&key);
    Ok(json!(true))
}

/// Text after `parse_mode`, trimmed and checked as Telegram does; entities in UTF-16 units.
fn format_text(
    raw: &str,
    parse_mode: Option<&str>,
    p: &Params,
) -> Result<(String, Vec<Value>), ApiErr> {
    let (text, entities) = match parse_mode.map(str::to_ascii_lowercase).as_deref() {
        None | Some("") => {
            let given = match param_json(p, "entities", "message entities")? {
                Some(Value::Array(list)) => list,
                _ => Vec::new(),
            };
            (raw.to_string(), given)
        }
        Some("html") => parse_html(raw).map_err(|e| bad(format!("can't parse entities: {e}")))?,
        Some("markdown") | Some("markdownv2") => (raw.to_string(), Vec::new()),
        Some(_) => return Err(bad("unsupported parse_mode")),
    };
    let (text, entities) = trim_text(&text, entities);
    if text.is_empty() {
        return Err(bad("message text is empty"));
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(bad("message is too long"));
    }
    Ok((text, entities))
}

/// Telegram strips whitespace at both ends of a message; entities move with the text.
fn trim_text(text: &str, entities: Vec<Value>) -> (String, Vec<Value>) {
    let is_ws = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c');
    let trimmed = text.trim_matches(is_ws);
    let lead = (text.len() - text.trim_start_matches(is_ws).len()) as i64; // ASCII: bytes == UTF-16 units
    let len16 = trimmed.encode_utf16().count() as i64;
    let moved = entities
        .into_iter()
        .filter_map(|mut e| {
            let start = (e["offset"].as_i64()? - lead).max(0);
            let end = (e["offset"].as_i64()? + e["length"].as_i64()? - lead).min(len16);
            (end > start).then(|| {
                e["offset"] = json!(start);
                e["length"] = json!(end - start);
                e
            })
        })
        .collect();
    (trimmed.to_string(), moved)
}

/// The message being replied to: `reply_parameters` (or the legacy `reply_to_message_id`).
fn reply_target(chat: &Chat, p: &Params) -> Result<Option<i32>, ApiErr> {
    let (id, allow_missing) = match param_json(p, "reply_parameters", "reply parameters")? {
        Some(rp) => {
            let rp = rp.as_object().cloned().unwrap_or_default();
            (
                param_int(&rp, "message_id"),
                param_bool(&rp, "allow_sending_without_reply"),
            )
        }
        None => (
            param_int(p, "reply_to_message_id"),
            param_bool(p, "allow_sending_without_reply"),
        ),
    };
    match id {
        None | Some(0) => Ok(None),
        Some(id) if chat.messages.contains_key(&(id as i32)) => Ok(Some(id as i32)),
        Some(_) if allow_missing => Ok(None),
        Some(_) => Err(bad("message to be replied not found")),
    }
}

fn send_message(w: &mut World, bot: &Value, p: &Params) -> ApiResult {
    let chat_id = w.resolve_chat(p, "chat_id")?;
    let raw = param_str(p, "text").unwrap_or_default();
    let parse_mode = param_str(p, "parse_mode").filter(|s| !s.is_empty());
    let (text, entities) = format_text(&raw, parse_mode.as_deref(), p)?;
    let reply_markup = param_json(p, "reply_markup", "reply keyboard markup")?;
    let chat = w.writable_chat(chat_id)?;
    let reply_to = reply_target(chat, p)?;
    let id = chat.take_message_id();
    let mut msg =
        json!({"message_id": id, "from": bot, "chat": chat.json, "date": now_unix(), "text": text});
    if !entities.is_empty() {
        msg["entities"] = Value::Array(entities);
    }
    if let Some(r) = reply_to {
        msg["reply_to_message"] = chat.reply_copy(r).expect("checked");
    }
    if let Some(markup) = reply_markup.filter(|m| m.get("inline_keyboard").is_some()) {
        msg["reply_markup"] = markup;
    }
    chat.messages.insert(id, msg.clone());
    w.sent.push(SentMessage {
        chat_id,
        message_id: id,
        text: raw,
        parse_mode,
        reply_to,
        sent_at: Instant::now(),
    });
    Ok(msg)
}

fn edit_message_text(w: &mut World, p: &Params) -> ApiResult {
    if p.contains_key("inline_message_id") {
        return Ok(json!(true));
    }
    let chat_id = w.resolve_chat(p, "chat_id")?;
    let message_id = required_message_id(p)?;
    let raw = param_str(p, "text").unwrap_or_default();
    let parse_mode = param_str(p, "parse_mode").filter(|s| !s.is_empty());
    let (text, entities) = format_text(&raw, parse_mode.as_deref(), p)?;
    let chat = w.chat_mut(chat_id)?;
    let msg = chat
        .messages
        .get_mut(&message_id)
        .ok_or_else(|| bad("message to edit not found"))?;
    if msg["from"]["id"].as_u64() != Some(BOT_ID) || msg.get("text").is_none() {
        return Err(bad("message can't be edited"));
    }
    let new_entities = (!entities.is_empty()).then_some(Value::Array(entities));
    if msg["text"] == json!(text) && msg.get("entities") == new_entities.as_ref() {
        return Err(bad(
            "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
        ));
    }
    msg["text"] = json!(text);
    match new_entities {
        Some(e) => msg["entities"] = e,
        None => {
            msg.as_object_mut().map(|m| m.remove("entities"));
        }
    }
    msg["edit_date"] = json!(now_unix());
    let result = msg.clone();
    let reply_to = result["reply_to_message"]["message_id"]
        .as_i64()
        .map(|i| i as i32);
    w.edits.push(SentMessage {
        chat_id,
        message_id,
        text: raw,
        parse_mode,
        reply_to,
        sent_at: Instant::now(),
    });
    Ok(result)
}

fn delete_message(w: &mut World, p: &Params) -> ApiResult {
    let chat_id = w.resolve_chat(p, "chat_id")?;
    let message_id = required_message_id(p)?;
    let chat = w.chat_mut(chat_id)?;
    let msg = chat
        .messages
        .get(&message_id)
        .ok_or_else(|| bad("message to delete not found"))?;
    let own = msg["from"]["id"].as_u64() == Some(BOT_ID);
    if !own && !chat.private && !chat.admins.contains(&BOT_ID) {
        return Err(bad("message can't be deleted"));
    }
    chat.messages.remove(&message_id);
    w.deleted.push((chat_id, message_id));
    Ok(json!(true))
}

fn send_chat_action(w: &mut World, p: &Params) -> ApiResult {
    let chat_id = w.resolve_chat(p, "chat_id")?;
    w.writable_chat(chat_id)?;
    let action = param_str(p, "action").unwrap_or_default();
    if !CHAT_ACTIONS.contains(&action.as_str()) {
        return Err(bad("wrong parameter action in request"));
    }
    w.chat_actions.push((chat_id, action));
    Ok(json!(true))
}

fn get_chat(w: &World, p: &Params) -> ApiResult {
    let chat_id = w.resolve_chat(p, "chat_id")?;
    let mut info = w.chat(chat_id)?.json.clone();
    info["accent_color_id"] = json!(0);
    info["max_reaction_count"] = json!(11);
    info["accepted_gift_types"] = json!({"unlimited_gifts": false, "limited_gifts": false, "unique_gifts": false, "premium_subscription": false});
    Ok(info)
}

fn get_chat_member(w: &World, bot: &Value, p: &Params) -> ApiResult {
    let chat_id = w.resolve_chat(p, "chat_id")?;
    let user_id = param_int(p, "user_id")
        .filter(|u| *u > 0)
        .ok_or_else(|| bad("invalid user_id specified"))? as u64;
    w.member_json(w.chat(chat_id)?, chat_id, user_id, bot)
}

fn get_chat_administrators(w: &World, bot: &Value, p: &Params) -> ApiResult {
    let chat_id = w.resolve_chat(p, "chat_id")?;
    let chat = w.chat(chat_id)?;
    if chat.private {
        return Err(bad("there are no administrators in the private chat"));
    }
    let ids = chat.creator.into_iter().chain(
        chat.admins
            .iter()
            .copied()
            .filter(|a| Some(*a) != chat.creator),
    );
    ids.map(|id| w.member_json(chat, chat_id, id, bot))
        .collect::<Result<Vec<_>, _>>()
        .map(Value::Array)
}

fn get_file(w: &World, p: &Params) -> ApiResult {
    let file_id = param_str(p, "file_id").unwrap_or_default();
    if file_id.is_empty() {
        return Err(bad("file_id is empty"));
    }
    let f = w
        .files
        .get(&file_id)
        .ok_or_else(|| bad("invalid file_id"))?;
    if f.bytes.len() > MAX_DOWNLOAD_BYTES {
        return Err(bad("file is too big"));
    }
    Ok(
        json!({"file_id": file_id, "file_unique_id": f.unique_id, "file_size": f.bytes.len(), "file_path": f.path}),
    )
}

// ---------------------------------------------------------------------------------------------
// Entities of user messages (what Telegram's servers add)
// ---------------------------------------------------------------------------------------------

/// `bot_command` (`/cmd`, `/cmd@bot`) and `mention` (`@name`) entities, as TDLib finds them.
fn auto_entities(text: &str) -> Vec<Value> {
    let chars: Vec<char> = text.chars().collect();
    let mut offsets = Vec::with_capacity(chars.len() + 1);
    let mut o = 0;
    for c in &chars {
        offsets.push(o);
        o += c.len_utf16();
    }
    offsets.push(o);
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let ident_end = |from: usize| {
        (from..chars.len())
            .find(|&k| !(chars[k].is_ascii_alphanumeric() || chars[k] == '_'))
            .unwrap_or(chars.len())
    };
    let boundary =
        |c: Option<&char>| c.is_none_or(|&c| !(word(c) || matches!(c, '/' | '<' | '>' | '@')));
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if (c == '/' || c == '@') && boundary(i.checked_sub(1).and_then(|k| chars.get(k))) {
            let mut end = ident_end(i + 1);
            let name_len = end - i - 1;
            let mut ok = if c == '/' {
                (1..=64).contains(&name_len)
            } else {
                (4..=32).contains(&name_len)
            };
            if ok && c == '/' && chars.get(end) == Some(&'@') {
                let bot_end = ident_end(end + 1);
                ok = (1..=32).contains(&(bot_end - end - 1));
                end = bot_end;
            }
            if ok && boundary(chars.get(end)) {
                let kind = if c == '/' { "bot_command" } else { "mention" };
                out.push(json!({"type": kind, "offset": offsets[i], "length": offsets[end] - offsets[i]}));
                i = end;
                continue;
            }
        }
        i += 1;
    }
    out
}

// ---------------------------------------------------------------------------------------------
// HTML parse mode: a port of TDLib's parse_html (td/telegram/MessageEntity.cpp)
// ---------------------------------------------------------------------------------------------

const HTML_TAGS: [&str; 16] = [
    "a",
    "b",
    "strong",
    "i",
    "em",
    "s",
    "strike",
    "del",
    "u",
    "ins",
    "tg-spoiler",
    "tg-emoji",
    "span",
    "pre",
    "code",
    "blockquote",
];

struct OpenTag {
    name: String,
    argument: String,
    utf16_offset: usize,
    text_pos: usize,
}

struct Entity {
    kind: &'static str,
    offset: usize,
    length: usize,
    argument: String,
}

/// TDLib's `is_space`; the NUL stands for "end of text".
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n' | 0 | 0x0b)
}

/// `&lt;`, `&gt;`, `&amp;`, `&quot;` (the `;` is optional) and numeric references. Anything
/// else is not an entity, and Telegram keeps the `&` literally.
fn decode_html_entity(text: &[u8], pos: usize) -> Option<(u32, usize)> {
    let at = |i: usize| text.get(i).copied().unwrap_or(0);
    let mut end = pos + 1;
    let code = if at(end) == b'#' {
        end += 1;
        let radix = if at(end) == b'x' {
            end += 1;
            16
        } else {
            10
        };
        let mut value: u64 = 0;
        while let Some(d) = (at(end) as char).to_digit(radix) {
            value = (value * radix as u64 + d as u64).min(u32::MAX as u64);
            end += 1;
        }
        if value == 0 || value >= 0x10ffff || end - pos >= 10 {
            return None;
        }
        value as u32
    } else {
        while at(end).is_ascii_alphabetic() {
            end += 1;
        }
        match &text[pos + 1..end] {
            b"lt" => '<' as u32,
            b"gt" => '>' as u32,
            b"amp" => '&' as u32,
            b"quot" => '"' as u32,
            _ => return None,
        }
    };
    Some((code, if at(end) == b';' { end + 1 } else { end }))
}

fn parse_html(src: &str) -> Result<(String, Vec<Value>), String> {
    let text = src.as_bytes();
    let at = |i: usize| text.get(i).copied().unwrap_or(0);
    let mut out: Vec<u8> = Vec::with_capacity(text.len());
    let mut utf16 = 0usize;
    let mut open: Vec<OpenTag> = Vec::new();
    let mut entities: Vec<Entity> = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        if c == b'&' {
            if let Some((code, next)) = decode_html_entity(text, i) {
                let ch = char::from_u32(code).ok_or_else(|| {
                    "Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units".to_string()
                })?;
                utf16 += ch.len_utf16();
                out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
                i = next;
                continue;
            }
        }
        if c != b'<' {
            if c & 0xc0 != 0x80 {
                utf16 += if c >= 0xf0 { 2 } else { 1 };
            }
            out.push(c);
            i += 1;
            continue;
        }
        let begin = i;
        i += 1;
        if at(i) != b'/' {
            let tag = parse_start_tag(text, begin, &mut i)?;
            open.push(OpenTag {
                name: tag.0,
                argument: tag.1,
                utf16_offset: utf16,
                text_pos: out.len(),
            });
        } else {
            if open.is_empty() {
                return Err(format!("Unexpected end tag at byte offset {begin}"));
            }
            while !is_space(at(i)) && at(i) != b'>' {
                i += 1;
            }
            let end_name = String::from_utf8_lossy(&text[begin + 2..i]).into_owned();
            while is_space(at(i)) && at(i) != 0 {
                i += 1;
            }
            if at(i) != b'>' {
                return Err(format!("Unclosed end tag at byte offset {begin}"));
            }
            let tag = open.pop().expect("checked");
            if !end_name.is_empty() && end_name != tag.name {
                return Err(format!(
                    "Unmatched end tag at byte offset {begin}, expected \"</{}>\", found \"</{end_name}>\"",
                    tag.name
                ));
            }
            if utf16 > tag.utf16_offset {
                close_entity(&mut entities, tag, utf16, &out)?;
            }
        }
        i += 1; // past '>'
    }
    if let Some(tag) = open.last() {
        return Err(format!(
            "Can't find end tag corresponding to start tag \"{}\"",
            tag.name
        ));
    }
    entities.sort_by(|a, b| a.offset.cmp(&b.offset).then(b.length.cmp(&a.length)));
    let values = entities.into_iter().map(entity_json).collect();
    Ok((
        String::from_utf8(out).map_err(|_| "Strings must be encoded in UTF-8".to_string())?,
        values,
    ))
}

/// Parses `<name attr="value" …>` from `begin` (the `<`); leaves `i` on the `>`.
/// Returns the tag name and its argument (href, language, spoiler, emoji id, expandable).
fn parse_start_tag(text: &[u8], begin: usize, i: &mut usize) -> Result<(String, String), String> {
    let at = |i: usize| text.get(i).copied().unwrap_or(0);
    while !is_space(at(*i)) && at(*i) != b'>' {
        *i += 1;
    }
    if at(*i) == 0 {
        return Err(format!("Unclosed start tag at byte offset {begin}"));
    }
    let name = String::from_utf8_lossy(&text[begin + 1..*i]).to_lowercase();
    if !HTML_TAGS.contains(&name.as_str()) {
        return Err(format!(
            "Unsupported start tag \"{name}\" at byte offset {begin}"
        ));
    }
    let mut argument = String::new();
    while at(*i) != b'>' {
        while at(*i) != 0 && is_space(at(*i)) {
            *i += 1;
        }
        if at(*i) == b'>' {
            break;
        }
        let attr_begin = *i;
        while !is_space(at(*i)) && at(*i) != b'=' {
            *i += 1;
        }
        let attr = String::from_utf8_lossy(&text[attr_begin..*i]).into_owned();
        if attr.is_empty() {
            return Err(format!(
                "Empty attribute name in the tag \"{name}\" at byte offset {begin}"
            ));
        }
        while at(*i) != 0 && is_space(at(*i)) {
            *i += 1;
        }
        if at(*i) == 0 {
            return Err(format!(
                "Unclosed start tag \"{name}\" at byte offset {begin}"
            ));
        }
        if at(*i) != b'=' {
            return Err(format!("Expected equal sign in declaration of an attribute of the tag \"{name}\" at byte offset {begin}"));
        }
        *i += 1;
        while at(*i) != 0 && is_space(at(*i)) {
            *i += 1;
        }
        if at(*i) == 0 {
            return Err(format!(
                "Unclosed start tag \"{name}\" at byte offset {begin}"
            ));
        }
        let value = parse_attribute_value(text, i)?;
        if at(*i) == 0 {
            return Err(format!("Unclosed start tag at byte offset {begin}"));
        }
        match (name.as_str(), attr.as_str()) {
            ("a", "href") | ("tg-emoji", "emoji-id") => argument = value,
            ("code", "class") if value.starts_with("language-") => {
                argument = value["language-".len()..].to_string()
            }
            ("span", "class") if value.starts_with("tg-") => argument = value[3..].to_string(),
            ("blockquote", "expandable") => argument = "1".to_string(),
            _ => {}
        }
    }
    if name == "span" && argument != "spoiler" {
        return Err(format!(
            "Tag \"span\" must have class \"tg-spoiler\" at byte offset {begin}"
        ));
    }
    Ok((name, argument))
}

/// An unquoted name token (lowercased) or a quoted string with entities decoded.
fn parse_attribute_value(text: &[u8], i: &mut usize) -> Result<String, String> {
    let at = |i: usize| text.get(i).copied().unwrap_or(0);
    let quote = at(*i);
    if quote != b'\'' && quote != b'"' {
        let token_begin = *i;
        while at(*i).is_ascii_alphanumeric() || at(*i) == b'.' || at(*i) == b'-' {
            *i += 1;
        }
        if !is_space(at(*i)) && at(*i) != b'>' {
            return Err(format!(
                "Unexpected end of name token at byte offset {token_begin}"
            ));
        }
        return Ok(String::from_utf8_lossy(&text[token_begin..*i]).to_lowercase());
    }
    *i += 1;
    let mut value = Vec::new();
    while at(*i) != quote && at(*i) != 0 {
        if at(*i) == b'&' {
            if let Some((code, next)) = decode_html_entity(text, *i) {
                let ch = char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER);
                value.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
                *i = next;
                continue;
            }
        }
        value.push(at(*i));
        *i += 1;
    }
    if at(*i) == quote {
        *i += 1;
    }
    Ok(String::from_utf8_lossy(&value).into_owned())
}

fn close_entity(
    entities: &mut Vec<Entity>,
    tag: OpenTag,
    utf16: usize,
    out: &[u8],
) -> Result<(), String> {
    let (offset, length) = (tag.utf16_offset, utf16 - tag.utf16_offset);
    let same_range = |e: &Entity| e.offset == offset && e.length == length;
    let kind = match tag.name.as_str() {
        "b" | "strong" => "bold",
        "i" | "em" => "italic",
        "u" | "ins" => "underline",
        "s" | "strike" | "del" => "strikethrough",
        "tg-spoiler" | "span" => "spoiler",
        "blockquote" if tag.argument.is_empty() => "blockquote",
        "blockquote" => "expandable_blockquote",
        "tg-emoji" => {
            if !tag.argument.parse::<i64>().is_ok_and(|id| id > 0) {
                return Err("Invalid custom emoji identifier specified".to_string());
            }
            "custom_emoji"
        }
        "a" => {
            let url = if tag.argument.is_empty() {
                String::from_utf8_lossy(&out[tag.text_pos..]).into_owned()
            } else {
                tag.argument.clone()
            };
            if url.is_empty() {
                return Ok(());
            }
            entities.push(Entity {
                kind: "text_link",
                offset,
                length,
                argument: url,
            });
            return Ok(());
        }
        "pre" => match entities.last_mut() {
            Some(e) if e.kind == "code" && same_range(e) && !e.argument.is_empty() => {
                e.kind = "pre";
                return Ok(());
            }
            _ => "pre",
        },
        "code" => match entities.last_mut() {
            Some(e) if e.kind == "pre" && same_range(e) && !tag.argument.is_empty() => {
                e.argument = tag.argument;
                return Ok(());
            }
            _ => "code",
        },
        _ => unreachable!("only supported tags are opened"),
    };
    let argument = if matches!(kind, "custom_emoji" | "code") {
        tag.argument
    } else {
        String::new()
    };
    entities.push(Entity {
        kind,
        offset,
        length,
        argument,
    });
    Ok(())
}

fn entity_json(e: Entity) -> Value {
    let mut v = json!({"type": e.kind, "offset": e.offset, "length": e.length});
    match e.kind {
        "text_link" => v["url"] = json!(e.argument),
        "custom_emoji" => v["custom_emoji_id"] = json!(e.argument),
        "pre" if !e.argument.is_empty() => v["language"] = json!(e.argument),
        _ => {}
    }
    v
}

#[cfg(test)]
mod html_tests {
    use super::*;

    fn err(s: &str) -> String {
        parse_html(s).unwrap_err()
    }

    #[test]
    fn telegram_error_texts() {
        assert_eq!(err("<br>"), "Unsupported start tag \"br\" at byte offset 0");
        assert_eq!(err("a < b"), "Unsupported start tag \"\" at byte offset 2");
        assert_eq!(err("x <b"), "Unclosed start tag at byte offset 2");
        assert_eq!(
            err("<a =\"x\">y</a>"),
            "Empty attribute name in the tag \"a\" at byte offset 0"
        );
        assert_eq!(
            err("<a href=x/>y</a>"),
            "Unexpected end of name token at byte offset 8"
        );
        assert_eq!(
            err("<span>x</span>"),
            "Tag \"span\" must have class \"tg-spoiler\" at byte offset 0"
        );
        assert_eq!(err("x</b>"), "Unexpected end tag at byte offset 1");
        assert_eq!(err("<b>x</b"), "Unclosed end tag at byte offset 4");
        assert_eq!(
            err("<b>x</i>"),
            "Unmatched end tag at byte offset 4, expected \"</b>\", found \"</i>\""
        );
        assert_eq!(
            err("<b>x"),
            "Can't find end tag corresponding to start tag \"b\""
        );
        assert_eq!(
            err("<b><i>x</b></i>"),
            "Unmatched end tag at byte offset 7, expected \"</i>\", found \"</b>\""
        );
    }

    #[test]
    fn text_and_entities() {
        let (t, e) = parse_html(
            "<b>bold</b> &lt;x&gt; &amp; &quot;q&quot; &#65;&#x42; AT&T &nbsp; 😀<i>i</i>",
        )
        .unwrap();
        assert_eq!(t, "bold <x> & \"q\" AB AT&T &nbsp; 😀i");
        assert_eq!(e[0], json!({"type": "bold", "offset": 0, "length": 4}));
        // 😀 is two UTF-16 units
        let i_off = t.encode_utf16().count() - 1;
        assert_eq!(
            e[1],
            json!({"type": "italic", "offset": i_off, "length": 1})
        );
        let (t, e) = parse_html("<pre><code class=\"language-rust\">fn x()</code></pre> <a href=\"https://e.x/?a=1&amp;b\">l</a>").unwrap();
        assert_eq!(t, "fn x() l");
        assert_eq!(
            e[0],
            json!({"type": "pre", "offset": 0, "length": 6, "language": "rust"})
        );
        assert_eq!(
            e[1],
            json!({"type": "text_link", "offset": 7, "length": 1, "url": "https://e.x/?a=1&b"})
        );
        assert!(parse_html("<span class=\"tg-spoiler\">s</span><tg-spoiler>t</tg-spoiler><blockquote>q</blockquote><s>x</s><u>y</u>").is_ok());
    }

    #[test]
    fn commands_and_mentions() {
        let e = auto_entities("/ask@NewsBot who? cc @someone, a/b and mail@x.com /x");
        let kinds: Vec<_> = e
            .iter()
            .map(|v| {
                (
                    v["type"].as_str().unwrap(),
                    v["offset"].as_u64().unwrap(),
                    v["length"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("bot_command", 0, 12),
                ("mention", 21, 8),
                ("bot_command", 50, 2)
            ]
        );
        assert_eq!(auto_entities("😀 /start")[0]["offset"], json!(3));
    }
}
