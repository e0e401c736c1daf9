//! Raw scraped article text -> title, body, and what the page says about its outlet.
//!
//! Only boilerplate is removed; article sentences are kept byte for byte.

/// Lines that are site furniture, never article text.
const BOILERPLATE: &[&str] = &[
    "IE 11 is not supported. For an optimal experience visit our site on another browser.",
    "Written by Published",
];

/// A scraped page split into its parts.
#[derive(Debug, Clone, PartialEq)]
pub struct CleanedPage {
    pub title: String,
    pub body: String,
    /// Lines dropped, for the import report.
    pub removed: Vec<String>,
}

/// Cleans raw scraped text: the first non-boilerplate line is the title; boilerplate
/// lines, photo captions (a line repeated at once, the second copy with a credit glued
/// on) and a standfirst that the body repeats later are dropped.
pub fn clean_scraped(raw: &str) -> CleanedPage {
    let raw = raw.replace("\r\n", "\n");
    let lines: Vec<&str> = raw.lines().map(str::trim).collect();
    let mut removed = Vec::new();
    let mut kept: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if BOILERPLATE.contains(&line) {
            removed.push(line.to_string());
            i += 1;
            continue;
        }
        // Caption: "X" followed by "X<credit>" (e.g. "... Ariz." then "... Ariz.Ringo Chiu / AP file").
        if !line.is_empty() {
            if let Some(next) = lines.get(i + 1) {
                if next.len() > line.len() && next.starts_with(line) {
                    removed.push(line.to_string());
                    removed.push(next.to_string());
                    i += 2;
                    continue;
                }
            }
        }
        kept.push(line);
        i += 1;
    }
    let mut paragraphs: Vec<&str> = kept.into_iter().filter(|l| !l.is_empty()).collect();
    let title = if paragraphs.is_empty() {
        String::new()
    } else {
        paragraphs.remove(0).to_string()
    };
    // A standfirst repeated verbatim later in the body is the page's summary box.
    let mut body: Vec<&str> = Vec::new();
    for (k, p) in paragraphs.iter().enumerate() {
        if paragraphs[k + 1..].contains(p) {
            removed.push(p.to_string());
        } else {
            body.push(p);
        }
    }
    CleanedPage {
        title,
        body: body.join("\n\n"),
        removed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_boilerplate_captions_and_repeated_standfirst() {
        let raw = "IE 11 is not supported. For an optimal experience visit our site on another browser.\n\n\
                   Big headline\n\nA standfirst line.\nA photo caption, Ariz.\nA photo caption, Ariz.Jane Doe / AP file\n\n\
                   First paragraph.\n\nA standfirst line.\n\nLast paragraph.";
        let page = clean_scraped(raw);
        assert_eq!(page.title, "Big headline");
        assert_eq!(
            page.body,
            "First paragraph.\n\nA standfirst line.\n\nLast paragraph."
        );
        assert_eq!(page.removed.len(), 4);
    }

    #[test]
    fn keeps_text_exact() {
        let raw = "Title\n\nWritten by Published\n\nHe said “no” — twice.";
        let page = clean_scraped(raw);
        assert_eq!(page.body, "He said “no” — twice.");
    }
}
