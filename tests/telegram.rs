//! The Telegram bot end to end: the real teloxide polling loop against a fake Bot API
//! server on 127.0.0.1, with the shipped reader model.

mod common;
#[path = "support/fake_telegram.rs"]
mod fake_telegram;

use std::sync::Arc;
use std::time::Duration;

use common::Project;
use fake_telegram::FakeTelegram;
use newsbot::config::TelegramMode;
use newsbot::engine::Engine;
use newsbot::telegram::{dispatcher, register_commands, serve, App};
use teloxide::Bot;

const WAIT: Duration = Duration::from_secs(30);
const ADMIN: u64 = 1001;
const GROUP: i64 = -100_555;

/// A message a user sent: (chat, message id); ids are per chat, as on Telegram.
#[derive(Clone, Copy, Debug)]
struct Msg {
    chat: i64,
    id: i32,
}

/// A running bot: the fake server, the project it reads, and the dispatcher's task.
struct Harness {
    fake: FakeTelegram,
    project: Project,
    app: Arc<App>,
    shutdown: teloxide::dispatching::ShutdownToken,
    task: tokio::task::JoinHandle<()>,
}

impl Harness {
    async fn start() -> Harness {
        Self::start_with("", FakeTelegram::start("NewsTestBot")).await
    }

    /// A fresh bot whose `[telegram]` section has `telegram_settings` added.
    async fn start_with(telegram_settings: &str, fake: FakeTelegram) -> Harness {
        let project = Project::with_shipped_model();
        let cfg = std::fs::read_to_string(project.config_path()).expect("config");
        project.write_config(&format!(
            "{cfg}[telegram]\nadmins = [{ADMIN}]\n{telegram_settings}"
        ));
        let config = project.config();
        let engine = tokio::task::spawn_blocking(move || Engine::open(config))
            .await
            .expect("join")
            .expect("engine opens");
        Self::with(fake, project, App::new(Arc::new(engine))).await
    }

    /// Starts a dispatcher (again) on an existing fake and app: a restart.
    async fn with(fake: FakeTelegram, project: Project, app: Arc<App>) -> Harness {
        let bot = Bot::new(fake.token()).set_api_url(fake.api_url().parse().expect("url"));
        fake.add_private_chat(ADMIN, "Admin");
        register_commands(&bot, app.engine.config())
            .await
            .expect("commands");
        let mut d = dispatcher(bot.clone(), app.clone());
        let shutdown = d.shutdown_token();
        let config = app.engine.config().clone();
        let task = tokio::spawn(async move {
            serve(&mut d, bot, &config).await.expect("the bot serves");
        });
        Harness {
            fake,
            project,
            app,
            shutdown,
            task,
        }
    }

    /// Stops polling cleanly (after a poll, so teloxide cannot miss the request).
    async fn stop(self) -> (FakeTelegram, Project, Arc<App>) {
        if self.app.engine.config().telegram.mode == TelegramMode::Polling {
            self.fake.wait_for_poll(WAIT).await;
        }
        if let Ok(done) = self.shutdown.shutdown() {
            tokio::time::timeout(WAIT, done)
                .await
                .expect("dispatcher stops");
        }
        let _ = self.task.await;
        (self.fake, self.project, self.app)
    }

    fn private(&self, user: u64, name: &str, text: &str) -> Msg {
        Msg {
            chat: user as i64,
            id: self.fake.push_private_text(user, name, text),
        }
    }

    fn group(&self, user: u64, name: &str, text: &str, reply_to: Option<i32>) -> Msg {
        Msg {
            chat: GROUP,
            id: self.fake.push_group_text(GROUP, user, name, text, reply_to),
        }
    }

    fn document(&self, user: u64, file_name: &str, bytes: &[u8]) -> Msg {
        Msg {
            chat: user as i64,
            id: self
                .fake
                .push_document(user as i64, user, file_name, bytes.to_vec(), None),
        }
    }

    fn replies(&self, asked: Msg) -> Vec<fake_telegram::SentMessage> {
        self.fake
            .sent()
            .into_iter()
            .filter(|m| m.chat_id == asked.chat && m.reply_to == Some(asked.id))
            .collect()
    }

    async fn reply_to(&self, asked: Msg) -> fake_telegram::SentMessage {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            if let Some(m) = self.replies(asked).into_iter().next() {
                return m;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "no reply to {asked:?}; sent: {:?}",
                self.fake.sent()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_question_gets_an_answer_with_citation() {
    let h = Harness::start().await;
    let asked = h.private(42, "Ada", "How many migrants is the FBI looking for?");
    let reply = h.reply_to(asked).await;
    assert!(
        reply.text.contains("about 15") || reply.text.contains(">15<"),
        "{}",
        reply.text
    );
    assert!(reply.text.contains("NBC News"), "{}", reply.text);
    assert_eq!(reply.parse_mode.as_deref(), Some("HTML"));
    assert!(h
        .fake
        .chat_actions()
        .iter()
        .any(|(c, a)| *c == 42 && a == "typing"));
    // The command menu was registered, with /reload only for admins.
    let commands = h.fake.commands().to_string();
    assert!(
        commands.contains("sources") && commands.contains("reload"),
        "{commands}"
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn group_ask_with_bot_name_and_follow_up_by_reply() {
    let h = Harness::start().await;
    let asked = h.group(
        7,
        "Bea",
        "/ask@NewsTestBot How many migrants is the FBI looking for?",
        None,
    );
    let answer = h.reply_to(asked).await;
    assert!(answer.text.contains("15"), "{}", answer.text);
    // Plain group chatter is ignored (privacy mode semantics).
    h.group(8, "Cy", "lunch anyone?", None);
    let follow = h.group(
        7,
        "Bea",
        "And how many entered the country in total?",
        Some(answer.message_id),
    );
    let reply = h.reply_to(follow).await;
    assert!(reply.text.contains("120"), "{}", reply.text);
    assert_eq!(
        h.fake.sent().len(),
        2,
        "nothing else was answered: {:?}",
        h.fake.sent()
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_users_interleaved_threads_do_not_mix() {
    let h = Harness::start().await;
    let a1 = h.group(
        1,
        "Ann",
        "/ask How many migrants is the FBI looking for?",
        None,
    );
    let b1 = h.group(
        2,
        "Ben",
        "@NewsTestBot who is the spokesperson for the National Security Council?",
        None,
    );
    let a1r = h.reply_to(a1).await;
    let b1r = h.reply_to(b1).await;
    assert!(b1r.text.contains("Adrienne Watson"), "{}", b1r.text);
    let b2 = h.group(
        2,
        "Ben",
        "When did she make the statement?",
        Some(b1r.message_id),
    );
    let a2 = h.group(
        1,
        "Ann",
        "and how many entered in total?",
        Some(a1r.message_id),
    );
    let a2r = h.reply_to(a2).await;
    let b2r = h.reply_to(b2).await;
    assert!(
        a2r.text.contains("120"),
        "Ann's thread is about numbers: {}",
        a2r.text
    );
    assert!(
        b2r.text.contains("Tuesday"),
        "Ben's thread is about the statement: {}",
        b2r.text
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unanswerable_markup_and_long_messages_are_handled() {
    let h = Harness::start().await;
    let q1 = h.private(42, "Ada", "What is the capital of France?");
    let r1 = h.reply_to(q1).await;
    assert!(r1.text.contains("couldn't find"), "{}", r1.text);
    let q2 = h.private(
        42,
        "Ada",
        "<b>Where</b> was the <a href=\"x\">smuggling</a> network based? &amp; </i>",
    );
    let r2 = h.reply_to(q2).await;
    assert!(
        !r2.text.contains("<a href=\"x\">"),
        "user markup is never echoed as markup"
    );
    let long = format!(
        "Where was the smuggling network based? {}",
        "blah ".repeat(800)
    );
    assert!(long.chars().count() >= 4000);
    let q3 = h.private(42, "Ada", &long);
    let r3 = h.reply_to(q3).await;
    assert!(r3.text.chars().count() <= 4096);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_is_honoured_and_the_answer_arrives_once() {
    let h = Harness::start().await;
    h.fake.fail_next("sendMessage", 429, Some(1));
    let asked = h.private(42, "Ada", "Where was the smuggling network based?");
    let reply = h.reply_to(asked).await;
    assert!(reply.text.contains("Turkey"), "{}", reply.text);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(h.replies(asked).len(), 1);
    assert!(h.fake.calls("sendMessage") >= 2, "the 429 was retried");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reload_is_for_admins_and_keeps_answering_meanwhile() {
    let h = Harness::start().await;
    let corpus = h.project.root().join("corpus");
    std::fs::write(
        corpus.join("new-story.md"),
        "---\ntitle: Ferry service resumes\noutlet: Harbour Times\n---\nThe ferry between the islands resumed on Monday after a three-week strike, the operator said.\n",
    )
    .expect("write");
    std::fs::write(
        corpus.join("broken.md"),
        "---\ntitle: Broken\nfoo: bar\n---\nText.\n",
    )
    .expect("write");

    // A non-admin is refused and nothing changes.
    let refused = h.group(9, "Eve", "/reload", None);
    let r = h.reply_to(refused).await;
    assert!(r.text.contains("only the bot's admins"), "{}", r.text);
    assert_eq!(h.app.engine.sources().expect("sources").len(), 2);

    // The admin reloads while questions keep coming.
    let questions: Vec<Msg> = (0..4)
        .map(|i| h.private(50 + i, "Q", "Where was the smuggling network based?"))
        .collect();
    let reload = h.private(ADMIN, "Admin", "/reload");
    let more: Vec<Msg> = (0..4)
        .map(|i| {
            h.private(
                60 + i,
                "Q",
                "Who is the spokesperson for the National Security Council?",
            )
        })
        .collect();
    let summary = h.reply_to(reload).await;
    assert!(summary.text.contains("1 added"), "{}", summary.text);
    assert!(
        summary.text.contains("broken.md:3"),
        "the broken file is named: {}",
        summary.text
    );
    for q in questions.iter().chain(&more) {
        let a = h.reply_to(*q).await;
        assert!(!a.text.contains("went wrong"), "{}", a.text);
        assert!(
            a.text.contains("Turkey") || a.text.contains("Watson"),
            "{}",
            a.text
        );
    }
    let ferry = h.private(42, "Ada", "When did the ferry resume?");
    let r = h.reply_to(ferry).await;
    assert!(
        r.text.contains("Monday") && r.text.contains("Harbour Times"),
        "{}",
        r.text
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_with_pending_updates_answers_each_once() {
    let h = Harness::start().await;
    let first = h.private(42, "Ada", "Where was the smuggling network based?");
    h.reply_to(first).await;
    let (fake, project, app) = h.stop().await;
    // Messages arrive while the bot is down.
    let q1 = Msg {
        chat: 43,
        id: fake.push_private_text(
            43,
            "Bo",
            "Which news network first reported the investigation?",
        ),
    };
    let q2 = Msg {
        chat: 44,
        id: fake.push_private_text(44, "Cy", "/sources"),
    };
    let h = Harness::with(fake, project, app).await;
    let r1 = h.reply_to(q1).await;
    assert!(r1.text.contains("CNN"), "{}", r1.text);
    let r2 = h.reply_to(q2).await;
    assert!(r2.text.contains("NBC News"), "{}", r2.text);
    let (fake, project, app) = h.stop().await;
    let h = Harness::with(fake, project, app).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    for q in [first, q1, q2] {
        assert_eq!(h.replies(q).len(), 1, "answered once: {q:?}");
    }
    assert_eq!(h.fake.pending_updates(), 0);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_help_reset_and_admin_upload() {
    let h = Harness::start().await;
    let s = h.private(42, "Ada", "/start");
    assert!(h.reply_to(s).await.text.contains("/ask"));
    let r = h.private(42, "Ada", "/reset");
    assert!(h.reply_to(r).await.text.contains("forgotten"));
    // Non-admins cannot add articles; admins can, and the file is checked first.
    let denied = h.document(42, "story.md", b"---\ntitle: x\n---\ny\n");
    assert!(h
        .reply_to(denied)
        .await
        .text
        .contains("only the bot's admins"));
    let bad = h.document(ADMIN, "bad.md", b"no header");
    let bad_reply = h.reply_to(bad).await.text;
    assert!(
        bad_reply.contains("couldn't use that file") && bad_reply.contains("bad.md:1"),
        "{bad_reply}"
    );
    let good = h.document(
        ADMIN,
        "../../Evil Name.md",
        b"---\ntitle: Bridge reopens\noutlet: City Post\n---\nThe Old Bridge reopened on Friday after repairs costing about $4 million, the council said.\n",
    );
    let saved = h.reply_to(good).await;
    assert!(
        saved.text.contains("evil-name.md") && saved.text.contains("1 added"),
        "{}",
        saved.text
    );
    // A group's own administrators may reload there (getChatMember).
    h.fake.set_chat_admins(GROUP, &[77]);
    let by_group_admin = h.group(77, "Gia", "/reload", None);
    let r = h.reply_to(by_group_admin).await;
    assert!(r.text.contains("Reloaded"), "{}", r.text);
    assert!(
        h.project.root().join("corpus/evil-name.md").is_file(),
        "saved inside the corpus, name sanitised"
    );
    h.stop().await;
}

/// Webhook mode, as deployed behind a load balancer: teloxide registers the public URL with a
/// secret token, Telegram posts updates to the bot's local server and the bot answers; a post
/// that lacks the secret is refused and answered by nobody; stopping deletes the webhook.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_mode_answers_posted_updates_and_refuses_forged_ones() {
    const URL: &str = "https://news.example.org/telegram/hook";
    let listen = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free local port");
    let fake = FakeTelegram::start("NewsTestBot");
    fake.forward_webhook_to(listen);
    let h = Harness::start_with(
        &format!("mode = \"webhook\"\nwebhook_url = \"{URL}\"\nwebhook_listen = \"{listen}\"\n"),
        fake,
    )
    .await;

    let asked = h.private(42, "Ada", "How many migrants is the FBI looking for?");
    let reply = h.reply_to(asked).await;
    assert!(reply.text.contains("15"), "{}", reply.text);
    assert!(reply.text.contains("NBC News"), "{}", reply.text);
    assert_eq!(h.fake.webhook_url().as_deref(), Some(URL));
    assert_eq!(h.fake.webhook_deliveries(), 1);
    assert_eq!(h.fake.calls("getUpdates"), 0, "webhook mode never polls");

    // Someone who found the URL but not the secret: refused before the bot sees it.
    let forged = serde_json::json!({"update_id": 1, "message": {
        "message_id": 99, "date": 0, "chat": {"id": 66, "type": "private", "first_name": "Eve"},
        "from": {"id": 66, "is_bot": false, "first_name": "Eve"}, "text": "/reload"}});
    let client = reqwest::Client::new();
    let hook = format!("http://{listen}/telegram/hook");
    for secret in [None, Some("guessed-secret")] {
        let mut post = client.post(&hook).json(&forged);
        if let Some(s) = secret {
            post = post.header("X-Telegram-Bot-Api-Secret-Token", s);
        }
        let status = post
            .send()
            .await
            .expect("the webhook server answers")
            .status();
        assert_eq!(
            status,
            reqwest::StatusCode::UNAUTHORIZED,
            "secret {secret:?}"
        );
    }

    // teloxide calls setWebhook before its server listens, so a first post may be refused;
    // Telegram (and the fake) retry, so nothing but a refused connection may show.
    let error = h.fake.webhook_error();
    assert!(
        error.is_none() || error.as_deref() == Some("Connection refused"),
        "{error:?}"
    );

    let (fake, _, _) = h.stop().await;
    assert_eq!(fake.webhook_url(), None, "stopping deletes the webhook");
    assert_eq!(
        fake.sent().len(),
        1,
        "only Ada was answered: {:?}",
        fake.sent()
    );
}

/// A webhook address the bot cannot listen on stops start-up with the setting named,
/// before a webhook nobody would serve is registered with Telegram.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_mode_on_a_busy_address_fails_naming_the_setting() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = busy.local_addr().expect("addr");
    let project = common::Project::new();
    let cfg = std::fs::read_to_string(project.config_path()).expect("config");
    project.write_config(&format!(
        "{cfg}[telegram]\nmode = \"webhook\"\nwebhook_url = \"https://news.example.org/hook\"\nwebhook_listen = \"{addr}\"\n"
    ));
    let fake = FakeTelegram::start("NewsTestBot");
    let config = project.config();
    let engine = tokio::task::spawn_blocking(move || Engine::open(config))
        .await
        .expect("join")
        .expect("engine opens");
    let app = App::new(Arc::new(engine));
    let bot = Bot::new(fake.token()).set_api_url(fake.api_url().parse().expect("url"));
    let mut d = dispatcher(bot.clone(), app.clone());
    let err = serve(&mut d, bot, app.engine.config())
        .await
        .expect_err("the address is taken");
    assert!(
        format!("{err:#}").contains("telegram.webhook_listen"),
        "{err:#}"
    );
    assert_eq!(fake.webhook_url(), None);
    assert_eq!(fake.calls("setWebhook"), 0);
}
