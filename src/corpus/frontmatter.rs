//! Markdown articles with a small front-matter header:
//!
//! ```text
//! ---
//! title: The headline
//! outlet: NBC News            (optional)
//! url: https://...            (optional)
//! published: 2023-06-14       (optional)
//! authors: Jane Doe, Joe Bloggs   (optional)
//! ---
//! Body paragraphs...
//! ```
//!
//! Only `key: value` lines are accepted (values may be quoted); errors carry a line number.

use super::ArticleMeta;

type ParseError = (usize, String);

pub fn parse_markdown(text: &str) -> Result<(ArticleMeta, String), ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, l)) if l.trim() == "---" => {}
        _ => {
            return Err((
                1,
                "expected a front-matter header starting with `---`".into(),
            ))
        }
    }
    let mut meta = ArticleMeta::default();
    let mut title_seen = false;
    let mut body_start = None;
    for (i, line) in lines.by_ref() {
        let n = i + 1;
        if line.trim() == "---" {
            body_start = Some(i + 1);
            break;
        }
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            return Err((
                n,
                format!("expected `key: value`, found {:?}", truncate(line)),
            ));
        };
        let value = unquote(value.trim());
        let optional = || (!value.is_empty()).then(|| value.to_string());
        match key.trim() {
            "title" => {
                meta.title = value.to_string();
                title_seen = true;
            }
            "outlet" => meta.outlet = optional(),
            "url" => {
                if !(value.is_empty()
                    || value.starts_with("http://")
                    || value.starts_with("https://"))
                {
                    return Err((
                        n,
                        format!("url must start with http:// or https://, found {value:?}"),
                    ));
                }
                meta.url = optional();
            }
            "published" => meta.published = optional(),
            "authors" => {
                meta.authors = value
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .split(',')
                    .map(|a| unquote(a.trim()).to_string())
                    .filter(|a| !a.is_empty())
                    .collect()
            }
            other => {
                return Err((
                    n,
                    format!(
                        "unknown key `{other}` (expected title, outlet, url, published, authors)"
                    ),
                ))
            }
        }
    }
    let Some(start) = body_start else {
        return Err((1, "the front-matter header is not closed with `---`".into()));
    };
    if !title_seen || meta.title.is_empty() {
        return Err((1, "the header has no `title`".into()));
    }
    let body: Vec<&str> = text.lines().skip(start).collect();
    let body = body.join("\n");
    if body.trim().is_empty() {
        return Err((start + 1, "the article has no body text".into()));
    }
    Ok((meta, body))
}

/// The inverse of `parse_markdown`, used by `newsbot import`.
pub fn render_markdown(meta: &ArticleMeta, body: &str) -> String {
    let mut out = String::from("---\n");
    out.push_str(&format!("title: {}\n", quote(&meta.title)));
    if let Some(o) = &meta.outlet {
        out.push_str(&format!("outlet: {}\n", quote(o)));
    }
    if let Some(u) = &meta.url {
        out.push_str(&format!("url: {u}\n"));
    }
    if let Some(p) = &meta.published {
        out.push_str(&format!("published: {}\n", quote(p)));
    }
    if !meta.authors.is_empty() {
        out.push_str(&format!("authors: {}\n", meta.authors.join(", ")));
    }
    out.push_str("---\n");
    out.push_str(body.trim());
    out.push('\n');
    out
}

fn unquote(v: &str) -> &str {
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return &v[1..v.len() - 1];
        }
    }
    v
}

/// Quotes a value only where a bare one would not read back the same.
fn quote(v: &str) -> String {
    if v.contains(['"', '#']) || v.starts_with(['\'', ' ']) || v.ends_with(' ') {
        format!("'{v}'")
    } else {
        v.to_string()
    }
}

fn truncate(s: &str) -> String {
    s.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let meta = ArticleMeta {
            title: "Headline: with a colon".into(),
            outlet: Some("NBC News".into()),
            url: None,
            published: Some("2023-06-14".into()),
            authors: vec!["A B".into(), "C D".into()],
        };
        let md = render_markdown(&meta, "Para one.\n\nPara two.");
        let (back, body) = parse_markdown(&md).expect("parses");
        assert_eq!(back, meta);
        assert_eq!(body, "Para one.\n\nPara two.");
    }

    #[test]
    fn errors_carry_line_numbers() {
        assert_eq!(parse_markdown("no header").map_err(|e| e.0), Err(1));
        let e = parse_markdown("---\ntitle: x\nurl: ftp://x\n---\nbody").expect_err("bad url");
        assert_eq!(e.0, 3);
        let e = parse_markdown("---\ntitle: x\n").expect_err("unclosed");
        assert!(e.1.contains("not closed"));
        let e = parse_markdown("---\ntitle: x\n---\n\n").expect_err("no body");
        assert_eq!(e.0, 4);
    }
}
