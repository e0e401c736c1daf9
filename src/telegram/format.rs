//! Answers as Telegram HTML. Every piece of user or article text is escaped, so nothing
//! anyone types or any article says can inject markup; replies fit the 4,096 limit.

use teloxide::utils::html::escape;

use crate::answer::{Answer, Citation, NOT_FOUND};
use crate::corpus::ArticleMeta;

/// Telegram's limit, counted in UTF-16 code units after entity parsing; we count chars of
/// the visible text conservatively and keep a margin.
pub const MAX_MESSAGE_CHARS: usize = 4096;
const MAX_SENTENCE_CHARS: usize = 1500;

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// "NBC News: <a href=…>Title</a>", or the (linked) title alone when the article names no outlet.
pub fn citation_html(c: &Citation) -> String {
    let title = escape(&shorten(&c.title, 200));
    let title = match &c.url {
        Some(u) if u.starts_with("https://") || u.starts_with("http://") => {
            format!(
                "<a href=\"{}\">{title}</a>",
                escape(u).replace('"', "&quot;")
            )
        }
        _ => title,
    };
    match &c.outlet {
        Some(o) => format!("{}: {title}", escape(o)),
        None => title,
    }
}

/// The reply to a question.
pub fn answer_html(a: &Answer) -> String {
    let Some(text) = &a.answer else {
        return format!("{NOT_FOUND} /sources lists what I have read.");
    };
    let mut out = format!("<b>{}</b>", escape(&shorten(text, 300)));
    if let Some(first) = a.citations.first() {
        out.push_str(" — ");
        out.push_str(&escape(&first.label()));
    }
    if let Some(s) = &a.sentence {
        out.push_str(&format!(
            "\n\n<i>“{}”</i>",
            escape(&shorten(s, MAX_SENTENCE_CHARS))
        ));
    }
    let sources: Vec<String> = a.citations.iter().take(5).map(citation_html).collect();
    if !sources.is_empty() {
        out.push_str("\n\n");
        out.push_str(&sources.join("\n"));
    }
    out
}

/// The `/sources` list, cut to fit one message.
pub fn sources_html(articles: &[ArticleMeta]) -> String {
    if articles.is_empty() {
        return "No articles are loaded yet.".into();
    }
    let mut out = format!("I have read {} article(s):\n", articles.len());
    for (i, m) in articles.iter().enumerate() {
        let line = match &m.outlet {
            Some(o) => format!("• {} — {}\n", escape(&shorten(&m.title, 150)), escape(o)),
            None => format!("• {}\n", escape(&shorten(&m.title, 150))),
        };
        if out.chars().count() + line.chars().count() > MAX_MESSAGE_CHARS - 40 {
            out.push_str(&format!("… and {} more", articles.len() - i));
            break;
        }
        out.push_str(&line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::ArticleId;

    fn answer(text: &str, sentence: &str, outlet: Option<&str>) -> Answer {
        Answer {
            question: "q".into(),
            answer: Some(text.into()),
            score: 0.9,
            sentence: Some(sentence.into()),
            citations: vec![Citation {
                outlet: outlet.map(str::to_string),
                title: "A <b>title</b> & more".into(),
                url: Some("https://example.com/?a=1&b=\"2\"".into()),
                published: None,
                article_id: ArticleId("a".into()),
            }],
        }
    }

    #[test]
    fn everything_is_escaped() {
        let html = answer_html(&answer("<script>", "x < y & \"z\"", Some("NBC <News>")));
        assert!(
            html.starts_with("<b>&lt;script&gt;</b> — NBC &lt;News&gt;"),
            "{html}"
        );
        assert!(html.contains("x &lt; y &amp; \"z\""), "{html}");
        assert!(html.contains("<a href=\"https://example.com/?a=1&amp;b=&quot;2&quot;\">A &lt;b&gt;title&lt;/b&gt; &amp; more</a>"), "{html}");
    }

    #[test]
    fn long_text_fits_one_message() {
        let html = answer_html(&answer(&"x".repeat(5000), &"y".repeat(9000), None));
        assert!(html.chars().count() < MAX_MESSAGE_CHARS);
    }

    #[test]
    fn without_outlet_the_title_is_the_citation() {
        let html = answer_html(&answer("15", "s", None));
        assert!(
            html.contains("— “A &lt;b&gt;title&lt;/b&gt; &amp; more”"),
            "{html}"
        );
    }
}
